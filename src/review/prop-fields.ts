/**
 * A job resource's values read back in the construct's own prop names, flattened to one entry
 * per prop path so two versions compare field by field: `schedule.frequency`, `filter.tags.tier`.
 * Two sources: the provider's flat attributes (`cosinventory_job`), and the SDK-shaped
 * configuration that provisioner-era state holds (the inverse of
 * src/construct/job-configuration.ts). Reviewers wrote props, never
 * `Destination.COSBucketDestination.Prefix` nor `destination_prefix`.
 */
import { DESTINATION_ARN_PATTERN } from '../model/bucket';
import { UNKNOWN, Unknown } from './plan-json';

/** How a value is written: enums and numbers bare, free text quoted, times with their date. */
export type PropKind = 'bare' | 'text' | 'time' | 'list';

export type PropValue = string | number | boolean | readonly string[] | Unknown;

export interface PropField {
  /** Prop path, e.g. `destination.prefix`, `filter.tags.tier`. */
  readonly path: string;
  readonly value: PropValue;
  readonly kind: PropKind;
}

type JsonObject = Record<string, unknown>;

/** The value at `keys`; `UNKNOWN` as soon as an unknown part is met; `undefined` if absent. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (current instanceof Unknown) return UNKNOWN;
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as JsonObject)[key];
  }
  return current ?? undefined;
}

function scalar(value: unknown): string | Unknown | undefined {
  if (value instanceof Unknown) return UNKNOWN;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function numeric(value: unknown): number | string | Unknown | undefined {
  const text = scalar(value);
  if (typeof text !== 'string') return text;
  return /^\d+$/.test(text) ? Number(text) : text;
}

/** `tags.tier`, or `tags["a.b"]` for a key that is not a plain name. */
export function keyPath(parent: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function destinationBucket(arn: string | Unknown, sourceRegion: string): string | Unknown {
  if (typeof arn !== 'string') return arn;
  const match = DESTINATION_ARN_PATTERN.exec(arn);
  // The construct writes `name-appid` as an ARN in the source region: show what was written.
  return match && match[1] === sourceRegion ? match[2] : arn;
}

function tagFields(tags: unknown): PropField[] {
  if (tags instanceof Unknown) return [{ path: 'filter.tags', value: UNKNOWN, kind: 'bare' }];
  const list = Array.isArray(tags) ? tags : tags === undefined ? [] : [tags];
  const byKey = new Map<string, string[]>();
  for (const tag of list) {
    const key = scalar(at(tag, 'Key'));
    const value = scalar(at(tag, 'Value'));
    if (typeof key !== 'string') continue;
    byKey.set(key, [...(byKey.get(key) ?? []), typeof value === 'string' ? value : String(value)]);
  }
  return [...byKey].map(([key, values]) => ({
    path: keyPath('filter.tags', key),
    value: values.length === 1 ? values[0] : values,
    kind: values.length === 1 ? 'text' : 'list',
  }));
}

function optionalFields(value: unknown): PropValue | undefined {
  if (value instanceof Unknown) return UNKNOWN;
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((f) => (f instanceof Unknown ? String(UNKNOWN) : String(f)));
}

function enabled(value: unknown): boolean | Unknown | undefined {
  const text = scalar(value);
  if (typeof text !== 'string') return text;
  return text.toLowerCase() === 'true';
}

/** The configuration's fields in prop names, in the order of the construct's props. */
export function jobPropFields(configuration: JsonObject, sourceRegion: string): PropField[] {
  const fields: PropField[] = [];
  const add = (path: string, value: PropValue | undefined, kind: PropKind): void => {
    if (value !== undefined) fields.push({ path, value, kind });
  };
  const destination = ['Destination', 'COSBucketDestination'];
  const bucket = scalar(at(configuration, ...destination, 'Bucket'));
  add(
    'destination.bucket',
    bucket === undefined ? undefined : destinationBucket(bucket, sourceRegion),
    'bare',
  );
  add('destination.prefix', scalar(at(configuration, ...destination, 'Prefix')), 'text');
  add('destination.accountId', scalar(at(configuration, ...destination, 'AccountId')), 'bare');
  const encryption = at(configuration, ...destination, 'Encryption');
  add(
    'destination.encryption',
    encryption instanceof Unknown ? UNKNOWN : encryption === undefined ? 'NONE' : 'SSE-COS',
    'bare',
  );
  const format = scalar(at(configuration, ...destination, 'Format'));
  if (format !== 'CSV') add('destination.format', format, 'bare');
  add('enabled', enabled(at(configuration, 'IsEnabled')), 'bare');
  add('includedObjectVersions', scalar(at(configuration, 'IncludedObjectVersions')), 'bare');
  add('schedule.frequency', scalar(at(configuration, 'Schedule', 'Frequency')), 'bare');
  add('schedule.monthlyDate', numeric(at(configuration, 'Schedule', 'MonthlyDate')), 'bare');
  // COS (and other tools) write a prefix-only filter as `Filter.And.Prefix`: the same prop.
  add(
    'filter.prefix',
    scalar(at(configuration, 'Filter', 'Prefix')) ?? scalar(at(configuration, 'Filter', 'And', 'Prefix')),
    'text',
  );
  fields.push(...tagFields(at(configuration, 'Filter', 'And', 'Tag')));
  add('filter.period.startTime', numeric(at(configuration, 'Filter', 'Period', 'StartTime')), 'time');
  add('filter.period.endTime', numeric(at(configuration, 'Filter', 'Period', 'EndTime')), 'time');
  add('optionalFields', optionalFields(at(configuration, 'OptionalFields')), 'list');
  return fields;
}

function attributeText(value: unknown): string | Unknown | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  return scalar(value);
}

function attributeTags(tags: unknown): PropField[] {
  if (tags instanceof Unknown) return [{ path: 'filter.tags', value: UNKNOWN, kind: 'bare' }];
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) return [];
  return Object.entries(tags as JsonObject)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({
      path: keyPath('filter.tags', key),
      value: value instanceof Unknown ? UNKNOWN : String(value),
      kind: 'text' as const,
    }));
}

/**
 * The fields of a `cosinventory_job` resource's flat attributes (src/model/job-attributes.ts)
 * in prop names, in the same order as {@link jobPropFields}: the review reads the same either way.
 */
export function jobAttributeFields(attributes: JsonObject, sourceRegion: string): PropField[] {
  const fields: PropField[] = [];
  const add = (path: string, value: PropValue | undefined, kind: PropKind): void => {
    if (value !== undefined) fields.push({ path, value, kind });
  };
  const bucket = attributeText(attributes.destination_bucket);
  add(
    'destination.bucket',
    bucket === undefined ? undefined : destinationBucket(bucket, sourceRegion),
    'bare',
  );
  add('destination.prefix', attributeText(attributes.destination_prefix), 'text');
  add('destination.accountId', attributeText(attributes.destination_account_id), 'bare');
  const encryption = attributes.destination_encryption;
  add(
    'destination.encryption',
    encryption instanceof Unknown ? UNKNOWN : (attributeText(encryption) ?? 'NONE'),
    'bare',
  );
  const format = attributeText(attributes.destination_format);
  if (format !== 'CSV') add('destination.format', format, 'bare');
  add('enabled', enabled(attributes.enabled), 'bare');
  add('includedObjectVersions', attributeText(attributes.included_object_versions), 'bare');
  add('schedule.frequency', attributeText(attributes.frequency), 'bare');
  add('schedule.monthlyDate', numeric(attributeText(attributes.monthly_date)), 'bare');
  add('filter.prefix', attributeText(attributes.filter_prefix), 'text');
  fields.push(...attributeTags(attributes.filter_tags));
  add('filter.storageClass', attributeText(attributes.filter_storage_class), 'bare');
  add('filter.period.startTime', numeric(attributeText(attributes.filter_start_time)), 'time');
  add('filter.period.endTime', numeric(attributeText(attributes.filter_end_time)), 'time');
  const optional = attributes.optional_fields;
  add(
    'optionalFields',
    optional === null || optional === undefined ? undefined : optionalFields(optional),
    'list',
  );
  return fields;
}
