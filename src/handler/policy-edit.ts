import type { CosClient } from '../cos/client';
import { deletePolicy, getPolicy, putPolicy } from '../cos/policy';
import type { BucketTarget } from '../cos/inventory';
import type { PolicyDocument } from '../model/policy';
import { ENV_READBACK_MS, readBack } from './read-back';
import { HandlerError } from './errors';
import { jitteredWait, type PolicyWriteOptions } from './policy-write';

/** Writes whose read-back never showed them before the loop gives up (each costs a whole window). */
export const MAX_STALE_ROUNDS = 2;

/** What one verb does to a bucket policy: its edit and its "done" test, nothing else. */
export interface PolicyEdit {
  /** The document to write given the current one; `undefined` deletes the whole policy. */
  apply(current: PolicyDocument | undefined): PolicyDocument | undefined;
  /** What in `doc` is not yet as wanted (sids, for messages); `[]` means done. */
  pending(doc: PolicyDocument | undefined): readonly string[];
  /** The error message when `pending` never empties, e.g. `statements a, b kept disappearing`. */
  failure(pending: readonly string[]): string;
}

export interface PolicyEditResult {
  /** Whether anything was written (false: the policy was already as wanted). */
  readonly wrote: boolean;
}

/**
 * The one read-modify-write-verify loop for bucket policies. COS replaces the whole policy on
 * PUT and has no conditional write, and may serve the previous policy for a while after a
 * write. So, per attempt:
 *
 * 1. read; when nothing is pending (and nothing was written yet) stop without writing;
 * 2. write the edited document (or delete the policy when the edit leaves nothing);
 * 3. read back until the edit shows, waiting out a stale read within the read-back window;
 * 4. wait a jittered settle delay (plus twice the lag seen in step 3) and read once more: a
 *    concurrent writer that read before our write, or read a stale policy, may have written
 *    since. If the edit is undone, start over (bounded attempts); if it holds but the policy
 *    changed (another writer at work), keep watching until a read equals the previous one.
 */
export async function editPolicy(
  client: CosClient,
  target: BucketTarget,
  edit: PolicyEdit,
  options: PolicyWriteOptions,
): Promise<PolicyEditResult> {
  let wrote = false;
  let pending: readonly string[] = [];
  let stale = false;
  let staleRounds = 0;
  let lagSeen = 0;
  // The last policy read that showed our edit: the final check compares against it.
  let seen = '';
  for (let attempt = 0; attempt < options.maxAttempts; attempt++) {
    if (attempt > 0) await jitteredWait(options, options.settleMs);
    const current = await getPolicy(client, target);
    pending = edit.pending(current);
    if (pending.length > 0) {
      const writtenAt = options.clock.now();
      const next = edit.apply(current);
      if (next === undefined) await deletePolicy(client, target);
      else await putPolicy(client, target, next);
      wrote = true;
      // A read equal to the policy before our write is stale (COS still serving the old
      // state): wait it out. Anything else is another writer's state: start over at once.
      const before = JSON.stringify(current ?? null);
      const shown = await readBack(
        () => getPolicy(client, target),
        edit.pending,
        options.readBack,
        (doc) => JSON.stringify(doc ?? null) === before,
      );
      pending = shown.pending;
      stale = shown.stale;
      // Twice unseen over a whole window is not a race any more: fail rather than loop for minutes.
      if (stale && ++staleRounds >= MAX_STALE_ROUNDS) break;
      if (pending.length > 0) continue;
      // A writer that read a stale policy (up to this lag old) may still overwrite ours, and
      // its write is itself unseen for as long: look again only after twice the lag we saw.
      lagSeen = shown.reads > 1 ? options.clock.now() - writtenAt : 0;
      seen = JSON.stringify(shown.value ?? null);
    }
    if (!wrote) break;
    stale = false;
    // Watch until the policy is quiet: a later read equal to the one that showed our edit.
    // A read that still holds our edit but differs means another writer is at work, and a
    // writer that read a stale policy may yet overwrite ours: look again (bounded rounds).
    for (let round = 0; round < options.maxAttempts; round++) {
      await jitteredWait(options, options.settleMs);
      if (lagSeen > 0) await options.clock.sleep(2 * lagSeen);
      const doc = await getPolicy(client, target);
      pending = edit.pending(doc);
      const text = JSON.stringify(doc ?? null);
      if (pending.length > 0 || text === seen) break;
      seen = text;
    }
    if (pending.length === 0) break;
  }
  if (pending.length > 0) {
    throw new HandlerError({
      code: 'ConcurrentPolicyWrite',
      message:
        `${edit.failure(pending)} in the policy of ${target.bucket} after ${stale ? staleRounds : options.maxAttempts} attempts` +
        (stale
          ? ` (the last write did not show within the ${options.readBack.windowMs} ms read-back window, ${ENV_READBACK_MS})`
          : ''),
      hint: 'another process keeps rewriting this bucket policy, or cos is slow to show writes: stop the other writer or run terraform apply again once it is quiet',
    });
  }
  return { wrote };
}
