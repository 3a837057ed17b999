import type { CosClient } from '../cos/client';
import { DataFileReader } from './data-file';
import type { Delivery } from './delivery';
import type { Manifest } from './manifest';
import { readManifest } from './read-manifest';
import { RowIterator } from './row-iterator';
import { createRowDecoder, type InventoryRow, type RowDecodingOptions } from './row';
import { DEFAULT_CONCURRENCY } from './verify';

/** Where a read stands, reported after each data file. */
export interface ReadProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly rows: number;
  /** Compressed bytes of the files read so far. */
  readonly bytes: number;
  readonly bytesTotal: number;
}

export interface ReadRowsOptions extends RowDecodingOptions {
  /** Data files downloading at once, the one being read included (default 4). */
  readonly concurrency?: number;
  /** An already verified manifest of this delivery (skips fetching it again). */
  readonly manifest?: Manifest;
  readonly onProgress?: (progress: ReadProgress) => void;
}

/**
 * Every row of a delivery, in manifest order, as typed objects:
 * `for await (const row of readInventoryRows(client, delivery)) ...`.
 *
 * The manifest is checked against `manifest.checksum` first. Data files are streamed
 * (gunzip -> CSV reader) with up to `concurrency` downloading ahead of the one being read, so
 * memory stays constant whatever the report size. Each file's size and MD5 are checked as
 * it is read: on a mismatch the iterator throws `ReportIntegrityError` at the end of that
 * file, after its rows were yielded; treat the rows read so far as untrusted then, or call
 * `verifyDelivery` first.
 */
export function readInventoryRows(
  client: CosClient,
  delivery: Delivery,
  options: ReadRowsOptions = {},
): AsyncGenerator<InventoryRow, undefined> {
  return new RowIterator(readBatches(client, delivery, options));
}

/** The rows of a delivery in batches, in manifest order; see readInventoryRows. */
async function* readBatches(
  client: CosClient,
  delivery: Delivery,
  options: ReadRowsOptions,
): AsyncGenerator<readonly InventoryRow[], void> {
  const manifest = options.manifest ?? (await readManifest(client, delivery));
  const decode = createRowDecoder(manifest.columns, delivery.manifestKey, options);
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const source = { client, bucket: delivery.bucket, region: delivery.region };
  const files = manifest.files;
  const bytesTotal = files.reduce((sum, file) => sum + file.size, 0);
  const ahead: DataFileReader[] = [];
  let next = 0;
  const fill = (): void => {
    while (next < files.length && ahead.length < concurrency) {
      ahead.push(new DataFileReader(source, files[next++], decode, manifest.columns));
    }
  };
  let rows = 0;
  let bytes = 0;
  let filesDone = 0;
  try {
    fill();
    while (ahead.length > 0) {
      const reader = ahead[0];
      for await (const batch of reader.batches()) {
        rows += batch.length;
        yield batch;
      }
      ahead.shift();
      filesDone++;
      bytes += reader.file.size;
      fill();
      options.onProgress?.({ filesDone, filesTotal: files.length, rows, bytes, bytesTotal });
    }
  } finally {
    for (const reader of ahead) reader.cancel();
  }
}
