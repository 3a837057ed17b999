import type { CosClient } from '../cos/client';
import { asRole } from './access';
import { deleteInventory, isNoSuchBucket } from '../cos/inventory';
import { mapBounded } from '../util/map-bounded';
import { detachPolicy } from './detach-policy';
import type { PolicyWriteOptions } from './policy-write';
import type { PruneSpec } from './spec';

/** Deletes at once: emptying a bucket of hundreds of jobs should not take one round trip each. */
export const PRUNE_CONCURRENCY = 8;

/** Ids that were declared before and are no longer: the jobs this apply must remove. */
export function idsToPrune(previous: readonly string[], desired: readonly string[]): string[] {
  const keep = new Set(desired);
  return [...new Set(previous)].filter((id) => !keep.has(id));
}

/**
 * Deletes the jobs dropped from the declaration (jobs already gone count as deleted), then
 * detaches the source's statement from destinations no job delivers to any more: jobs first,
 * so COS never holds a job whose grant is gone.
 */
export async function prune(
  client: CosClient,
  spec: PruneSpec,
  options: PolicyWriteOptions,
  policyClientFor: (bucket: string) => Promise<CosClient> = () => Promise.resolve(client),
): Promise<string> {
  const ids = idsToPrune(spec.previous, spec.desired);
  const lines: string[] = [];
  if (ids.length === 0) lines.push(`nothing to prune on ${spec.bucket}`);
  else {
    const target = { bucket: spec.bucket, region: spec.region };
    const present = await mapBounded(ids, PRUNE_CONCURRENCY, (id) => deleteInventory(client, target, id));
    const deleted = present.filter(Boolean).length;
    lines.push(
      `pruned inventory jobs ${ids.join(', ')} from ${spec.bucket}: deleted ${deleted}, ${ids.length - deleted} already gone`,
    );
  }
  const grants = spec.grants;
  if (grants) {
    const keep = new Set(grants.keepDestinations);
    const retired = Object.entries(grants.destinations)
      .filter(([key]) => !keep.has(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, destination]) => destination);
    for (const destination of retired) {
      try {
        const editor = await policyClientFor(destination.bucket);
        lines.push(
          await asRole(editor, () => detachPolicy(editor, { ...destination, sids: [grants.sid] }, options)),
        );
      } catch (error) {
        // A destination that never existed (a typo fixed since) holds no statement of ours.
        if (!isNoSuchBucket(error)) throw error;
        lines.push(`destination bucket ${destination.bucket} does not exist: no statement to detach`);
      }
    }
  }
  return lines.join('\n');
}
