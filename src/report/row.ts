import { ReportFormatError } from './errors';

/** A typed cell value. */
export type InventoryValue = string | number | boolean | Date;

/**
 * One object (or object version) of an inventory report. Properties are the report's column
 * names exactly as `fileSchema` lists them. `Key` is URL-decoded, `Size` a number,
 * `LastModifiedDate` a `Date`, `IsLatest`/`IsDeleteMarker`/`DeleteMarker`/`IsMultipartUploaded` booleans;
 * every other column (including `x-cos-meta-*`) is the cell's text. An empty cell of a typed
 * column is left out; an empty text cell is `''`.
 */
export interface InventoryRow {
  readonly Appid?: string;
  readonly Bucket?: string;
  readonly Key: string;
  readonly VersionId?: string;
  readonly IsLatest?: boolean;
  readonly IsDeleteMarker?: boolean;
  /** The same column under the name COS's PUT/GET inventory docs give it (its overview says `IsDeleteMarker`). */
  readonly DeleteMarker?: boolean;
  readonly Size?: number;
  readonly LastModifiedDate?: Date;
  readonly ETag?: string;
  readonly StorageClass?: string;
  readonly IsMultipartUploaded?: boolean;
  readonly ReplicationStatus?: string;
  readonly Tag?: string;
  readonly Crc64?: string;
  readonly [column: string]: InventoryValue | undefined;
}

export interface RowDecodingOptions {
  /**
   * Read `+` in `Key` as a space before percent-decoding (default `true`). Correct both for
   * keys encoded with `encodeURIComponent` (a real `+` arrives as `%2B`) and for
   * form-encoding (a space arrives as `+`); turn it off only for an encoder that leaves `+`
   * as it is.
   */
  readonly plusAsSpace?: boolean;
}

type Kind = 'key' | 'size' | 'date' | 'boolean' | 'text';

// A Map, not an object: a column named `constructor` or `__proto__` must not find Object's.
const KINDS: ReadonlyMap<string, Kind> = new Map<string, Kind>([
  ['Key', 'key'],
  ['Size', 'size'],
  ['LastModifiedDate', 'date'],
  ['IsLatest', 'boolean'],
  ['IsDeleteMarker', 'boolean'],
  ['DeleteMarker', 'boolean'],
  ['IsMultipartUploaded', 'boolean'],
]);

function kindOf(column: string): Kind {
  return KINDS.get(column) ?? 'text';
}

/** Turns one CSV record into a row; `file` and `line` name the cell in errors. */
export type RowDecoder = (record: readonly string[], file: string, line: number) => InventoryRow;

/** Builds the decoder for a manifest's columns (throws when there is no `Key` column). */
export function createRowDecoder(
  columns: readonly string[],
  source: string,
  options: RowDecodingOptions = {},
): RowDecoder {
  if (!columns.includes('Key')) {
    throw new ReportFormatError(
      source,
      `manifest field fileSchema must include a Key column, received ${JSON.stringify(columns.join(', '))}`,
    );
  }
  const plusAsSpace = options.plusAsSpace ?? true;
  // One converter per column, chosen once per manifest rather than per cell.
  const converters = columns.map((column): Converter => {
    const kind = kindOf(column);
    if (kind === 'text') return undefined;
    if (kind === 'key') return plusAsSpace ? decodeKeyPlusAsSpace : decodeKeyPlusAsPlus;
    if (kind === 'size') return parseSize;
    if (kind === 'boolean') return parseBoolean;
    return parseDateCell;
  });
  const count = columns.length;
  // An empty typed cell is left out; the key is always decoded (an empty key stays '').
  const omitWhenEmpty = columns.map((column) => kindOf(column) !== 'text' && kindOf(column) !== 'key');
  const build = rowBuilder(columns);
  // Reused for every record: `build` copies the values out at once.
  const values: (InventoryValue | undefined)[] = new Array<InventoryValue | undefined>(count);
  return (record, file, line) => {
    if (record.length !== count) {
      throw new ReportFormatError(
        file,
        `expected ${count} columns (${columns.join(', ')}), received ${record.length}`,
        line,
      );
    }
    let complete = true;
    for (let index = 0; index < count; index++) {
      const cell = record[index];
      const convert = converters[index];
      if (convert === undefined) {
        values[index] = cell;
        continue;
      }
      if (cell === '' && omitWhenEmpty[index]) {
        values[index] = undefined;
        complete = false;
        continue;
      }
      const value = convert(cell);
      if (value === undefined) throw cellError(columns[index], cell, file, line);
      values[index] = value;
    }
    const row = build(values);
    if (!complete) {
      // Rare (a delete marker has no size): the row is slower to use but has no such property.
      const partial = row as Record<string, InventoryValue | undefined>;
      for (let index = 0; index < count; index++) {
        if (values[index] === undefined) delete partial[columns[index]];
      }
    }
    return row;
  };
}

/**
 * A function returning `{ [columns[0]]: values[0], ... }` as one object literal. Adding the
 * properties one by one under names known only at run time cost ten times as much (it was
 * a third of the read time), so the literal is compiled once per manifest. Names enter the
 * code only as JSON string literals in computed keys, so any text of a manifest stays data
 * (a column named `__proto__` is an own property, not the prototype).
 */
function rowBuilder(
  columns: readonly string[],
): (values: readonly (InventoryValue | undefined)[]) => InventoryRow {
  const properties = columns.map((column, index) => `[${JSON.stringify(column)}]: values[${index}]`);
  return new Function('values', `'use strict'; return { ${properties.join(', ')} };`) as (
    values: readonly (InventoryValue | undefined)[],
  ) => InventoryRow;
}

/** Turns a cell into its value, or `undefined` when the cell is malformed. */
type Converter = ((cell: string) => InventoryValue | undefined) | undefined;

function cellError(column: string, cell: string, file: string, line: number): ReportFormatError {
  const kind = kindOf(column);
  const allowed =
    kind === 'key'
      ? 'be url-encoded (percent-encoded utf-8)'
      : kind === 'size'
        ? 'be a whole number of bytes'
        : kind === 'boolean'
          ? 'be true or false'
          : 'be an ISO 8601 date or unix seconds';
  return new ReportFormatError(
    file,
    `column ${column} must ${allowed}, received ${JSON.stringify(cell)}`,
    line,
  );
}

function decodeKeyPlusAsSpace(cell: string): string | undefined {
  return decodeKey(cell, true);
}

function decodeKeyPlusAsPlus(cell: string): string | undefined {
  return decodeKey(cell, false);
}

const PERCENT = 37;
const PLUS_SIGN = 43;
const SPACE = ' ';

/**
 * Percent-decodes a key. Escapes of ASCII bytes (`%2F`, `%20`, the usual ones) are decoded
 * here, which costs a third of decodeURIComponent; a key with an escape of a UTF-8 byte
 * (>= 0x80) or a malformed escape is handed whole to decodeURIComponent, the judge of
 * what is valid. `undefined` when it is not valid percent-encoding.
 */
function decodeKey(cell: string, plusAsSpace: boolean): string | undefined {
  let decoded = '';
  let copied = 0;
  const length = cell.length;
  for (let index = 0; index < length; index++) {
    const code = cell.charCodeAt(index);
    if (code === PERCENT) {
      const byte = (hexDigit(cell.charCodeAt(index + 1)) << 4) | hexDigit(cell.charCodeAt(index + 2));
      if (byte < 0 || byte >= 0x80) return decodeWhole(cell, plusAsSpace);
      decoded += cell.slice(copied, index) + String.fromCharCode(byte);
      index += 2;
      copied = index + 1;
    } else if (code === PLUS_SIGN && plusAsSpace) {
      decoded += cell.slice(copied, index) + SPACE;
      copied = index + 1;
    }
  }
  return copied === 0 ? cell : decoded + cell.slice(copied);
}

/** The value of a hexadecimal digit, or a negative number for anything else (NaN included). */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -256;
}

const PLUS = /\+/g;

function decodeWhole(cell: string, plusAsSpace: boolean): string | undefined {
  try {
    return decodeURIComponent(plusAsSpace ? cell.replace(PLUS, SPACE) : cell);
  } catch {
    return undefined;
  }
}

const ZERO = 48;
const NINE = 57;

/** True when every character in [from, to) is an ASCII digit and the range is not empty. */
function allDigits(cell: string, from = 0, to = cell.length): boolean {
  if (to <= from) return false;
  for (let index = from; index < to; index++) {
    const code = cell.charCodeAt(index);
    if (code < ZERO || code > NINE) return false;
  }
  return true;
}

function parseSize(cell: string): number | undefined {
  if (!allDigits(cell)) return undefined;
  const size = Number(cell);
  return Number.isSafeInteger(size) ? size : undefined;
}

function parseBoolean(cell: string): boolean | undefined {
  if (cell === 'true') return true;
  if (cell === 'false') return false;
  const lower = cell.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

function parseDateCell(cell: string): Date | undefined {
  return parseDate(cell);
}

/** ISO 8601 (COS's listing format), or Unix seconds/milliseconds should a report use them. */
function parseDate(cell: string): Date | undefined {
  const length = cell.length;
  if ((length === 10 || length === 13) && allDigits(cell)) {
    return new Date(length === 10 ? Number(cell) * 1000 : Number(cell));
  }
  // YYYY-MM-DD first; Date.parse then accepts the rest of ISO 8601 (time, zone).
  if (length < 10 || cell.charCodeAt(4) !== DASH || cell.charCodeAt(7) !== DASH) return undefined;
  if (!allDigits(cell, 0, 4) || !allDigits(cell, 5, 7) || !allDigits(cell, 8, 10)) {
    return undefined;
  }
  const time = parseUtcTimestamp(cell);
  if (time !== undefined) return new Date(time);
  const parsed = Date.parse(cell);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

const DASH = 45;
const COLON = 58;
const DOT = 46;
const T = 84;
const Z = 90;

/**
 * The one form COS writes, `YYYY-MM-DDTHH:MM:SS[.sss]Z` (date digits already checked), read
 * without Date.parse, which was a tenth of the read time. Anything else, or a field out of
 * the range this fast path handles, is `undefined` and left to Date.parse. Day 29-31 of a
 * shorter month rolls over exactly as Date.parse does.
 */
function parseUtcTimestamp(cell: string): number | undefined {
  const length = cell.length;
  if (length !== 20 && length !== 24) return undefined;
  if (cell.charCodeAt(10) !== T || cell.charCodeAt(13) !== COLON || cell.charCodeAt(16) !== COLON) {
    return undefined;
  }
  if (cell.charCodeAt(length - 1) !== Z) return undefined;
  if (!allDigits(cell, 11, 13) || !allDigits(cell, 14, 16) || !allDigits(cell, 17, 19)) return undefined;
  let millisecond = 0;
  if (length === 24) {
    if (cell.charCodeAt(19) !== DOT || !allDigits(cell, 20, 23)) return undefined;
    millisecond = digits(cell, 20, 23);
  }
  const month = digits(cell, 5, 7);
  const day = digits(cell, 8, 10);
  const hour = digits(cell, 11, 13);
  const minute = digits(cell, 14, 16);
  const second = digits(cell, 17, 19);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const time = daysSinceEpoch(digits(cell, 0, 4), month, day) * DAY + hour * HOUR + minute * MINUTE;
  return time + second * 1000 + millisecond;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil), in
 * arithmetic: Date.UTC is a call into the runtime. A day past the end of its month counts
 * on into the next, as with Date.UTC.
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  // Years start in March, so the leap day ends a year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The number written by the ASCII digits in [from, to). */
function digits(cell: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) value = value * 10 + cell.charCodeAt(index) - ZERO;
  return value;
}
