import type { CosClient } from '../cos/client';
import { deleteInventory } from '../cos/inventory';
import { mapBounded } from '../util/map-bounded';
import type { PruneSpec } from './spec';

/** Deletes at once: emptying a bucket of hundreds of jobs should not take one round trip each. */
export const PRUNE_CONCURRENCY = 8;

/** Ids that were declared before and are no longer: the jobs this apply must remove. */
export function idsToPrune(previous: readonly string[], desired: readonly string[]): string[] {
  const keep = new Set(desired);
  return [...new Set(previous)].filter((id) => !keep.has(id));
}

/** Deletes the jobs dropped from the declaration; jobs already gone count as deleted. */
export async function prune(client: CosClient, spec: PruneSpec): Promise<string> {
  const ids = idsToPrune(spec.previous, spec.desired);
  if (ids.length === 0) return `nothing to prune on ${spec.bucket}`;
  const target = { bucket: spec.bucket, region: spec.region };
  const present = await mapBounded(ids, PRUNE_CONCURRENCY, (id) => deleteInventory(client, target, id));
  const deleted = present.filter(Boolean).length;
  return `pruned inventory jobs ${ids.join(', ')} from ${spec.bucket} (${deleted} of ${ids.length} still present)`;
}
