/**
 * The provider's `cosinventory_job` resource: one inventory job of one bucket, its attributes
 * those of src/model/job-attributes.ts in camelCase. Hand-written (no `cdktf get`: the provider
 * ships with this package, not from a registry).
 */
import {
  TerraformStack,
  booleanToHclTerraform,
  booleanToTerraform,
  hashMapper,
  hashMapperHcl,
  listMapper,
  stringToHclTerraform,
  stringToTerraform,
  type TerraformProvider,
  type TerraformResourceLifecycle,
} from 'cdktf';
import type { Construct } from 'constructs';
import { JOB_RESOURCE_TYPE } from '../provider/names';
import { hclAttributes, hclString, hclStringList } from './hcl-attributes';
import { CosInventoryResource, type CosInventoryResourceConfig } from './provider-resource';
import { requireTerraformVersion, type TerraformVersion } from './terraform-version';

/** `import` blocks: Terraform 1.5. */
export const IMPORT_BLOCK_VERSION: TerraformVersion = [1, 5];

/** Configuration of a {@link CosInventoryJob}: the job resource's attributes. */
export interface CosInventoryJobConfig extends CosInventoryResourceConfig {
  /** Region of the source bucket (a change replaces the job). */
  readonly region: string;
  /** Source bucket `name-appid` (a change replaces the job). */
  readonly bucket: string;
  /** The job id (a change replaces the job). */
  readonly jobId: string;
  readonly enabled: boolean;
  readonly includedObjectVersions: string;
  readonly frequency: string;
  /** @default - unset */
  readonly monthlyDate?: string;
  /** `qcs::cos:<region>::<name-appid>`. */
  readonly destinationBucket: string;
  /** @default - unset */
  readonly destinationAccountId?: string;
  /** @default - unset (COS's default prefix) */
  readonly destinationPrefix?: string;
  readonly destinationFormat: string;
  /** `SSE-COS`. @default - unset (no encryption) */
  readonly destinationEncryption?: string;
  /** @default - unset */
  readonly filterPrefix?: string;
  /** @default - unset */
  readonly filterTags?: Readonly<Record<string, string>>;
  /** @default - unset */
  readonly filterStorageClass?: string;
  /** Unix seconds. @default - unset */
  readonly filterStartTime?: string;
  /** Unix seconds. @default - unset */
  readonly filterEndTime?: string;
  /** @default - unset */
  readonly optionalFields?: readonly string[];
  /** @default - none */
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** A `cosinventory_job` resource. */
export class CosInventoryJob extends CosInventoryResource<CosInventoryJobConfig> {
  public static readonly tfResourceType = JOB_RESOURCE_TYPE;

  public constructor(scope: Construct, id: string, config: CosInventoryJobConfig) {
    super(scope, id, JOB_RESOURCE_TYPE, config);
  }

  /**
   * cdktf's import block for this resource, with Terraform's version checked once per stack:
   * cdktf's own `importFrom` adds a check per resource that starts `terraform version` each
   * time and fails the synth where no Terraform is installed.
   */
  public importFrom(id: string, provider?: TerraformProvider): void {
    // The field cdktf (0.21) and cdktn (0.24) render the import block from.
    (this as unknown as { _imported?: { id: string; provider?: TerraformProvider } })._imported = {
      id,
      provider,
    };
    requireTerraformVersion(TerraformStack.of(this), IMPORT_BLOCK_VERSION, 'import blocks');
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    const c = this.config;
    return {
      region: stringToTerraform(c.region),
      bucket: stringToTerraform(c.bucket),
      job_id: stringToTerraform(c.jobId),
      enabled: booleanToTerraform(c.enabled),
      included_object_versions: stringToTerraform(c.includedObjectVersions),
      frequency: stringToTerraform(c.frequency),
      monthly_date: stringToTerraform(c.monthlyDate),
      destination_bucket: stringToTerraform(c.destinationBucket),
      destination_account_id: stringToTerraform(c.destinationAccountId),
      destination_prefix: stringToTerraform(c.destinationPrefix),
      destination_format: stringToTerraform(c.destinationFormat),
      destination_encryption: stringToTerraform(c.destinationEncryption),
      filter_prefix: stringToTerraform(c.filterPrefix),
      filter_tags: hashMapper(stringToTerraform)(c.filterTags),
      filter_storage_class: stringToTerraform(c.filterStorageClass),
      filter_start_time: stringToTerraform(c.filterStartTime),
      filter_end_time: stringToTerraform(c.filterEndTime),
      optional_fields: listMapper(stringToTerraform, false)(c.optionalFields),
      allowed_account_ids: listMapper(stringToTerraform, false)(c.allowedAccountIds),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const c = this.config;
    return hclAttributes({
      region: hclString(c.region),
      bucket: hclString(c.bucket),
      job_id: hclString(c.jobId),
      enabled: { value: booleanToHclTerraform(c.enabled), type: 'simple', storageClassType: 'boolean' },
      included_object_versions: hclString(c.includedObjectVersions),
      frequency: hclString(c.frequency),
      monthly_date: hclString(c.monthlyDate),
      destination_bucket: hclString(c.destinationBucket),
      destination_account_id: hclString(c.destinationAccountId),
      destination_prefix: hclString(c.destinationPrefix),
      destination_format: hclString(c.destinationFormat),
      destination_encryption: hclString(c.destinationEncryption),
      filter_prefix: hclString(c.filterPrefix),
      filter_tags: {
        value: hashMapperHcl(stringToHclTerraform)(c.filterTags),
        type: 'map',
        storageClassType: 'stringMap',
      },
      filter_storage_class: hclString(c.filterStorageClass),
      filter_start_time: hclString(c.filterStartTime),
      filter_end_time: hclString(c.filterEndTime),
      optional_fields: hclStringList(c.optionalFields),
      allowed_account_ids: hclStringList(c.allowedAccountIds),
    });
  }
}
