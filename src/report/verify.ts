import type { CosClient } from '../cos/client';
import { mapBounded } from '../util/map-bounded';
import { verifyDataFile } from './data-file';
import type { Delivery } from './delivery';
import type { Manifest } from './manifest';
import { readManifest } from './read-manifest';

export interface VerifyOptions {
  /** Data files downloaded at once (default 4). */
  readonly concurrency?: number;
  /** Called after each data file has been checked. */
  readonly onFileVerified?: (file: string, done: number, total: number) => void;
}

/** Default number of data files fetched at once. */
export const DEFAULT_CONCURRENCY = 4;

/**
 * Checks a whole delivery without parsing it: the manifest against `manifest.checksum`, then
 * every data file's size and MD5 against the manifest (streamed, constant memory). Returns
 * the verified manifest; throws `ReportIntegrityError` naming the first bad file (in
 * manifest order) with the expected and actual values.
 */
export async function verifyDelivery(
  client: CosClient,
  delivery: Delivery,
  options: VerifyOptions = {},
): Promise<Manifest> {
  const manifest = await readManifest(client, delivery);
  const source = { client, bucket: delivery.bucket, region: delivery.region };
  let done = 0;
  await mapBounded(manifest.files, options.concurrency ?? DEFAULT_CONCURRENCY, async (file) => {
    await verifyDataFile(source, file);
    options.onFileVerified?.(file.key, ++done, manifest.files.length);
  });
  return manifest;
}
