/**
 * The `cosinventory` provider block, hand-written like the resources. Its only setting is the
 * account guard for every write of the process; credentials and the endpoint come from the
 * environment the provider process inherits, as for every command of the CLI. BucketInventory
 * leaves it unset and guards each resource instead (`allowed_account_ids` of the job and the
 * grant), so the stack needs one block, never an alias that deleting a construct would remove.
 */
import { TerraformProvider, listMapper, stringToTerraform } from 'cdktf';
import type { Construct } from 'constructs';
import { PROVIDER_SOURCE, PROVIDER_TYPE, providerVersion } from '../provider/names';
import { hclAttributes, hclStringList } from './hcl-attributes';

/** Configuration of a {@link CosInventoryProvider}. */
export interface CosInventoryProviderConfig {
  /**
   * Accounts (UIN) the provider may write to: before its first write it asks STS whose
   * credentials it runs with and refuses any other account. Applies with each resource's own
   * `allowed_account_ids` when both are set.
   * @default - no guard
   */
  readonly allowedAccountIds?: readonly string[];
}

/** The `provider "cosinventory"` block (no alias), pinned to this package's version. */
export class CosInventoryProvider extends TerraformProvider {
  public static readonly tfResourceType = PROVIDER_TYPE;

  /** The account guard, as given. */
  public readonly allowedAccountIds?: readonly string[];

  public constructor(scope: Construct, id: string, config: CosInventoryProviderConfig = {}) {
    const version = providerVersion();
    super(scope, id, {
      terraformResourceType: PROVIDER_TYPE,
      terraformGeneratorMetadata: {
        providerName: PROVIDER_TYPE,
        providerVersion: version,
        providerVersionConstraint: version,
      },
      terraformProviderSource: PROVIDER_SOURCE,
    });
    this.allowedAccountIds = config.allowedAccountIds;
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {
      allowed_account_ids: listMapper(stringToTerraform, false)(this.allowedAccountIds),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return hclAttributes({
      allowed_account_ids: hclStringList(this.allowedAccountIds),
    });
  }
}
