/**
 * An inventory job as the flat attributes of the provider's job resource, and back. Flat,
 * snake_case attributes make a plan show one line per changed field
 * (`~ frequency = "Weekly" -> "Daily"`), as Terraform users expect. The mapping is pure and
 * shared: the construct writes these attributes, the provider turns them into the SDK's
 * configuration and turns what COS answers into them again, both through the canonical form.
 */
import { canonicalConfiguration, compareStrings } from './canonical';
import type {
  AndFilter,
  Frequency,
  IncludedObjectVersions,
  InventoryConfiguration,
  InventoryFilter,
  OptionalField,
  PeriodFilter,
} from './configuration';

/** The encryption value of the `destination_encryption` attribute. */
export const SSE_COS = 'SSE-COS';

/**
 * The attributes of one job resource. `null` is an attribute left unset. Strings stay strings
 * where COS's XML carries digits (`monthly_date`, times): the model keeps COS's spelling.
 */
export interface JobAttributes {
  /** Region of the source bucket (changing it replaces the job). */
  readonly region: string;
  /** Source bucket, `name-appid` (changing it replaces the job). */
  readonly bucket: string;
  /** The job's id in COS (changing it replaces the job). */
  readonly job_id: string;
  readonly enabled: boolean;
  readonly included_object_versions: IncludedObjectVersions;
  readonly frequency: Frequency;
  readonly monthly_date: string | null;
  /** `qcs::cos:<region>::<name-appid>`. */
  readonly destination_bucket: string;
  readonly destination_account_id: string | null;
  readonly destination_prefix: string | null;
  readonly destination_format: 'CSV';
  /** `SSE-COS`, or null for none. */
  readonly destination_encryption: typeof SSE_COS | null;
  /** `Filter.Prefix`, or `Filter.And.Prefix` when tags or a storage class are also set. */
  readonly filter_prefix: string | null;
  /** `Filter.And.Tag`, key -> value. */
  readonly filter_tags: Readonly<Record<string, string>> | null;
  readonly filter_storage_class: string | null;
  /** `Filter.Period.StartTime`, Unix seconds. */
  readonly filter_start_time: string | null;
  readonly filter_end_time: string | null;
  /** Sorted and without duplicates. */
  readonly optional_fields: readonly OptionalField[] | null;
}

/** The attribute names, in schema order. */
export const JOB_ATTRIBUTE_NAMES = [
  'region',
  'bucket',
  'job_id',
  'enabled',
  'included_object_versions',
  'frequency',
  'monthly_date',
  'destination_bucket',
  'destination_account_id',
  'destination_prefix',
  'destination_format',
  'destination_encryption',
  'filter_prefix',
  'filter_tags',
  'filter_storage_class',
  'filter_start_time',
  'filter_end_time',
  'optional_fields',
] as const satisfies readonly (keyof JobAttributes)[];

/** Attributes whose change makes COS a different job: the resource is replaced. */
export const JOB_REPLACE_ATTRIBUTES = ['region', 'bucket', 'job_id'] as const;

function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}

/** The attributes of `config` (canonicalised first) for the job of `bucket` in `region`. */
export function jobAttributes(config: InventoryConfiguration, bucket: string, region: string): JobAttributes {
  const c = canonicalConfiguration(config);
  const destination = c.Destination.COSBucketDestination;
  const and = c.Filter?.And;
  const tags = and?.Tag;
  return {
    region,
    bucket,
    job_id: c.Id,
    enabled: c.IsEnabled === 'true',
    included_object_versions: c.IncludedObjectVersions,
    frequency: c.Schedule.Frequency,
    monthly_date: orNull(c.Schedule.MonthlyDate),
    destination_bucket: destination.Bucket,
    destination_account_id: orNull(destination.AccountId),
    destination_prefix: orNull(destination.Prefix),
    destination_format: destination.Format,
    destination_encryption: destination.Encryption !== undefined ? SSE_COS : null,
    filter_prefix: orNull(c.Filter?.Prefix ?? and?.Prefix),
    filter_tags:
      tags !== undefined && tags.length > 0 ? Object.fromEntries(tags.map((t) => [t.Key, t.Value])) : null,
    filter_storage_class: orNull(and?.StorageClass),
    filter_start_time: orNull(c.Filter?.Period?.StartTime),
    filter_end_time: orNull(c.Filter?.Period?.EndTime),
    optional_fields:
      c.OptionalFields !== undefined && c.OptionalFields.length > 0 ? [...c.OptionalFields] : null,
  };
}

function present(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value !== '';
}

/**
 * The SDK configuration of a job's attributes, canonical. A prefix goes under `And` only when
 * tags or a storage class share the filter (the canonical form writes a prefix-only `And` as a
 * plain `Prefix` anyway).
 */
export function configurationFromAttributes(attributes: JobAttributes): InventoryConfiguration {
  const tags = Object.entries(attributes.filter_tags ?? {})
    .map(([Key, Value]) => ({ Key, Value }))
    .sort((a, b) => compareStrings(a.Key, b.Key));
  const needsAnd = tags.length > 0 || present(attributes.filter_storage_class);
  const period: PeriodFilter = {
    ...(present(attributes.filter_start_time) ? { StartTime: attributes.filter_start_time } : {}),
    ...(present(attributes.filter_end_time) ? { EndTime: attributes.filter_end_time } : {}),
  };
  const and: AndFilter = {
    ...(present(attributes.filter_prefix) ? { Prefix: attributes.filter_prefix } : {}),
    ...(tags.length > 0 ? { Tag: tags } : {}),
    ...(present(attributes.filter_storage_class) ? { StorageClass: attributes.filter_storage_class } : {}),
  };
  const filter: InventoryFilter = {
    ...(needsAnd
      ? { And: and }
      : present(attributes.filter_prefix)
        ? { Prefix: attributes.filter_prefix }
        : {}),
    ...(Object.keys(period).length > 0 ? { Period: period } : {}),
  };
  return canonicalConfiguration({
    Id: attributes.job_id,
    IsEnabled: attributes.enabled ? 'true' : 'false',
    IncludedObjectVersions: attributes.included_object_versions,
    ...(Object.keys(filter).length > 0 ? { Filter: filter } : {}),
    ...(attributes.optional_fields !== null && attributes.optional_fields.length > 0
      ? { OptionalFields: attributes.optional_fields }
      : {}),
    Schedule: {
      Frequency: attributes.frequency,
      ...(present(attributes.monthly_date) ? { MonthlyDate: attributes.monthly_date } : {}),
    },
    Destination: {
      COSBucketDestination: {
        Format: attributes.destination_format,
        ...(present(attributes.destination_account_id)
          ? { AccountId: attributes.destination_account_id }
          : {}),
        Bucket: attributes.destination_bucket,
        ...(present(attributes.destination_prefix) ? { Prefix: attributes.destination_prefix } : {}),
        ...(attributes.destination_encryption !== null ? { Encryption: { SSECOS: '' as const } } : {}),
      },
    },
  });
}

/** `<region>/<bucket>/<job id>`: the job resource's `id` and its import id. */
export function jobImportId(region: string, bucket: string, jobId: string): string {
  return `${region}/${bucket}/${jobId}`;
}
