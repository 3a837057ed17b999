/**
 * The provider's `cosinventory_destination_grant` resource: one statement of a destination
 * bucket's policy allowing COS to deliver inventory reports there. Hand-written, like
 * ./job-resource.ts.
 */
import { listMapper, stringToTerraform } from 'cdktf';
import type { Construct } from 'constructs';
import { GRANT_RESOURCE_TYPE } from '../provider/names';
import { hclAttributes, hclString, hclStringList } from './hcl-attributes';
import { CosInventoryResource, type CosInventoryResourceConfig } from './provider-resource';

/** Configuration of a {@link CosInventoryDestinationGrant}. */
export interface CosInventoryDestinationGrantConfig extends CosInventoryResourceConfig {
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
}

/** A `cosinventory_destination_grant` resource. */
export class CosInventoryDestinationGrant extends CosInventoryResource<CosInventoryDestinationGrantConfig> {
  public static readonly tfResourceType = GRANT_RESOURCE_TYPE;

  public constructor(scope: Construct, id: string, config: CosInventoryDestinationGrantConfig) {
    super(scope, id, GRANT_RESOURCE_TYPE, config);
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
    return hclAttributes({
      bucket: hclString(c.bucket),
      region: hclString(c.region),
      sid: hclString(c.sid),
      principals: hclStringList(c.principals),
      resources: hclStringList(c.resources),
      role_arn: hclString(c.roleArn),
      allowed_account_ids: hclStringList(c.allowedAccountIds),
    });
  }
}
