import type { CosClient } from '../cos/client';
import { deletePolicy, getPolicy, putPolicy } from '../cos/policy';
import { findStatement, removeStatement, type PolicyDocument } from '../model/policy';
import { HandlerError } from './errors';
import { jitteredWait, type PolicyWriteOptions } from './policy-write';
import type { DetachPolicySpec } from './spec';

function presentIn(doc: PolicyDocument | undefined, sids: readonly string[]): string[] {
  return sids.filter((sid) => findStatement(doc, sid) !== undefined);
}

/**
 * Removes our statements `sids - keep`, deleting the whole policy when nothing else is left.
 * `keep` lets a replaced policy resource retire only the statements no longer configured,
 * so continuing ones are never missing. Absent policy or statement is success. After writing, read again (at once and after a settle delay): a
 * writer that read the old policy could put ours back, and then we remove it again.
 */
export async function detachPolicy(
  client: CosClient,
  spec: DetachPolicySpec,
  options: PolicyWriteOptions,
): Promise<string> {
  const kept = new Set(spec.keep ?? []);
  const retired = spec.sids.filter((sid) => !kept.has(sid));
  if (retired.length === 0) {
    return kept.size === 0
      ? `no policy statements to detach from ${spec.bucket}`
      : `no policy statements to detach from ${spec.bucket}: every one is kept`;
  }
  const target = { bucket: spec.bucket, region: spec.region };
  let wrote = false;
  let present: string[] = [];
  for (let attempt = 0; attempt < options.maxAttempts; attempt++) {
    if (attempt > 0) await jitteredWait(options, options.settleMs);
    const current = await getPolicy(client, target);
    present = presentIn(current, retired);
    if (present.length > 0) {
      let next: PolicyDocument | undefined = current;
      for (const sid of retired) next = removeStatement(next, sid);
      if (next === undefined) await deletePolicy(client, target);
      else await putPolicy(client, target, next);
      wrote = true;
      present = presentIn(await getPolicy(client, target), retired);
      if (present.length > 0) continue;
    }
    if (!wrote) break;
    await jitteredWait(options, options.settleMs);
    present = presentIn(await getPolicy(client, target), retired);
    if (present.length === 0) break;
  }
  if (present.length > 0) {
    throw new HandlerError({
      code: 'ConcurrentPolicyWrite',
      message: `statements ${present.join(', ')} kept reappearing in the policy of ${spec.bucket} after ${options.maxAttempts} attempts`,
      hint: 'another process keeps rewriting this bucket policy: stop it or run terraform apply again once it is quiet',
    });
  }
  const sids = retired.join(', ');
  return wrote
    ? `detached policy statements ${sids} from ${spec.bucket}`
    : `policy statements ${sids} were already absent from ${spec.bucket}`;
}
