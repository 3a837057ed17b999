import type { CosClient } from '../cos/client';
import { deleteInventory } from '../cos/inventory';
import type { PruneSpec } from './spec';

/** Ids that were declared before and are no longer: the jobs this apply must remove. */
export function idsToPrune(previous: readonly string[], desired: readonly string[]): string[] {
  const keep = new Set(desired);
  return [...new Set(previous)].filter((id) => !keep.has(id));
}

/** Deletes the jobs dropped from the declaration; jobs already gone count as deleted. */
export async function prune(client: CosClient, spec: PruneSpec): Promise<string> {
  const ids = idsToPrune(spec.previous, spec.desired);
  const target = { bucket: spec.bucket, region: spec.region };
  const deleted: string[] = [];
  for (const id of ids) {
    if (await deleteInventory(client, target, id)) deleted.push(id);
  }
  if (ids.length === 0) return `nothing to prune on ${spec.bucket}`;
  return `pruned inventory jobs ${ids.join(', ')} from ${spec.bucket} (${deleted.length} were present)`;
}
