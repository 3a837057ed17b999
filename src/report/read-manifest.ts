import { createHash } from 'node:crypto';
import type { CosClient } from '../cos/client';
import { getObjectBuffer } from '../cos/objects';
import type { Delivery } from './delivery';
import { ReportFormatError, ReportIntegrityError } from './errors';
import { parseManifest, type Manifest } from './manifest';

/**
 * Fetches `manifest.json` and `manifest.checksum`, checks that the MD5 hex of the manifest's
 * bytes equals the checksum, and parses the manifest. Throws `ReportIntegrityError` on a
 * mismatch, `ReportFormatError` when either file is malformed.
 */
export async function readManifest(client: CosClient, delivery: Delivery): Promise<Manifest> {
  const target = { bucket: delivery.bucket, region: delivery.region };
  const [manifestBytes, checksumBytes] = await Promise.all([
    getObjectBuffer(client, { ...target, key: delivery.manifestKey }),
    getObjectBuffer(client, { ...target, key: delivery.checksumKey }),
  ]);
  const expected = checksumBytes.toString('utf8').trim().toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(expected)) {
    throw new ReportFormatError(
      delivery.checksumKey,
      `manifest.checksum must hold 32 hex digits, received ${JSON.stringify(expected.slice(0, 80))}`,
    );
  }
  const actual = createHash('md5').update(manifestBytes).digest('hex');
  if (actual !== expected) {
    throw new ReportIntegrityError({
      file: delivery.manifestKey,
      check: 'manifest-checksum',
      expected,
      actual,
    });
  }
  return parseManifest(manifestBytes.toString('utf8'), delivery.manifestKey);
}
