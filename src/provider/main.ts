/**
 * The provider executable (bundled to dist/provider.js): refuses to run outside Terraform (no
 * go-plugin magic cookie), otherwise serves the provider until Terraform shuts it down.
 */
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../tfplugin/handshake';
import { runPluginProcess } from '../tfplugin/serve';
import { cosInventoryProvider } from './provider';

// Set by the bundler (scripts/bundle-provider.mjs): a bundle has no package.json to read.
declare const COS_INVENTORY_PROVIDER_VERSION: string | undefined;
const version =
  typeof COS_INVENTORY_PROVIDER_VERSION === 'string' ? COS_INVENTORY_PROVIDER_VERSION : 'unbundled';

if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
  process.stderr.write(`terraform-provider-cosinventory ${version} (cdktf-cos-inventory)\n`);
}
void runPluginProcess(cosInventoryProvider({ env: process.env }));
