/**
 * What the provider's hand-written resources (./job-resource.ts, ./destination-grant-resource.ts)
 * share: the meta-arguments, the account guard, the config kept for synthesis and the `id`.
 */
import {
  TerraformResource,
  type ITerraformDependable,
  type TerraformProvider,
  type TerraformResourceLifecycle,
} from 'cdktf';
import type { Construct } from 'constructs';
import { PROVIDER_TYPE } from '../provider/names';

/** Configuration every resource of the `cosinventory` provider takes. */
export interface CosInventoryResourceConfig {
  /**
   * Accounts (UIN) whose credentials may create, update or delete this resource: the provider
   * checks its credential with GetCallerIdentity before each write (a delete against the value
   * in state, so the guard holds when the code declaring it is gone).
   * @default - no guard
   */
  readonly allowedAccountIds?: readonly string[];
  /** @default - the default `cosinventory` provider */
  readonly provider?: TerraformProvider;
  /** @default - none */
  readonly dependsOn?: ITerraformDependable[];
}

/** A resource of the `cosinventory` provider. */
export abstract class CosInventoryResource<
  Config extends CosInventoryResourceConfig,
> extends TerraformResource {
  /** The attributes as given; read by synthesis. */
  public readonly config: Config;

  protected constructor(
    scope: Construct,
    id: string,
    resourceType: string,
    config: Config & { readonly lifecycle?: TerraformResourceLifecycle },
  ) {
    super(scope, id, {
      terraformResourceType: resourceType,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE },
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.config = config;
  }

  /** `<region>/<bucket>/<job id or sid>`, known after apply. */
  public get id(): string {
    return this.getStringAttribute('id');
  }
}
