/**
 * The provider's `cosinventory_job` resource: one inventory job of one bucket, its attributes
 * those of src/model/job-attributes.ts in camelCase. Hand-written (no `cdktf get`: the provider
 * ships with this package, not from a registry).
 */
import {
  TerraformResource,
  TerraformStack,
  booleanToHclTerraform,
  booleanToTerraform,
  hashMapper,
  hashMapperHcl,
  listMapper,
  listMapperHcl,
  stringToHclTerraform,
  stringToTerraform,
  type ITerraformDependable,
  type TerraformProvider,
  type TerraformResourceLifecycle,
} from 'cdktf';
import type { Construct } from 'constructs';
import { JOB_RESOURCE_TYPE, PROVIDER_TYPE } from '../provider/names';
import { hclAttributes, type HclAttribute } from './hcl-attributes';
import { requireTerraformVersion, type TerraformVersion } from './terraform-version';

/** `import` blocks: Terraform 1.5. */
export const IMPORT_BLOCK_VERSION: TerraformVersion = [1, 5];

/** Configuration of a {@link CosInventoryJob}: the job resource's attributes. */
export interface CosInventoryJobConfig {
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
  /** @default - none */
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** A `cosinventory_job` resource. */
export class CosInventoryJob extends TerraformResource {
  public static readonly tfResourceType = JOB_RESOURCE_TYPE;

  /** The attributes as given; read by synthesis. */
  public readonly config: CosInventoryJobConfig;

  public constructor(scope: Construct, id: string, config: CosInventoryJobConfig) {
    super(scope, id, {
      terraformResourceType: JOB_RESOURCE_TYPE,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE },
      provider: config.provider,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.config = config;
  }

  /** `<region>/<bucket>/<job id>`, known after apply. */
  public get id(): string {
    return this.getStringAttribute('id');
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
    const text = (value: string | undefined): HclAttribute => ({
      value: stringToHclTerraform(value),
      type: 'simple',
      storageClassType: 'string',
    });
    return hclAttributes({
      region: text(c.region),
      bucket: text(c.bucket),
      job_id: text(c.jobId),
      enabled: { value: booleanToHclTerraform(c.enabled), type: 'simple', storageClassType: 'boolean' },
      included_object_versions: text(c.includedObjectVersions),
      frequency: text(c.frequency),
      monthly_date: text(c.monthlyDate),
      destination_bucket: text(c.destinationBucket),
      destination_account_id: text(c.destinationAccountId),
      destination_prefix: text(c.destinationPrefix),
      destination_format: text(c.destinationFormat),
      destination_encryption: text(c.destinationEncryption),
      filter_prefix: text(c.filterPrefix),
      filter_tags: {
        value: hashMapperHcl(stringToHclTerraform)(c.filterTags),
        type: 'map',
        storageClassType: 'stringMap',
      },
      filter_storage_class: text(c.filterStorageClass),
      filter_start_time: text(c.filterStartTime),
      filter_end_time: text(c.filterEndTime),
      optional_fields: {
        value: listMapperHcl(stringToHclTerraform, false)(c.optionalFields),
        type: 'list',
        storageClassType: 'stringList',
      },
      allowed_account_ids: {
        value: listMapperHcl(stringToHclTerraform, false)(c.allowedAccountIds),
        type: 'list',
        storageClassType: 'stringList',
      },
    });
  }
}
