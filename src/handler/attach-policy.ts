import type { CosClient } from '../cos/client';
import { sidOf, upsertStatement, type PolicyDocument } from '../model/policy';
import { holdsStatement } from './policy-match';
import { editPolicy } from './policy-edit';
import type { PolicyWriteOptions } from './policy-write';
import type { AttachPolicySpec } from './spec';

/**
 * Adds or replaces our statements in the destination bucket's policy, every other statement
 * as the server returned it. Done when each of ours is there by meaning (see `policy-match`),
 * however COS spells it back.
 */
export async function attachPolicy(
  client: CosClient,
  spec: AttachPolicySpec,
  options: PolicyWriteOptions,
): Promise<string> {
  if (spec.statements.length === 0) return `no policy statements to attach to ${spec.bucket}`;
  const sidList = spec.statements.map((statement) => sidOf(statement) ?? '');
  const { wrote } = await editPolicy(
    client,
    { bucket: spec.bucket, region: spec.region },
    {
      apply: (current) => {
        let next: PolicyDocument | undefined = current;
        for (const statement of spec.statements) next = upsertStatement(next, statement);
        return next;
      },
      pending: (doc) =>
        spec.statements
          .filter((statement) => !holdsStatement(doc, sidOf(statement) ?? '', statement))
          .map((statement) => sidOf(statement) ?? ''),
      failure: (pending) => `statements ${pending.join(', ')} kept disappearing (or differing)`,
    },
    options,
  );
  const sids = sidList.join(', ');
  return wrote
    ? `attached policy statements ${sids} to ${spec.bucket}`
    : `policy statements ${sids} were already attached to ${spec.bucket}`;
}
