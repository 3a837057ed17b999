import type { CosClient } from '../cos/client';
import { getInventory, putInventory } from '../cos/inventory';
import { canonicalConfiguration } from '../model/canonical';
import { diffConfigurations, normalizeRemoteConfiguration } from '../model/compare';
import { HandlerError } from './errors';
import type { JobSpec } from './spec';

/**
 * Creates or overwrites the job, then reads it back: COS answering 200 is not proof that it
 * stored every field (unknown fields can be dropped silently), so a difference fails the apply.
 */
export async function putJob(client: CosClient, spec: JobSpec): Promise<string> {
  const desired = canonicalConfiguration(spec.configuration);
  const target = { bucket: spec.bucket, region: spec.region };
  await putInventory(client, target, desired);
  const stored = await getInventory(client, target, desired.Id);
  if (stored === undefined) {
    throw new HandlerError({
      code: 'VerificationFailed',
      message: `cos accepted inventory job ${desired.Id} but reading it back found no such job`,
      hint: 'another process may have deleted it meanwhile: run terraform apply again',
    });
  }
  const differences = diffConfigurations(desired, normalizeRemoteConfiguration(stored));
  if (differences.length > 0) {
    throw new HandlerError({
      code: 'VerificationFailed',
      message: `cos stored inventory job ${desired.Id} differently from what was sent: ${differences.join(', ')}`,
      hint: 'cos may not support these fields in this region; remove them from the configuration or check the cos documentation',
    });
  }
  return `stored inventory job ${desired.Id} on ${spec.bucket}`;
}
