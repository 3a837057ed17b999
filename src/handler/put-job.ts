import type { CosClient } from '../cos/client';
import { getInventory, putInventory } from '../cos/inventory';
import { canonicalConfiguration } from '../model/canonical';
import { diffConfigurations, normalizeRemoteConfiguration } from '../model/compare';
import type { InventoryConfiguration } from '../model/configuration';
import { HandlerError } from './errors';
import { ENV_READBACK_MS, readBack, type ReadBackOptions } from './read-back';
import type { JobSpec } from './spec';

const ABSENT = '(the whole job: not found)';

function differences(desired: InventoryConfiguration, stored: unknown): string[] {
  return stored === undefined ? [ABSENT] : diffConfigurations(desired, normalizeRemoteConfiguration(stored));
}

/**
 * Creates or overwrites the job, then reads it back: COS answering 200 is not proof that it
 * stored every field (unknown fields can be dropped silently), so a difference fails the apply.
 * COS may serve the previous state for a while after a PUT, so the read-back waits that out
 * (`readBack`) before a difference counts.
 */
export async function putJob(client: CosClient, spec: JobSpec, options: ReadBackOptions): Promise<string> {
  const desired = canonicalConfiguration(spec.configuration);
  const target = { bucket: spec.bucket, region: spec.region };
  await putInventory(client, target, desired);
  const result = await readBack(
    () => getInventory(client, target, desired.Id),
    (stored) => differences(desired, stored),
    options,
  );
  const waited = `(${result.reads} reads within the ${options.windowMs} ms read-back window, ${ENV_READBACK_MS})`;
  if (result.value === undefined) {
    throw new HandlerError({
      code: 'VerificationFailed',
      message: `cos accepted inventory job ${desired.Id} but reading it back found no such job ${waited}`,
      hint: 'another process may have deleted it meanwhile, or cos is slow to show it: run terraform apply again',
    });
  }
  if (result.pending.length > 0) {
    throw new HandlerError({
      code: 'VerificationFailed',
      message: `cos stored inventory job ${desired.Id} differently from what was sent ${waited}: ${result.pending.join(', ')}`,
      hint: 'cos may not support these fields in this region, or another process changed the job; remove them from the configuration or check the cos documentation',
    });
  }
  return `stored inventory job ${desired.Id} on ${spec.bucket}`;
}
