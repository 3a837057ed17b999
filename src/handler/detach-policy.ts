import type { CosClient } from '../cos/client';
import { findStatement, removeStatement, type PolicyDocument } from '../model/policy';
import { editPolicy } from './policy-edit';
import type { PolicyWriteOptions } from './policy-write';
import type { DetachPolicySpec } from './spec';

/**
 * Removes our statements `sids - keep` (found by sid, whichever casing COS answers with),
 * deleting the whole policy when nothing else is left. `keep` lets a replaced policy resource
 * retire only the statements no longer configured, so continuing ones are never missing.
 * Absent policy or statement is success.
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
  const { wrote } = await editPolicy(
    client,
    { bucket: spec.bucket, region: spec.region },
    {
      apply: (current) => {
        let next: PolicyDocument | undefined = current;
        for (const sid of retired) next = removeStatement(next, sid);
        return next;
      },
      pending: (doc) => retired.filter((sid) => findStatement(doc, sid) !== undefined),
      failure: (pending) => `statements ${pending.join(', ')} kept reappearing`,
    },
    options,
  );
  const sids = retired.join(', ');
  return wrote
    ? `detached policy statements ${sids} from ${spec.bucket}`
    : `policy statements ${sids} were already absent from ${spec.bucket}`;
}
