/**
 * One spelling per meaning: two configurations that COS treats the same have the same
 * canonical form, so `JSON.stringify(canonicalConfiguration(x))` is a stable identity.
 */
import type {
  AndFilter,
  CosBucketDestination,
  InventoryConfiguration,
  InventoryFilter,
  InventorySchedule,
  OptionalField,
  PeriodFilter,
  TagFilter,
} from './configuration';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Ordinal comparison: locale-independent, so the order is the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function canonicalDestination(destination: CosBucketDestination): CosBucketDestination {
  // The SDK sample's order: Format, AccountId, Bucket, Prefix, Encryption.
  return {
    Format: destination.Format,
    ...(present(destination.AccountId) ? { AccountId: destination.AccountId } : {}),
    Bucket: destination.Bucket,
    ...(present(destination.Prefix) ? { Prefix: destination.Prefix } : {}),
    ...(destination.Encryption !== undefined ? { Encryption: { SSECOS: '' as const } } : {}),
  };
}

function canonicalSchedule(schedule: InventorySchedule): InventorySchedule {
  return present(schedule.MonthlyDate)
    ? { Frequency: schedule.Frequency, MonthlyDate: schedule.MonthlyDate }
    : { Frequency: schedule.Frequency };
}

/** Tags sorted by key, then value. */
export function sortTags(tags: readonly TagFilter[]): TagFilter[] {
  return tags
    .map((tag) => ({ Key: tag.Key, Value: tag.Value ?? '' }))
    .sort((a, b) => compareStrings(a.Key, b.Key) || compareStrings(a.Value, b.Value));
}

function canonicalAnd(and: AndFilter): AndFilter | undefined {
  const result: Mutable<AndFilter> = {};
  if (present(and.Prefix)) result.Prefix = and.Prefix;
  if (and.Tag !== undefined && and.Tag.length > 0) result.Tag = sortTags(and.Tag);
  if (present(and.StorageClass)) result.StorageClass = and.StorageClass;
  return Object.keys(result).length > 0 ? result : undefined;
}

function canonicalPeriod(period: PeriodFilter): PeriodFilter | undefined {
  const result: Mutable<PeriodFilter> = {};
  if (present(period.StartTime)) result.StartTime = period.StartTime;
  if (present(period.EndTime)) result.EndTime = period.EndTime;
  return Object.keys(result).length > 0 ? result : undefined;
}

/**
 * `{ And: { Prefix } }` with nothing else in `And` means the same as `{ Prefix }` (COS's docs
 * show both; the Go SDK and Tencent's Terraform provider write the first), so it becomes the
 * second: a job written by those tools compares equal to ours.
 */
function canonicalFilter(filter: InventoryFilter): InventoryFilter | undefined {
  const result: Mutable<InventoryFilter> = {};
  if (present(filter.Prefix)) result.Prefix = filter.Prefix;
  const and = filter.And && canonicalAnd(filter.And);
  if (and && Object.keys(and).length === 1 && and.Prefix !== undefined && result.Prefix === undefined) {
    result.Prefix = and.Prefix;
  } else if (and) result.And = and;
  const period = filter.Period && canonicalPeriod(filter.Period);
  if (period) result.Period = period;
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Sorted and without duplicates. */
export function canonicalOptionalFields(fields: readonly OptionalField[]): OptionalField[] {
  return [...new Set(fields)].sort(compareStrings);
}

/**
 * The canonical form: keys in the order of the SDK sample (Id, IsEnabled, Destination,
 * Schedule, Filter, IncludedObjectVersions, OptionalFields), `OptionalFields` sorted and
 * de-duplicated, tags sorted, a prefix-only `And` filter written as a plain `Prefix`, empty
 * optional parts omitted, unknown keys dropped.
 */
export function canonicalConfiguration(config: InventoryConfiguration): InventoryConfiguration {
  const filter = config.Filter && canonicalFilter(config.Filter);
  const fields = config.OptionalFields ? canonicalOptionalFields(config.OptionalFields) : [];
  return {
    Id: config.Id,
    IsEnabled: config.IsEnabled,
    Destination: { COSBucketDestination: canonicalDestination(config.Destination.COSBucketDestination) },
    Schedule: canonicalSchedule(config.Schedule),
    ...(filter ? { Filter: filter } : {}),
    IncludedObjectVersions: config.IncludedObjectVersions,
    ...(fields.length > 0 ? { OptionalFields: fields } : {}),
  };
}
