/**
 * One report-reading measurement in a fresh process (bench/reports/bench-reports.mjs):
 *   node read-child.mjs <rows|gunzip|csv> <destination> <region> <source> <jobId> <prefix>
 * `rows`: readInventoryRows over the whole delivery (download, MD5, gunzip, csv-parse, typed
 * rows). `gunzip`: the floor, the same files fetched the same way (getObjectStream, as many at
 * once as readInventoryRows' default) and only gunzipped. `csv`: the same, then csv-parse with
 * its defaults (records counted, nothing decoded), to show csv-parse's own share. All start
 * with findDelivery and the manifest. Credentials and endpoint come from the environment, as
 * for the CLI. Only the report and cos parts of the library are loaded, as the CLI does.
 */
import { performance } from 'node:perf_hooks';
import { createGunzip } from 'node:zlib';
import { requireFromRoot } from '../common/paths.mjs';
import { peakRssKiB } from '../common/peak-rss.mjs';

const [mode, bucket, region, sourceBucket, jobId, prefix] = process.argv.slice(2);
if (!['rows', 'gunzip', 'csv'].includes(mode) || !prefix) {
  console.error('usage: read-child.mjs <rows|gunzip|csv> <destination> <region> <source> <jobId> <prefix>');
  process.exit(2);
}
const lib = { ...requireFromRoot('./lib/cos/index.js'), ...requireFromRoot('./lib/report/index.js') };
// Not re-exported by the package index; the same function readInventoryRows opens files with.
const { getObjectStream } = requireFromRoot('./lib/cos/objects.js');
const { parse } = requireFromRoot('csv-parse');
/** readInventoryRows' default number of files downloading at once. */
const CONCURRENCY = 4;

/** Uncompressed bytes (gunzip) or records (csv) of one data file. */
async function floorFile(client, delivery, file) {
  const body = await getObjectStream(client, {
    bucket: delivery.bucket,
    region: delivery.region,
    key: file.key,
  });
  let count = 0;
  const gunzip = body.pipe(createGunzip());
  if (mode === 'gunzip') {
    for await (const chunk of gunzip) count += chunk.length;
  } else {
    for await (const record of gunzip.pipe(parse())) count += record.length > 0 ? 1 : 0;
  }
  return count;
}

// What the process held when its RSS peaked: JS heap versus buffers outside it.
let atPeak = process.memoryUsage();
setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > atPeak.rss) atPeak = now;
}, 20).unref();

const started = performance.now();
const client = await lib.createCosClient(lib.credentialsFromEnv(process.env));
const delivery = await lib.findDelivery(client, { bucket, region, sourceBucket, jobId, prefix });
let rows = 0;
let bytes = 0;
let sizeSum = 0;
if (mode === 'rows') {
  for await (const row of lib.readInventoryRows(client, delivery)) {
    rows++;
    // Touch the typed values, as a consumer would.
    sizeSum += row.Size ?? 0;
    if (!(row.LastModifiedDate instanceof Date) || row.Key.length === 0) throw new Error(`bad row ${rows}`);
  }
} else {
  const manifest = await lib.readManifest(client, delivery);
  let next = 0;
  const worker = async () => {
    while (next < manifest.files.length) {
      const produced = await floorFile(client, delivery, manifest.files[next++]);
      if (mode === 'gunzip') bytes += produced;
      else rows += produced;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
const ms = performance.now() - started;
const mib = (n) => Math.round(n / 1048576);
console.log(
  JSON.stringify({
    mode,
    rows,
    bytes,
    sizeSum,
    ms,
    maxRssKiB: peakRssKiB(),
    atPeakMiB: {
      rss: mib(atPeak.rss),
      heapUsed: mib(atPeak.heapUsed),
      arrayBuffers: mib(atPeak.arrayBuffers),
    },
  }),
);
