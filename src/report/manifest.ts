import { ReportFormatError } from './errors';

/** One data file listed in `manifest.json`. */
export interface ManifestFile {
  /** Object key in the destination bucket. */
  readonly key: string;
  /** Size in bytes of the (gzipped) object. */
  readonly size: number;
  /** Lowercase MD5 hex of the object's bytes. */
  readonly md5Checksum: string;
}

/** `manifest.json` of one delivery, with counts as numbers and the schema split into columns. */
export interface Manifest {
  readonly sourceAppid: string;
  readonly sourceBucket: string;
  readonly destinationAppid: string;
  readonly destinationBucket: string;
  readonly fileFormat: string;
  readonly listObjectCount: number | undefined;
  readonly listStorageSize: number | undefined;
  readonly filterObjectCount: number | undefined;
  readonly filterStorageSize: number | undefined;
  /** The schema exactly as delivered, e.g. `Appid, Bucket, Key, Size`. */
  readonly fileSchema: string;
  /** The column names in CSV order. */
  readonly columns: readonly string[];
  /** Data files in the order their rows are read. */
  readonly files: readonly ManifestFile[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses `manifest.json` (all values are strings in COS's sample; numbers are accepted too).
 * `source` names the object in error messages.
 */
export function parseManifest(text: string, source: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ReportFormatError(source, `manifest is not valid json: ${(error as Error).message}`);
  }
  if (!isRecord(raw)) throw new ReportFormatError(source, 'manifest must be a json object');
  const manifest = raw;

  const requiredString = (field: string): string => {
    const value = manifest[field];
    if (typeof value !== 'string') {
      throw new ReportFormatError(
        source,
        `manifest field ${field} must be a string, received ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const count = (field: string): number | undefined => {
    const value = manifest[field];
    if (value === undefined) return undefined;
    const number = decimal(value);
    if (number === undefined) {
      throw new ReportFormatError(
        source,
        `manifest field ${field} must be a whole number, received ${JSON.stringify(value)}`,
      );
    }
    return number;
  };

  const fileFormat = requiredString('fileFormat');
  if (fileFormat.toUpperCase() !== 'CSV') {
    throw new ReportFormatError(
      source,
      `manifest field fileFormat must be CSV (the only format cos delivers), received ${JSON.stringify(fileFormat)}`,
    );
  }
  const fileSchema = requiredString('fileSchema');
  const columns = fileSchema.split(',').map((column) => column.trim());
  if (columns.some((column) => column === '')) {
    throw new ReportFormatError(
      source,
      `manifest field fileSchema must list column names separated by ", ", received ${JSON.stringify(fileSchema)}`,
    );
  }
  const duplicate = columns.find((column, index) => columns.indexOf(column) !== index);
  if (duplicate !== undefined) {
    throw new ReportFormatError(source, `manifest field fileSchema names column ${duplicate} twice`);
  }

  if (!Array.isArray(manifest.files)) {
    throw new ReportFormatError(
      source,
      `manifest field files must be an array, received ${JSON.stringify(manifest.files)}`,
    );
  }
  const files = manifest.files.map((entry: unknown, index): ManifestFile => {
    const field = `files[${index}]`;
    if (!isRecord(entry)) {
      throw new ReportFormatError(source, `manifest field ${field} must be an object`);
    }
    const size = decimal(entry.size);
    const md5 = entry.md5Checksum;
    if (typeof entry.key !== 'string' || entry.key === '') {
      throw new ReportFormatError(
        source,
        `manifest field ${field}.key must be a non-empty string, received ${JSON.stringify(entry.key)}`,
      );
    }
    if (size === undefined) {
      throw new ReportFormatError(
        source,
        `manifest field ${field}.size must be a whole number, received ${JSON.stringify(entry.size)}`,
      );
    }
    if (typeof md5 !== 'string' || !/^[0-9a-fA-F]{32}$/.test(md5)) {
      throw new ReportFormatError(
        source,
        `manifest field ${field}.md5Checksum must be 32 hex digits, received ${JSON.stringify(md5)}`,
      );
    }
    return { key: entry.key, size, md5Checksum: md5.toLowerCase() };
  });

  return {
    sourceAppid: requiredString('sourceAppid'),
    sourceBucket: requiredString('sourceBucket'),
    destinationAppid: requiredString('destinationAppid'),
    destinationBucket: requiredString('destinationBucket'),
    fileFormat,
    listObjectCount: count('listObjectCount'),
    listStorageSize: count('listStorageSize'),
    filterObjectCount: count('filterObjectCount'),
    filterStorageSize: count('filterStorageSize'),
    fileSchema,
    columns,
    files,
  };
}

function decimal(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}
