/**
 * The provider's public names: its source address, the resource types and the version it is
 * shipped under. They appear in every synthesized stack, lock file and state, so they are
 * contract: changing one moves every user's resources.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The hostname of the provider's source address. No registry serves it: Terraform finds the
 * provider in the stack directory's `terraform.d/plugins` (an implied local mirror), and a
 * missing copy fails `terraform init` at once instead of trying a public registry.
 */
export const PROVIDER_HOST = 'cos-inventory.local';
/** The namespace of the source address. */
export const PROVIDER_NAMESPACE = 'cdktf-cos-inventory';
/** The provider type: resource types start with it, and the provider block is named after it. */
export const PROVIDER_TYPE = 'cosinventory';
/** `cos-inventory.local/cdktf-cos-inventory/cosinventory`. */
export const PROVIDER_SOURCE = `${PROVIDER_HOST}/${PROVIDER_NAMESPACE}/${PROVIDER_TYPE}`;

/** One inventory job of one bucket. */
export const JOB_RESOURCE_TYPE = `${PROVIDER_TYPE}_job`;
/** One statement of a destination bucket's policy, allowing COS to deliver reports there. */
export const GRANT_RESOURCE_TYPE = `${PROVIDER_TYPE}_destination_grant`;

/** The executable Terraform starts: `terraform-provider-<type>_v<version>`. */
export function providerExecutableName(version: string = providerVersion()): string {
  return `terraform-provider-${PROVIDER_TYPE}_v${version}`;
}

let cachedVersion: string | undefined;

/**
 * The provider's version is the package's: a stack synthesized with one release of the
 * library pins the provider of that release. src/provider and lib/provider are both two
 * levels below the package root.
 */
export function providerVersion(): string {
  if (cachedVersion === undefined) {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    cachedVersion = manifest.version;
  }
  return cachedVersion;
}
