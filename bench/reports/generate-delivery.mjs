/**
 * Writes an inventory delivery of any size straight into a destination bucket through the SDK
 * (putObject), in COS's documented layout: gzipped CSV data files, then
 * `<YYYYMMDD>/manifest.json` and `manifest.checksum` (MD5 hex of the manifest). Putting a
 * million objects into the emulator and running the job would take far too long over HTTP.
 * Rows are pseudo-random but the same on every run (a seeded generator).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const COLUMNS = ['Appid', 'Bucket', 'Key', 'Size', 'LastModifiedDate', 'ETag', 'StorageClass'];
const STORAGE_CLASSES = ['STANDARD', 'STANDARD', 'STANDARD', 'STANDARD_IA', 'ARCHIVE'];
const DIRECTORIES = ['logs', 'media/photos', 'media/video', 'backups', 'tmp', 'data sets', '报告'];

/** mulberry32: small, fast, and the same sequence for the same seed. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Every cell quoted and quotes doubled, as in COS's samples and LocalCos's deliveries.
const quote = (cell) => `"${cell.replace(/"/g, '""')}"`;

function dataFile(next, source, firstRow, count) {
  const lines = [];
  const base = Date.UTC(2026, 0, 1);
  for (let i = firstRow; i < firstRow + count; i++) {
    const directory = DIRECTORIES[Math.floor(next() * DIRECTORIES.length)];
    const key = `${directory}/${Math.floor(next() * 1000)}/object-${i}.bin`;
    const etag = `"${Math.floor(next() * 2 ** 52)
      .toString(16)
      .padStart(16, '0')}${i.toString(16).padStart(16, '0')}"`;
    lines.push(
      [
        source.appId,
        source.name,
        encodeURIComponent(key),
        String(Math.floor(next() * 10_000_000)),
        new Date(base + Math.floor(next() * 300 * 86_400_000)).toISOString(),
        etag,
        STORAGE_CLASSES[Math.floor(next() * STORAGE_CLASSES.length)],
      ]
        .map(quote)
        .join(',') + '\n',
    );
  }
  return Buffer.from(lines.join(''), 'utf8');
}

/**
 * `options`: `{ bucket, region, sourceBucket, jobId, prefix, rows, rowsPerFile, date: 'YYYYMMDD' }`.
 * Resolves `{ manifestKey, files, rows, compressedBytes, uncompressedBytes }`.
 */
export async function generateDelivery(sdk, options) {
  const [, name, appId] = /^(.+)-(\d+)$/.exec(options.sourceBucket) ?? [];
  const [, destinationName, destinationAppId] = /^(.+)-(\d+)$/.exec(options.bucket) ?? [];
  if (!name || !destinationName) throw new Error('generateDelivery: buckets must be <name>-<appid>');
  const folder = `${options.prefix}/${appId}/${name}/${options.jobId}/`;
  const put = (Key, Body) => sdk.putObject({ Bucket: options.bucket, Region: options.region, Key, Body });
  const next = random(options.rows);
  const files = [];
  let uncompressedBytes = 0;
  for (let first = 0, n = 0; first < options.rows; first += options.rowsPerFile, n++) {
    const csv = dataFile(next, { name, appId }, first, Math.min(options.rowsPerFile, options.rows - first));
    uncompressedBytes += csv.length;
    const body = gzipSync(csv);
    const key = `${folder}data-${String(n).padStart(4, '0')}.csv.gz`;
    await put(key, body);
    files.push({ key, size: String(body.length), md5Checksum: createHash('md5').update(body).digest('hex') });
  }
  const manifest = {
    sourceAppid: appId,
    sourceBucket: name,
    destinationAppid: destinationAppId,
    destinationBucket: destinationName,
    fileFormat: 'CSV',
    listObjectCount: String(options.rows),
    listStorageSize: '0',
    filterObjectCount: String(options.rows),
    filterStorageSize: '0',
    fileSchema: COLUMNS.join(', '),
    files,
  };
  const manifestBody = Buffer.from(JSON.stringify(manifest, null, 1), 'utf8');
  const manifestKey = `${folder}${options.date}/manifest.json`;
  await put(manifestKey, manifestBody);
  await put(
    `${folder}${options.date}/manifest.checksum`,
    createHash('md5').update(manifestBody).digest('hex'),
  );
  return {
    manifestKey,
    files: files.length,
    rows: options.rows,
    compressedBytes: files.reduce((sum, file) => sum + Number(file.size), 0),
    uncompressedBytes,
  };
}
