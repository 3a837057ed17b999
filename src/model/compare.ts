/**
 * Reading back what COS holds and comparing it with what was declared. The SDK hands back the
 * XML as parsed strings, with shapes that depend on how many elements there were.
 */
import { canonicalConfiguration } from './canonical';
import type {
  AndFilter,
  CosBucketDestination,
  Frequency,
  IncludedObjectVersions,
  InventoryConfiguration,
  InventoryFilter,
  OptionalField,
  PeriodFilter,
  ReportFormat,
  TagFilter,
} from './configuration';
import { describeValue } from './problem';

type Fields = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An XML text value as a string: numbers and booleans stringified, an absent one as ''. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  return '';
}

/** An optional text value: undefined when absent. */
function optionalText(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : text(value);
}

/** A container element: an object, or nothing (an empty element parses as '' or whitespace). */
function container(value: unknown): Fields | undefined {
  return isRecord(value) ? value : undefined;
}

/** One element or many: the parser yields an array only when the element repeats. */
function many(value: unknown): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value.trim() === '') return [];
  return [value];
}

function normalizeBoolean(value: unknown): string {
  const raw = text(value);
  const lower = raw.trim().toLowerCase();
  // Anything else is kept verbatim so a diff shows it instead of hiding it.
  return lower === 'true' || lower === 'false' ? lower : raw;
}

function normalizeOptionalFields(value: unknown): OptionalField[] {
  // The SDK unwraps `{ Field: [...] }`; a raw parse (or an empty element) may not be unwrapped.
  const list = isRecord(value) ? many(value.Field) : many(value);
  return list
    .map((field) => text(field).trim())
    .filter((field) => field !== '')
    .map((field) => field as OptionalField);
}

function normalizeEncryption(value: unknown): CosBucketDestination['Encryption'] {
  const encryption = container(value);
  if (encryption && ('SSECOS' in encryption || 'SSE-COS' in encryption)) return { SSECOS: '' };
  return undefined;
}

function normalizeDestination(value: unknown): CosBucketDestination {
  const destination = container(container(value)?.COSBucketDestination) ?? {};
  const encryption = normalizeEncryption(destination.Encryption);
  return {
    Format: text(destination.Format) as ReportFormat,
    AccountId: optionalText(destination.AccountId),
    Bucket: text(destination.Bucket),
    Prefix: optionalText(destination.Prefix),
    ...(encryption ? { Encryption: encryption } : {}),
  };
}

function normalizeTags(value: unknown): TagFilter[] {
  return many(value)
    .filter(isRecord)
    .map((tag) => ({ Key: text(tag.Key), Value: text(tag.Value) }));
}

function normalizeFilter(value: unknown): InventoryFilter | undefined {
  const filter = container(value);
  if (!filter) return undefined;
  const and = container(filter.And);
  const period = container(filter.Period);
  const normalizedAnd: AndFilter | undefined = and && {
    Prefix: optionalText(and.Prefix),
    Tag: normalizeTags(and.Tag),
    StorageClass: optionalText(and.StorageClass),
  };
  const normalizedPeriod: PeriodFilter | undefined = period && {
    StartTime: optionalText(period.StartTime),
    EndTime: optionalText(period.EndTime),
  };
  return { Prefix: optionalText(filter.Prefix), And: normalizedAnd, Period: normalizedPeriod };
}

/**
 * Turns what `getBucketInventory` (its `InventoryConfiguration`) or one entry of
 * `listBucketInventory`'s `InventoryConfigurations` holds into the canonical form.
 * Values outside the known sets are kept verbatim (typed as the model's literals) so that a
 * comparison reports them rather than hiding them.
 */
export function normalizeRemoteConfiguration(raw: unknown): InventoryConfiguration {
  if (!isRecord(raw)) {
    throw new Error(
      `normalizeRemoteConfiguration: InventoryConfiguration: expected an object, received ${describeValue(raw)}`,
    );
  }
  const schedule = container(raw.Schedule) ?? {};
  return canonicalConfiguration({
    Id: text(raw.Id),
    IsEnabled: normalizeBoolean(raw.IsEnabled) as InventoryConfiguration['IsEnabled'],
    Destination: { COSBucketDestination: normalizeDestination(raw.Destination) },
    Schedule: {
      Frequency: text(schedule.Frequency) as Frequency,
      MonthlyDate: optionalText(schedule.MonthlyDate),
    },
    Filter: normalizeFilter(raw.Filter),
    IncludedObjectVersions: text(raw.IncludedObjectVersions) as IncludedObjectVersions,
    OptionalFields: normalizeOptionalFields(raw.OptionalFields),
  });
}

function isLeaf(value: unknown): boolean {
  return !isRecord(value);
}

function collectDifferences(path: string, desired: unknown, actual: unknown, out: string[]): void {
  if (isLeaf(desired) || isLeaf(actual)) {
    // Arrays (OptionalFields, tags) and text compare as a whole; a part missing on one side
    // is reported at its own path.
    if (JSON.stringify(desired) !== JSON.stringify(actual)) out.push(path);
    return;
  }
  const left = desired as Fields;
  const right = actual as Fields;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    collectDifferences(path ? `${path}.${key}` : key, left[key], right[key], out);
  }
}

/**
 * The sorted field paths (e.g. `Filter.Prefix`, `OptionalFields`) where `actual` differs from
 * `desired`, after canonicalising both; `[]` means the same.
 */
export function diffConfigurations(
  desired: InventoryConfiguration,
  actual: InventoryConfiguration,
): string[] {
  const out: string[] = [];
  collectDifferences('', canonicalConfiguration(desired), canonicalConfiguration(actual), out);
  return out.sort();
}
