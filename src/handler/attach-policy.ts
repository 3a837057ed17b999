import type { CosClient } from '../cos/client';
import { getPolicy, putPolicy } from '../cos/policy';
import { sidOf, upsertStatement, type PolicyDocument } from '../model/policy';
import { HandlerError } from './errors';
import { holdsStatement } from './policy-match';
import { jitteredWait, type PolicyWriteOptions } from './policy-write';
import type { AttachPolicySpec } from './spec';

function missingFrom(doc: PolicyDocument | undefined, spec: AttachPolicySpec): string[] {
  return spec.statements
    .filter((statement) => !holdsStatement(doc, sidOf(statement) ?? '', statement))
    .map((statement) => sidOf(statement) ?? '');
}

/**
 * Adds or replaces our statements in the destination bucket's policy, every other statement
 * exactly as it was. Read-modify-write: after writing, read again at once and after a settle
 * delay; if a concurrent writer dropped ours, do it again (bounded attempts).
 */
export async function attachPolicy(
  client: CosClient,
  spec: AttachPolicySpec,
  options: PolicyWriteOptions,
): Promise<string> {
  if (spec.statements.length === 0) return `no policy statements to attach to ${spec.bucket}`;
  const target = { bucket: spec.bucket, region: spec.region };
  let wrote = false;
  let missing: string[] = [];
  for (let attempt = 0; attempt < options.maxAttempts; attempt++) {
    if (attempt > 0) await jitteredWait(options, options.settleMs);
    const current = await getPolicy(client, target);
    missing = missingFrom(current, spec);
    if (missing.length > 0) {
      let next = current;
      for (const statement of spec.statements) next = upsertStatement(next, statement);
      if (next !== undefined) await putPolicy(client, target, next);
      wrote = true;
      // Read back at once: a writer that overlapped our write shows up here.
      missing = missingFrom(await getPolicy(client, target), spec);
      if (missing.length > 0) continue;
    }
    if (!wrote) break;
    // A writer that read before our write may still be about to write: wait, then check again.
    await jitteredWait(options, options.settleMs);
    missing = missingFrom(await getPolicy(client, target), spec);
    if (missing.length === 0) break;
  }
  if (missing.length > 0) {
    throw new HandlerError({
      code: 'ConcurrentPolicyWrite',
      message: `statements ${missing.join(', ')} kept disappearing from the policy of ${spec.bucket} after ${options.maxAttempts} attempts`,
      hint: 'another process keeps rewriting this bucket policy: stop it or run terraform apply again once it is quiet',
    });
  }
  const sids = spec.statements.map((statement) => sidOf(statement)).join(', ');
  return wrote
    ? `attached policy statements ${sids} to ${spec.bucket}`
    : `policy statements ${sids} were already attached to ${spec.bucket}`;
}
