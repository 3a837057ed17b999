/**
 * Maps a construct-level `InventoryJob` to the SDK's `InventoryConfiguration` (canonical form).
 * Nothing is validated here: the model's `validateConfiguration` reports every problem at once.
 */
import { Token } from 'cdktf';
import { DESTINATION_ARN_PATTERN } from '../model/bucket';
import { canonicalConfiguration } from '../model/canonical';
import type {
  AndFilter,
  InventoryConfiguration,
  InventoryFilter as SdkFilter,
  OptionalField,
  PeriodFilter,
  TagFilter,
} from '../model/configuration';
import type { InventoryField, InventoryJob, InventoryJobPeriod, InventoryJobTag } from './inventory-job';

/** Report columns when a job names none: what COS's own samples use. */
export const DEFAULT_OPTIONAL_FIELDS: readonly InventoryField[] = [
  'Size',
  'LastModifiedDate',
  'StorageClass',
  'ETag',
];

/** The destination bucket of a job, split for the policy and report location. */
export interface ResolvedDestination {
  /** `qcs::cos:<region>::<name-appid>` as the configuration carries it. */
  readonly arn: string;
  /** `name-appid` (may be a token). */
  readonly bucket: string;
  readonly region: string;
  /** Whether the bucket is an unresolved token (not checkable at synth). */
  readonly isToken: boolean;
}

/** Splits `destination.bucket` (`name-appid`, ARN or token) in the context of the source region. */
export function resolveDestination(bucket: string, sourceRegion: string): ResolvedDestination {
  if (Token.isUnresolved(bucket)) {
    return { arn: `qcs::cos:${sourceRegion}::${bucket}`, bucket, region: sourceRegion, isToken: true };
  }
  const arn = DESTINATION_ARN_PATTERN.exec(bucket);
  if (arn) return { arn: bucket, bucket: arn[2], region: arn[1], isToken: false };
  return { arn: `qcs::cos:${sourceRegion}::${bucket}`, bucket, region: sourceRegion, isToken: false };
}

function numberString(value: number): string {
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}

function unixSeconds(value: Date | number): string {
  return value instanceof Date ? String(Math.floor(value.getTime() / 1000)) : numberString(value);
}

function tagList(tags: Readonly<Record<string, string>> | readonly InventoryJobTag[]): TagFilter[] {
  const list: readonly InventoryJobTag[] = Array.isArray(tags)
    ? (tags as readonly InventoryJobTag[])
    : Object.entries(tags).map(([key, value]) => ({ key, value }));
  return list.map((tag) => ({ Key: tag.key, Value: tag.value }));
}

function period(value: InventoryJobPeriod | undefined): PeriodFilter | undefined {
  if (value === undefined) return undefined;
  return {
    ...(value.startTime !== undefined ? { StartTime: unixSeconds(value.startTime) } : {}),
    ...(value.endTime !== undefined ? { EndTime: unixSeconds(value.endTime) } : {}),
  };
}

function filter(job: InventoryJob): SdkFilter | undefined {
  const f = job.filter;
  if (f === undefined) return undefined;
  const tags = f.tags === undefined ? [] : tagList(f.tags);
  const when = period(f.period);
  const base: SdkFilter =
    tags.length > 0
      ? { And: { ...(f.prefix !== undefined ? { Prefix: f.prefix } : {}), Tag: tags } satisfies AndFilter }
      : f.prefix !== undefined
        ? { Prefix: f.prefix }
        : {};
  return when ? { ...base, Period: when } : base;
}

function hasTags(job: InventoryJob): boolean {
  const tags = job.filter?.tags;
  if (tags === undefined) return false;
  return Array.isArray(tags) ? tags.length > 0 : Object.keys(tags).length > 0;
}

/** The report columns of a job: its own, or the defaults plus `Tag` when it filters by tags. */
export function jobOptionalFields(job: InventoryJob): OptionalField[] {
  if (job.optionalFields !== undefined) return [...job.optionalFields];
  return hasTags(job) ? [...DEFAULT_OPTIONAL_FIELDS, 'Tag'] : [...DEFAULT_OPTIONAL_FIELDS];
}

/**
 * The job as the SDK's configuration, before canonicalisation: validation sees exactly what
 * the user wrote (e.g. duplicate optional fields), which canonicalisation would hide.
 */
export function rawConfiguration(job: InventoryJob, sourceRegion: string): InventoryConfiguration {
  const destination = job.destination;
  const schedule = job.schedule ?? { frequency: 'Daily' };
  const sdkFilter = filter(job);
  return {
    Id: job.id,
    IsEnabled: job.enabled === false ? 'false' : 'true',
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        ...(destination.accountId !== undefined ? { AccountId: destination.accountId } : {}),
        Bucket: resolveDestination(destination.bucket, sourceRegion).arn,
        ...(destination.prefix !== undefined ? { Prefix: destination.prefix } : {}),
        ...(destination.encryption === 'SSE-COS' ? { Encryption: { SSECOS: '' as const } } : {}),
      },
    },
    Schedule: {
      Frequency: schedule.frequency,
      ...(schedule.monthlyDate !== undefined ? { MonthlyDate: numberString(schedule.monthlyDate) } : {}),
    },
    ...(sdkFilter !== undefined ? { Filter: sdkFilter } : {}),
    IncludedObjectVersions: job.includedObjectVersions ?? 'Current',
    OptionalFields: jobOptionalFields(job),
  };
}

/** The job as the canonical SDK configuration the handler puts and the drift check compares. */
export function jobConfiguration(job: InventoryJob, sourceRegion: string): InventoryConfiguration {
  return canonicalConfiguration(rawConfiguration(job, sourceRegion));
}
