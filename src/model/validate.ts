/**
 * Checks an inventory configuration against COS's rules (docs/cos-api-notes) and reports every
 * problem at once, so a user fixes them in one round.
 */
import { BUCKET_NAME_PATTERN, DESTINATION_ARN_PATTERN, isValidRegion } from './bucket';
import {
  BUILTIN_OPTIONAL_FIELDS,
  FREQUENCIES,
  INCLUDED_OBJECT_VERSIONS,
  REPORT_FORMATS,
} from './configuration';
import type { Problem } from './problem';

export interface ValidationContext {
  /** Region of the source bucket: the destination must be in the same one. */
  readonly sourceRegion?: string;
}

/** COS documents the characters; 64 is S3's and the AWS CDK's limit, taken as ours. */
export const ID_PATTERN = /^[a-zA-Z0-9._-]+$/;
export const MAX_ID_LENGTH = 64;
/** Ids of this form are reserved for one-time runs (`oneTimeRunId`), so a run never takes a job's id. */
export const ONE_TIME_RUN_ID_PATTERN = /-once-\d{14}-[0-9a-f]{6}$/;
/** COS documents no range; 28 exists in every month, so a job never silently skips one. */
export const MAX_MONTHLY_DATE = 28;
export const MAX_DESTINATION_PREFIX_LENGTH = 1024;
export const MAX_TAG_KEY_LENGTH = 128;
export const MAX_TAG_VALUE_LENGTH = 256;
/** At most this many inventory jobs per bucket. */
export const MAX_JOBS_PER_BUCKET = 1000;
export const METADATA_FIELD_PATTERN = /^x-cos-meta-[a-z0-9_-]+$/;

const DECIMAL = /^(?:0|[1-9][0-9]*)$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

type Fields = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** Collects problems while walking a configuration. */
class Checker {
  readonly problems: Problem[] = [];

  add(field: string, value: unknown, message: string): void {
    this.problems.push({ field, value, message });
  }

  /** Reports keys outside `allowed`; `undefined` values count as absent. */
  knownKeys(path: string, value: Fields, allowed: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key) && value[key] !== undefined) {
        this.add(join(path, key), value[key], `unknown field; allowed here: ${allowed.join(', ')}`);
      }
    }
  }

  /** A required object; returns it when it is one. */
  object(path: string, value: unknown, required: boolean): Fields | undefined {
    if (value === undefined) {
      if (required) this.add(path, value, 'is required (an object)');
      return undefined;
    }
    if (!isRecord(value)) {
      this.add(path, value, 'must be an object');
      return undefined;
    }
    return value;
  }

  /** A string; returns it when it is one. */
  string(path: string, value: unknown, required: boolean): string | undefined {
    if (value === undefined) {
      if (required) this.add(path, value, 'is required (a string)');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.add(path, value, 'must be a string');
      return undefined;
    }
    return value;
  }

  oneOf(path: string, value: unknown, allowed: readonly string[]): string | undefined {
    if (value === undefined) {
      this.add(path, value, `is required: one of ${quoteList(allowed)}`);
      return undefined;
    }
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.add(path, value, `must be one of ${quoteList(allowed)} (a string)`);
      return undefined;
    }
    return value;
  }
}

function checkId(c: Checker, value: unknown): void {
  const id = c.string('Id', value, true);
  if (id === undefined) return;
  if (id.length === 0) c.add('Id', id, 'must not be empty');
  else if (id.length > MAX_ID_LENGTH) c.add('Id', id, `must be at most ${MAX_ID_LENGTH} characters`);
  if (id.length > 0 && !ID_PATTERN.test(id)) {
    c.add('Id', id, 'may contain only letters, digits, hyphens, underscores and dots');
  }
  if (ONE_TIME_RUN_ID_PATTERN.test(id)) {
    c.add(
      'Id',
      id,
      'must not end in -once-<14 digits>-<6 hex digits>: that form is reserved for one-time runs',
    );
  }
}

function checkSchedule(c: Checker, value: unknown): void {
  const schedule = c.object('Schedule', value, true);
  if (!schedule) return;
  c.knownKeys('Schedule', schedule, ['Frequency', 'MonthlyDate']);
  const frequency = c.oneOf('Schedule.Frequency', schedule.Frequency, FREQUENCIES);
  const date = schedule.MonthlyDate;
  if (frequency === 'Monthly') {
    const text = c.string('Schedule.MonthlyDate', date, true);
    if (text !== undefined) {
      const day = DECIMAL.test(text) ? Number(text) : NaN;
      if (!(day >= 1 && day <= MAX_MONTHLY_DATE)) {
        c.add(
          'Schedule.MonthlyDate',
          date,
          `must be a whole day of the month from 1 to ${MAX_MONTHLY_DATE} as a decimal string`,
        );
      }
    }
  } else if (frequency !== undefined && date !== undefined) {
    c.add('Schedule.MonthlyDate', date, "is allowed only when Schedule.Frequency is 'Monthly'");
  }
}

function checkDestinationBucket(c: Checker, path: string, value: unknown, context: ValidationContext): void {
  const arn = c.string(path, value, true);
  if (arn === undefined) return;
  const match = DESTINATION_ARN_PATTERN.exec(arn);
  if (!match || !isValidRegion(match[1]) || !BUCKET_NAME_PATTERN.test(match[2])) {
    c.add(
      path,
      arn,
      'must be qcs::cos:<region>::<name>-<appid> with a region such as ap-guangzhou, ' +
        'a name of lowercase letters, digits and hyphens, and a numeric appid',
    );
    return;
  }
  if (context.sourceRegion !== undefined && match[1] !== context.sourceRegion) {
    c.add(path, arn, `must be in the source bucket's region ${context.sourceRegion}`);
  }
}

function checkDestinationPrefix(c: Checker, path: string, value: unknown): void {
  const prefix = c.string(path, value, false);
  if (prefix === undefined) return;
  if (prefix.startsWith('/')) c.add(path, prefix, "must not start with '/'");
  // COS appends the '/' itself; what it does with one already there is undocumented.
  if (prefix.endsWith('/')) c.add(path, prefix, "must not end with '/' (cos adds it)");
  if (prefix.length > MAX_DESTINATION_PREFIX_LENGTH) {
    c.add(path, prefix, `must be at most ${MAX_DESTINATION_PREFIX_LENGTH} characters`);
  }
  if (CONTROL_CHARACTERS.test(prefix)) c.add(path, prefix, 'must not contain control characters');
}

function checkEncryption(c: Checker, path: string, value: unknown): void {
  if (value === undefined) return;
  if (!isRecord(value) || Object.keys(value).length !== 1 || value.SSECOS !== '') {
    c.add(path, value, "must be { SSECOS: '' } (sse-cos is the only encryption cos supports for reports)");
  }
}

function checkDestination(c: Checker, value: unknown, context: ValidationContext): void {
  const destination = c.object('Destination', value, true);
  if (!destination) return;
  c.knownKeys('Destination', destination, ['COSBucketDestination']);
  const path = 'Destination.COSBucketDestination';
  const cos = c.object(path, destination.COSBucketDestination, true);
  if (!cos) return;
  c.knownKeys(path, cos, ['Format', 'AccountId', 'Bucket', 'Prefix', 'Encryption']);
  c.oneOf(`${path}.Format`, cos.Format, REPORT_FORMATS);
  const accountId = c.string(`${path}.AccountId`, cos.AccountId, false);
  if (accountId !== undefined && !/^[0-9]+$/.test(accountId)) {
    c.add(`${path}.AccountId`, accountId, 'must be the owner uin: digits only');
  }
  checkDestinationBucket(c, `${path}.Bucket`, cos.Bucket, context);
  checkDestinationPrefix(c, `${path}.Prefix`, cos.Prefix);
  checkEncryption(c, `${path}.Encryption`, cos.Encryption);
}

/** Returns the valid field names, for the tag-filter rule. */
function checkOptionalFields(c: Checker, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    c.add('OptionalFields', value, 'must be an array of field names');
    return [];
  }
  const seen = new Set<string>();
  value.forEach((field: unknown, index) => {
    const path = `OptionalFields[${index}]`;
    if (typeof field !== 'string') {
      c.add(path, field, 'must be a string');
      return;
    }
    const builtin = (BUILTIN_OPTIONAL_FIELDS as readonly string[]).includes(field);
    if (!builtin && !METADATA_FIELD_PATTERN.test(field)) {
      c.add(
        path,
        field,
        `must be one of ${BUILTIN_OPTIONAL_FIELDS.join(', ')} or x-cos-meta-<name> ` +
          'with a name of lowercase letters, digits, hyphens and underscores',
      );
      return;
    }
    if (seen.has(field)) c.add(path, field, 'is listed more than once');
    seen.add(field);
  });
  return [...seen];
}

function checkTags(c: Checker, path: string, value: unknown): number {
  if (value === undefined) return 0;
  if (!Array.isArray(value)) {
    c.add(path, value, 'must be an array of { Key, Value }');
    return 0;
  }
  value.forEach((tag: unknown, index) => {
    const tagPath = `${path}[${index}]`;
    const record = c.object(tagPath, tag, true);
    if (!record) return;
    c.knownKeys(tagPath, record, ['Key', 'Value']);
    const key = c.string(`${tagPath}.Key`, record.Key, true);
    if (key !== undefined && (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH)) {
      c.add(`${tagPath}.Key`, key, `must be 1 to ${MAX_TAG_KEY_LENGTH} characters`);
    }
    const tagValue = c.string(`${tagPath}.Value`, record.Value, true);
    if (tagValue !== undefined && tagValue.length > MAX_TAG_VALUE_LENGTH) {
      c.add(`${tagPath}.Value`, tagValue, `must be at most ${MAX_TAG_VALUE_LENGTH} characters`);
    }
  });
  return value.length;
}

function checkPeriod(c: Checker, value: unknown): void {
  const period = c.object('Filter.Period', value, false);
  if (!period) return;
  c.knownKeys('Filter.Period', period, ['StartTime', 'EndTime']);
  const times: Array<number | undefined> = (['StartTime', 'EndTime'] as const).map((key) => {
    const path = `Filter.Period.${key}`;
    const text = c.string(path, period[key], false);
    if (text === undefined) return undefined;
    if (!DECIMAL.test(text)) {
      c.add(path, text, 'must be unix seconds as a decimal string');
      return undefined;
    }
    return Number(text);
  });
  if (period.StartTime === undefined && period.EndTime === undefined) {
    c.add('Filter.Period', period, 'needs StartTime and/or EndTime');
  }
  const [start, end] = times;
  if (start !== undefined && end !== undefined && start >= end) {
    c.add('Filter.Period', period, 'StartTime must be earlier than EndTime');
  }
}

function checkFilter(c: Checker, value: unknown, optionalFields: readonly string[]): void {
  const filter = c.object('Filter', value, false);
  if (!filter) return;
  c.knownKeys('Filter', filter, ['Prefix', 'And', 'Period']);
  c.string('Filter.Prefix', filter.Prefix, false);
  if (filter.Prefix !== undefined && filter.And !== undefined) {
    c.add('Filter', filter, 'takes Prefix or And, not both: put the prefix inside And');
  }
  const and = c.object('Filter.And', filter.And, false);
  if (and) {
    c.knownKeys('Filter.And', and, ['Prefix', 'Tag', 'StorageClass']);
    const prefix = c.string('Filter.And.Prefix', and.Prefix, false);
    const tags = checkTags(c, 'Filter.And.Tag', and.Tag);
    c.string('Filter.And.StorageClass', and.StorageClass, false);
    if (!prefix && tags === 0) c.add('Filter.And', and, 'needs a Prefix and/or at least one Tag');
    if (tags > 0 && !optionalFields.includes('Tag')) {
      c.add('Filter.And.Tag', and.Tag, "filtering by tag needs 'Tag' in OptionalFields");
    }
  }
  checkPeriod(c, filter.Period);
}

/** Every problem with `config`; `[]` means COS should accept it. */
export function validateConfiguration(config: unknown, context: ValidationContext = {}): Problem[] {
  const c = new Checker();
  if (!isRecord(config)) {
    c.add('InventoryConfiguration', config, 'must be an object');
    return c.problems;
  }
  c.knownKeys('', config, [
    'Id',
    'IsEnabled',
    'Destination',
    'Schedule',
    'Filter',
    'IncludedObjectVersions',
    'OptionalFields',
  ]);
  checkId(c, config.Id);
  c.oneOf('IsEnabled', config.IsEnabled, ['true', 'false']);
  checkDestination(c, config.Destination, context);
  checkSchedule(c, config.Schedule);
  const fields = checkOptionalFields(c, config.OptionalFields);
  checkFilter(c, config.Filter, fields);
  c.oneOf('IncludedObjectVersions', config.IncludedObjectVersions, INCLUDED_OBJECT_VERSIONS);
  return c.problems;
}

/** Problems of a bucket's whole set of jobs: duplicate ids and too many jobs. */
export function validateJobSet(configs: readonly { readonly Id: string }[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  configs.forEach((config, index) => {
    if (seen.has(config.Id)) {
      problems.push({
        field: `[${index}].Id`,
        value: config.Id,
        message: 'duplicates the id of another job',
      });
    }
    seen.add(config.Id);
  });
  if (configs.length > MAX_JOBS_PER_BUCKET) {
    problems.push({
      field: 'InventoryConfigurations',
      value: configs.length,
      message: `a bucket holds at most ${MAX_JOBS_PER_BUCKET} inventory jobs`,
    });
  }
  return problems;
}
