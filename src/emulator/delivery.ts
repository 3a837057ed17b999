import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { csvLine } from './csv-line';
import { InventoryDocument } from './inventory-document';
import { reportColumns } from './report-columns';
import { BucketState, NewObject, ObjectVersion, Store } from './store';
import { DeliveryResult } from './types';

/** Default rows per data file before another file is started. */
export const DEFAULT_ROWS_PER_FILE = 100_000;
/** First path segment when the destination has no Prefix (COS's manifest sample shows it). */
export const DEFAULT_REPORT_PREFIX = 'cos_bucket_inventory';

interface Candidate {
  readonly version: ObjectVersion;
  readonly isLatest: boolean;
}

/** The UTC day of a date as `YYYYMMDD`. */
export function yyyymmdd(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
}

/** `<prefix>/<appid>/<source-bucket-name>/<id>/`; trailing slashes of the prefix are dropped. */
export function reportFolder(job: InventoryDocument, source: BucketState): string {
  const prefix = (job.destination.prefix ?? '').replace(/\/+$/, '') || DEFAULT_REPORT_PREFIX;
  return `${prefix}/${source.appId}/${source.name}/${job.id}/`;
}

function matchesFilter(job: InventoryDocument, version: ObjectVersion): boolean {
  const filter = job.filter;
  if (filter === undefined) return true;
  const prefix = filter.prefix ?? filter.and?.prefix;
  if (prefix !== undefined && !version.key.startsWith(prefix)) return false;
  for (const tag of filter.and?.tags ?? []) {
    if (version.tags.get(tag.key) !== tag.value) return false;
  }
  if (filter.and?.storageClass !== undefined && version.storageClass !== filter.and.storageClass)
    return false;
  // Period selects by creation time; an object's creation time here is its last write.
  const seconds = Math.floor(version.lastModified.getTime() / 1000);
  if (filter.period?.startTime !== undefined && seconds < Number(filter.period.startTime)) return false;
  if (filter.period?.endTime !== undefined && seconds > Number(filter.period.endTime)) return false;
  return true;
}

function tagString(tags: ReadonlyMap<string, string>): string {
  return [...tags].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function cell(column: string, source: BucketState, candidate: Candidate): string {
  const { version } = candidate;
  const marker = version.isDeleteMarker;
  switch (column) {
    case 'Appid':
      return source.appId;
    case 'Bucket':
      return source.name;
    case 'Key':
      return encodeURIComponent(version.key);
    case 'VersionId':
      return version.versionId === 'null' ? '' : version.versionId;
    case 'IsLatest':
      return String(candidate.isLatest);
    case 'IsDeleteMarker':
      return String(marker);
    case 'Size':
      return marker ? '' : String(version.body.length);
    case 'LastModifiedDate':
      return version.lastModified.toISOString();
    case 'ETag':
      return version.etag;
    case 'StorageClass':
      return marker ? '' : version.storageClass;
    case 'IsMultipartUploaded':
      return marker ? '' : 'false';
    case 'ReplicationStatus':
      return '';
    case 'Tag':
      return tagString(version.tags);
    case 'Crc64':
      return version.crc64;
    default:
      return version.metadata.get(column) ?? '';
  }
}

export interface DeliveryOptions {
  readonly date: Date;
  readonly rowsPerFile: number;
}

/**
 * Scans the source bucket with the job's filters and writes gzipped CSV data files, then
 * `<YYYYMMDD>/manifest.json` and `manifest.checksum`, into the destination bucket.
 */
export function deliverInventory(
  store: Store,
  source: BucketState,
  job: InventoryDocument,
  options: DeliveryOptions,
): DeliveryResult {
  const match = /^qcs::cos:([^:]+)::(.+)$/.exec(job.destination.bucket);
  const destination = match ? store.find(match[2], match[1]) : undefined;
  if (match === null || destination === undefined) {
    throw new Error(`inventory ${job.id}: destination bucket ${job.destination.bucket} does not exist`);
  }
  const scope: Candidate[] =
    job.includedObjectVersions === 'All'
      ? source.allVersions()
      : source.currentObjects().map((version) => ({ version, isLatest: true }));
  const selected = scope.filter((candidate) => matchesFilter(job, candidate.version));
  const size = (list: Candidate[]): number => list.reduce((sum, c) => sum + c.version.body.length, 0);

  const columns = reportColumns(job);
  const folder = reportFolder(job, source);
  const files: { key: string; size: string; md5Checksum: string }[] = [];
  for (let start = 0; start < selected.length; start += options.rowsPerFile) {
    const csv = selected
      .slice(start, start + options.rowsPerFile)
      .map((candidate) => csvLine(columns.map((column) => cell(column, source, candidate))))
      .join('');
    const body = gzipSync(Buffer.from(csv, 'utf8'));
    const key = `${folder}${randomBytes(16).toString('hex')}.csv.gz`;
    destination.putObject(key, emptyMeta(body, 'application/x-gzip', options.date));
    files.push({ key, size: String(body.length), md5Checksum: createHash('md5').update(body).digest('hex') });
  }

  const manifest = {
    sourceAppid: source.appId,
    sourceBucket: source.name,
    destinationAppid: destination.appId,
    destinationBucket: destination.name,
    fileFormat: 'CSV',
    listObjectCount: String(scope.length),
    listStorageSize: String(size(scope)),
    filterObjectCount: String(selected.length),
    filterStorageSize: String(size(selected)),
    fileSchema: columns.join(', '),
    files,
  };
  const manifestBody = Buffer.from(JSON.stringify(manifest, null, 1), 'utf8');
  const dayFolder = `${folder}${yyyymmdd(options.date)}/`;
  const manifestKey = `${dayFolder}manifest.json`;
  const checksumKey = `${dayFolder}manifest.checksum`;
  destination.putObject(manifestKey, emptyMeta(manifestBody, 'application/json', options.date));
  destination.putObject(
    checksumKey,
    emptyMeta(
      Buffer.from(createHash('md5').update(manifestBody).digest('hex'), 'utf8'),
      'text/plain',
      options.date,
    ),
  );
  return {
    destinationBucket: destination.bucket,
    destinationRegion: destination.region,
    manifestKey,
    checksumKey,
    dataKeys: files.map((f) => f.key),
    rowCount: selected.length,
    fileSchema: columns,
  };
}

// Report objects carry the run's date as their write time, so a backdated delivery looks, to
// a reader checking the manifest's Last-Modified, as if it had been written that day.
function emptyMeta(body: Buffer, contentType: string, lastModified: Date): NewObject {
  return { body, contentType, storageClass: 'STANDARD', metadata: new Map(), tags: new Map(), lastModified };
}
