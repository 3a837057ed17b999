/**
 * The provider's `cosinventory_destination_grant` resource: one statement of a destination
 * bucket's policy allowing COS to deliver inventory reports there. Hand-written, like
 * ./job-resource.ts.
 */
import {
  TerraformResource,
  listMapper,
  listMapperHcl,
  stringToHclTerraform,
  stringToTerraform,
  type ITerraformDependable,
  type TerraformProvider,
} from 'cdktf';
import type { Construct } from 'constructs';
import { GRANT_RESOURCE_TYPE, PROVIDER_TYPE } from '../provider/names';
import { hclAttributes } from './hcl-attributes';

/** Configuration of a {@link CosInventoryDestinationGrant}. */
export interface CosInventoryDestinationGrantConfig {
  /** The destination bucket `name-appid` (a change replaces the grant). */
  readonly bucket: string;
  /** Region of the destination bucket (a change replaces the grant). */
  readonly region: string;
  /** The statement's sid (a change moves the statement in one policy write). */
  readonly sid: string;
  /** CAM principals allowed to deliver. */
  readonly principals: readonly string[];
  /** Object ARNs they may write. */
  readonly resources: readonly string[];
  /**
   * Role of the destination's account assumed for this grant's policy edits.
   * @default - the provider's own credential
   */
  readonly roleArn?: string;
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

/** A `cosinventory_destination_grant` resource. */
export class CosInventoryDestinationGrant extends TerraformResource {
  public static readonly tfResourceType = GRANT_RESOURCE_TYPE;

  /** The attributes as given; read by synthesis. */
  public readonly config: CosInventoryDestinationGrantConfig;

  public constructor(scope: Construct, id: string, config: CosInventoryDestinationGrantConfig) {
    super(scope, id, {
      terraformResourceType: GRANT_RESOURCE_TYPE,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE },
      provider: config.provider,
      dependsOn: config.dependsOn,
    });
    this.config = config;
  }

  /** `<region>/<bucket>/<sid>`, known after apply. */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const c = this.config;
    return {
      bucket: stringToTerraform(c.bucket),
      region: stringToTerraform(c.region),
      sid: stringToTerraform(c.sid),
      principals: listMapper(stringToTerraform, false)(c.principals),
      resources: listMapper(stringToTerraform, false)(c.resources),
      role_arn: stringToTerraform(c.roleArn),
      allowed_account_ids: listMapper(stringToTerraform, false)(c.allowedAccountIds),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const c = this.config;
    const list = (value: readonly string[] | undefined) =>
      ({
        value: listMapperHcl(stringToHclTerraform, false)(value),
        type: 'list',
        storageClassType: 'stringList',
      }) as const;
    return hclAttributes({
      bucket: { value: stringToHclTerraform(c.bucket), type: 'simple', storageClassType: 'string' },
      region: { value: stringToHclTerraform(c.region), type: 'simple', storageClassType: 'string' },
      sid: { value: stringToHclTerraform(c.sid), type: 'simple', storageClassType: 'string' },
      principals: list(c.principals),
      resources: list(c.resources),
      role_arn: { value: stringToHclTerraform(c.roleArn), type: 'simple', storageClassType: 'string' },
      allowed_account_ids: list(c.allowedAccountIds),
    });
  }
}
