import { CosError, invalidArgument } from './errors';
import { InventoryDocument, InventoryFilterDocument, InventoryTag } from './inventory-document';
import { XmlNode } from './xml';
import { XmlReader } from './xml-reader';
import { STORAGE_CLASSES } from './storage-classes';

// The emulator states COS's rules on its own rather than importing src/model: it stands in
// for COS, so a mistake in the model must show up as a disagreement in tests, not be shared.
export const INVENTORY_ID = /^[a-zA-Z0-9._-]{1,64}$/;
export const BUILTIN_FIELDS = [
  'Size',
  'LastModifiedDate',
  'StorageClass',
  'ETag',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'Tag',
  'Crc64',
] as const;
const METADATA_FIELD = /^x-cos-meta-[a-zA-Z0-9._-]+$/;
const DESTINATION_BUCKET = /^qcs::cos:([a-z0-9]+(?:-[a-z0-9]+)*)::([a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]+)$/;
const UNIX_SECONDS = /^[0-9]{1,12}$/;

export interface InventoryValidationContext {
  /** `put` stores a job; `run` is the one-time POST without IsEnabled and Schedule. */
  readonly mode: 'put' | 'run';
  /** The `id` query parameter. */
  readonly queryId: string | undefined;
  readonly sourceRegion: string;
  readonly bucketExists: (bucket: string, region: string) => boolean;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], field: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidArgument(`${field} is ${JSON.stringify(value)}; allowed: ${allowed.join(', ')}`);
  }
  return value as T;
}

// COS accepts `True` (the Python and Go SDK tests send it); it is stored, and returned,
// lower case (assumption: no test shows what a GET answers).
function readIsEnabled(value: string): 'true' | 'false' {
  const lower = value.toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    throw invalidArgument(`IsEnabled is ${JSON.stringify(value)}; allowed: true, false (any case)`);
  }
  return lower;
}

/** Checks the `id` query parameter alone (get, delete, and before reading a body). */
export function checkQueryId(queryId: string | undefined): string {
  if (queryId === undefined || queryId === '') throw invalidArgument('the id query parameter is required');
  if (!INVENTORY_ID.test(queryId)) {
    throw invalidArgument(
      `id ${JSON.stringify(queryId)} is not allowed: use 1 to 64 characters from a-z A-Z 0-9 - _ .`,
    );
  }
  return queryId;
}

function readTags(and: XmlReader): InventoryTag[] {
  return and.children('Tag').map((tag, index) => {
    tag.only(['Key', 'Value']);
    const key = tag.requiredText('Key');
    const value = tag.requiredText('Value');
    if (key === '') throw invalidArgument(`Filter.And.Tag[${index}].Key is empty; a tag key is required`);
    return { key, value };
  });
}

function readFilter(config: XmlReader): InventoryFilterDocument | undefined {
  const filter = config.child('Filter');
  if (filter === undefined) return undefined;
  filter.only(['Prefix', 'And', 'Period']);
  const prefix = filter.text('Prefix');
  const andReader = filter.child('And');
  if (prefix !== undefined && andReader !== undefined) {
    throw invalidArgument('Filter holds both Prefix and And; put the prefix inside And');
  }
  let and: InventoryFilterDocument['and'];
  if (andReader !== undefined) {
    andReader.only(['Prefix', 'Tag', 'StorageClass']);
    const storageClass = andReader.text('StorageClass');
    if (storageClass !== undefined) oneOf(storageClass, STORAGE_CLASSES, 'Filter.And.StorageClass');
    const tags = readTags(andReader);
    const keys = new Set(tags.map((t) => t.key));
    if (keys.size !== tags.length)
      throw invalidArgument('Filter.And.Tag repeats a tag key; each key may appear once');
    and = { prefix: andReader.text('Prefix'), tags, storageClass };
    if (and.prefix === undefined && tags.length === 0 && storageClass === undefined) {
      throw invalidArgument('Filter.And is empty; it needs a Prefix, a Tag or a StorageClass');
    }
  }
  let period: InventoryFilterDocument['period'];
  const periodReader = filter.child('Period');
  if (periodReader !== undefined) {
    periodReader.only(['StartTime', 'EndTime']);
    const startTime = periodReader.text('StartTime');
    const endTime = periodReader.text('EndTime');
    for (const [name, value] of [
      ['StartTime', startTime],
      ['EndTime', endTime],
    ] as const) {
      if (value !== undefined && !UNIX_SECONDS.test(value)) {
        throw invalidArgument(`Filter.Period.${name} is ${JSON.stringify(value)}; allowed: unix seconds`);
      }
    }
    if (startTime === undefined && endTime === undefined) {
      throw invalidArgument('Filter.Period is empty; it needs StartTime or EndTime');
    }
    if (startTime !== undefined && endTime !== undefined && Number(startTime) > Number(endTime)) {
      throw invalidArgument(`Filter.Period.StartTime ${startTime} is after EndTime ${endTime}`);
    }
    period = { startTime, endTime };
  }
  return stripUndefined({
    prefix,
    and: and && stripUndefined(and),
    period: period && stripUndefined(period),
  });
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function readOptionalFields(config: XmlReader): string[] | undefined {
  const optional = config.child('OptionalFields');
  if (optional === undefined) return undefined;
  optional.only(['Field']);
  const fields = optional.texts('Field');
  const seen = new Set<string>();
  fields.forEach((field, index) => {
    if (!(BUILTIN_FIELDS as readonly string[]).includes(field) && !METADATA_FIELD.test(field)) {
      throw invalidArgument(
        `OptionalFields.Field[${index}] is ${JSON.stringify(field)}; allowed: ${BUILTIN_FIELDS.join(', ')}, x-cos-meta-<name>`,
      );
    }
    if (seen.has(field)) throw invalidArgument(`OptionalFields.Field ${field} appears more than once`);
    seen.add(field);
  });
  return fields;
}

function readSchedule(config: XmlReader): InventoryDocument['schedule'] {
  const schedule = config.requiredChild('Schedule');
  schedule.only(['Frequency', 'MonthlyDate']);
  const frequency = oneOf(
    schedule.requiredText('Frequency'),
    ['Daily', 'Weekly', 'Monthly'] as const,
    'Schedule.Frequency',
  );
  const monthlyDate = schedule.text('MonthlyDate');
  if (frequency === 'Monthly') {
    if (monthlyDate === undefined)
      throw invalidArgument('Schedule.MonthlyDate is required when Frequency is Monthly');
    if (!/^[0-9]{1,2}$/.test(monthlyDate) || Number(monthlyDate) < 1 || Number(monthlyDate) > 31) {
      throw invalidArgument(`Schedule.MonthlyDate is ${JSON.stringify(monthlyDate)}; allowed: 1 to 31`);
    }
    return { frequency, monthlyDate };
  }
  if (monthlyDate !== undefined) {
    throw invalidArgument(`Schedule.MonthlyDate is only allowed with Frequency Monthly, not ${frequency}`);
  }
  return { frequency };
}

function readDestination(
  config: XmlReader,
  context: InventoryValidationContext,
): InventoryDocument['destination'] {
  const destination = config.requiredChild('Destination').only(['COSBucketDestination']);
  const cos = destination.requiredChild('COSBucketDestination');
  cos.only(['Format', 'AccountId', 'Bucket', 'Prefix', 'Encryption']);
  const format = oneOf(
    cos.requiredText('Format'),
    ['CSV'] as const,
    'Destination.COSBucketDestination.Format',
  );
  const accountId = cos.text('AccountId');
  if (accountId !== undefined && !/^[0-9]{1,20}$/.test(accountId)) {
    throw invalidArgument(
      `Destination.COSBucketDestination.AccountId is ${JSON.stringify(accountId)}; allowed: digits (an account uin)`,
    );
  }
  const bucket = cos.requiredText('Bucket');
  const match = DESTINATION_BUCKET.exec(bucket);
  if (!match) {
    throw invalidArgument(
      `Destination.COSBucketDestination.Bucket is ${JSON.stringify(bucket)}; allowed: qcs::cos:<region>::<name>-<appid>`,
    );
  }
  if (match[1] !== context.sourceRegion) {
    throw invalidArgument(
      `Destination.COSBucketDestination.Bucket is in ${match[1]}; the destination must be in the source region ${context.sourceRegion}`,
    );
  }
  if (!context.bucketExists(match[2], match[1])) {
    throw invalidArgument(
      `Destination.COSBucketDestination.Bucket ${match[2]} does not exist in ${match[1]}`,
    );
  }
  const prefix = cos.text('Prefix');
  if (prefix !== undefined && Buffer.byteLength(prefix) > 1024) {
    throw invalidArgument('Destination.COSBucketDestination.Prefix is longer than 1024 bytes');
  }
  const encryptionReader = cos.child('Encryption');
  if (encryptionReader !== undefined) {
    encryptionReader.only(['SSE-COS']);
    const sse = encryptionReader.text('SSE-COS');
    if (sse === undefined)
      throw invalidArgument('Destination.COSBucketDestination.Encryption needs an empty SSE-COS element');
    if (sse !== '')
      throw invalidArgument(
        `Destination.COSBucketDestination.Encryption.SSE-COS is ${JSON.stringify(sse)}; it must be empty`,
      );
  }
  return stripUndefined({ format, accountId, bucket, prefix, encryption: encryptionReader !== undefined });
}

/**
 * Validates a put or one-time-run body fully and returns the document to store or run.
 * Throws the first problem as COS would answer it; nothing is mutated here.
 */
export function validateInventory(root: XmlNode, context: InventoryValidationContext): InventoryDocument {
  const queryId = checkQueryId(context.queryId);
  const rootNames = Object.keys(root);
  if (rootNames.length !== 1 || rootNames[0] !== 'InventoryConfiguration') {
    throw new CosError(
      400,
      'MalformedXML',
      `the root element is ${rootNames.join(', ') || 'missing'}; expected InventoryConfiguration`,
    );
  }
  const config = XmlReader.of(root.InventoryConfiguration, 'InventoryConfiguration');
  const allowed =
    context.mode === 'put'
      ? ['Id', 'IsEnabled', 'Destination', 'Schedule', 'Filter', 'IncludedObjectVersions', 'OptionalFields']
      : ['Id', 'Destination', 'Filter', 'IncludedObjectVersions', 'OptionalFields'];
  config.only(allowed);

  const id = config.requiredText('Id');
  if (!INVENTORY_ID.test(id)) {
    throw invalidArgument(
      `Id ${JSON.stringify(id)} is not allowed: use 1 to 64 characters from a-z A-Z 0-9 - _ .`,
    );
  }
  if (id !== queryId)
    throw invalidArgument(`Id ${id} in the body differs from the id query parameter ${queryId}`);

  const isEnabled = context.mode === 'put' ? readIsEnabled(config.requiredText('IsEnabled')) : undefined;
  const includedObjectVersions = oneOf(
    config.requiredText('IncludedObjectVersions'),
    ['All', 'Current'] as const,
    'IncludedObjectVersions',
  );
  const schedule = context.mode === 'put' ? readSchedule(config) : undefined;
  const destination = readDestination(config, context);
  const filter = readFilter(config);
  const optionalFields = readOptionalFields(config);
  if ((filter?.and?.tags.length ?? 0) > 0 && !(optionalFields ?? []).includes('Tag')) {
    throw invalidArgument('Filter.And.Tag filters by tag, which requires Tag in OptionalFields');
  }
  return stripUndefined({
    id,
    isEnabled,
    includedObjectVersions,
    filter,
    optionalFields,
    schedule,
    destination,
  });
}
