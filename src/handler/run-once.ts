import type { CosClient } from '../cos/client';
import { runInventoryOnce } from '../cos/inventory';
import { canonicalConfiguration } from '../model/canonical';
import type { JobSpec } from './spec';

/** Starts COS's one-time inventory run for the configuration (no schedule, not stored as a job). */
export async function runOnce(client: CosClient, spec: JobSpec): Promise<string> {
  const configuration = canonicalConfiguration(spec.configuration);
  await runInventoryOnce(client, { bucket: spec.bucket, region: spec.region }, configuration);
  return `started a one-time inventory run ${configuration.Id} on ${spec.bucket}`;
}
