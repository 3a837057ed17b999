import { ReportFormatError } from './errors';

/** A typed cell value. */
export type InventoryValue = string | number | boolean | Date;

/**
 * One object (or object version) of an inventory report. Properties are the report's column
 * names exactly as `fileSchema` lists them. `Key` is URL-decoded, `Size` a number,
 * `LastModifiedDate` a `Date`, `IsLatest`/`IsDeleteMarker`/`IsMultipartUploaded` booleans;
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

const KINDS: Readonly<Record<string, Kind>> = {
  Key: 'key',
  Size: 'size',
  LastModifiedDate: 'date',
  IsLatest: 'boolean',
  IsDeleteMarker: 'boolean',
  IsMultipartUploaded: 'boolean',
};

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
  const kinds = columns.map((column): Kind => KINDS[column] ?? 'text');
  return (record, file, line) => {
    if (record.length !== columns.length) {
      throw new ReportFormatError(
        file,
        `expected ${columns.length} columns (${columns.join(', ')}), received ${record.length}`,
        line,
      );
    }
    const row: Record<string, InventoryValue> = {};
    for (let index = 0; index < columns.length; index++) {
      const cell = record[index];
      const column = columns[index];
      const kind = kinds[index];
      if (kind === 'text') {
        row[column] = cell;
        continue;
      }
      if (kind === 'key') {
        row[column] = decodeKey(cell, plusAsSpace, file, line);
        continue;
      }
      if (cell === '') continue;
      row[column] = typedCell(kind, cell, column, file, line);
    }
    return row as unknown as InventoryRow;
  };
}

function decodeKey(cell: string, plusAsSpace: boolean, file: string, line: number): string {
  try {
    return decodeURIComponent(plusAsSpace ? cell.replace(/\+/g, ' ') : cell);
  } catch {
    throw new ReportFormatError(
      file,
      `column Key must be url-encoded (percent-encoded utf-8), received ${JSON.stringify(cell)}`,
      line,
    );
  }
}

function typedCell(
  kind: 'size' | 'date' | 'boolean',
  cell: string,
  column: string,
  file: string,
  line: number,
): InventoryValue {
  if (kind === 'size') {
    const size = /^\d+$/.test(cell) ? Number(cell) : NaN;
    if (!Number.isSafeInteger(size)) {
      throw new ReportFormatError(
        file,
        `column ${column} must be a whole number of bytes, received ${JSON.stringify(cell)}`,
        line,
      );
    }
    return size;
  }
  if (kind === 'boolean') {
    const lower = cell.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    throw new ReportFormatError(
      file,
      `column ${column} must be true or false, received ${JSON.stringify(cell)}`,
      line,
    );
  }
  const date = parseDate(cell);
  if (date === undefined) {
    throw new ReportFormatError(
      file,
      `column ${column} must be an ISO 8601 date or unix seconds, received ${JSON.stringify(cell)}`,
      line,
    );
  }
  return date;
}

/** ISO 8601 (COS's listing format), or Unix seconds/milliseconds should a report use them. */
function parseDate(cell: string): Date | undefined {
  if (/^\d{10}$/.test(cell)) return new Date(Number(cell) * 1000);
  if (/^\d{13}$/.test(cell)) return new Date(Number(cell));
  if (!/^\d{4}-\d{2}-\d{2}/.test(cell)) return undefined;
  const time = Date.parse(cell);
  return Number.isNaN(time) ? undefined : new Date(time);
}
