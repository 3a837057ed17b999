import type { CosClient } from '../cos/client';
import { asRole, policyClient, type HandlerAccess } from './access';
import { sidOf } from '../model/policy';
import { attachPolicy } from './attach-policy';
import { deleteJob } from './delete-job';
import { detachPolicy } from './detach-policy';
import { putJob } from './put-job';
import { prune } from './prune';
import { readInventory } from './read';
import { policyWriteOptions } from './policy-write';
import { readBackOptions } from './read-back';
import { runOnce } from './run-once';
import {
  parseAttachPolicySpec,
  parseDeleteJobSpec,
  parseDetachPolicySpec,
  parseJobSpec,
  parsePruneSpec,
  parseReadQuery,
  parseAllowedAccountIds,
  parseJsonObject,
} from './spec';

/** Where a failure happened, for the error line. */
export interface VerbTarget {
  readonly bucket: string;
  readonly id: string;
}

/** A verb ready to run: input checked, nothing sent yet. */
export interface PreparedVerb {
  readonly target: VerbTarget;
  /** The account guard of the spec: the caller's account must be one of these before any write. */
  readonly allowedAccountIds?: readonly string[];
  /** Runs the verb; the result is printed to stdout (a summary line, or read's JSON). */
  run(client: CosClient, env: NodeJS.ProcessEnv, access: HandlerAccess): Promise<string>;
}

export interface VerbDefinition {
  /** Where the input comes from: the environment variable, or stdin for `read`. */
  readonly input: 'env' | 'stdin';
  prepare(verb: string, text: string | undefined): PreparedVerb;
}

function fromEnv<S extends { bucket: string }>(
  parse: (verb: string, spec: Record<string, unknown>) => S,
  id: (spec: S) => string,
  run: (client: CosClient, spec: S, env: NodeJS.ProcessEnv, access: HandlerAccess) => Promise<string>,
): VerbDefinition {
  return {
    input: 'env',
    prepare(verb, text) {
      const raw = parseJsonObject(verb, text);
      const spec = parse(verb, raw);
      const allowedAccountIds = parseAllowedAccountIds(verb, raw);
      return {
        target: { bucket: spec.bucket, id: id(spec) },
        ...(allowedAccountIds ? { allowedAccountIds } : {}),
        run: (client, env, access) => run(client, spec, env, access),
      };
    },
  };
}

/** Every verb `node dist/handler.js <verb>` accepts. */
export const VERBS: Readonly<Record<string, VerbDefinition>> = {
  'put-job': fromEnv(
    parseJobSpec,
    (spec) => spec.configuration.Id,
    (client, spec, env, access) => putJob(client, spec, readBackOptions(env, access.clock)),
  ),
  'delete-job': fromEnv(parseDeleteJobSpec, (spec) => spec.id, deleteJob),
  prune: fromEnv(
    parsePruneSpec,
    (spec) => spec.previous.filter((id) => !spec.desired.includes(id)).join(','),
    (client, spec, env, access) =>
      prune(client, spec, policyWriteOptions(env, access.clock), (bucket) =>
        policyClient(client, access, spec.roleArns?.[bucket]),
      ),
  ),
  'attach-policy': fromEnv(
    parseAttachPolicySpec,
    (spec) => spec.statements.map((statement) => sidOf(statement) ?? '').join(','),
    async (client, spec, env, access) => {
      const editor = await policyClient(client, access, spec.roleArn);
      return asRole(editor, () => attachPolicy(editor, spec, policyWriteOptions(env, access.clock)));
    },
  ),
  'detach-policy': fromEnv(
    parseDetachPolicySpec,
    (spec) => spec.sids.join(','),
    async (client, spec, env, access) => {
      const editor = await policyClient(client, access, spec.roleArn);
      return asRole(editor, () => detachPolicy(editor, spec, policyWriteOptions(env, access.clock)));
    },
  ),
  'run-once': fromEnv(parseJobSpec, (spec) => spec.configuration.Id, runOnce),
  read: {
    input: 'stdin',
    prepare(verb, text) {
      const query = parseReadQuery(verb, text ?? '');
      return {
        target: { bucket: query.bucket, id: query.configurations.map((config) => config.Id).join(',') },
        run: async (client) => JSON.stringify(await readInventory(client, query)),
      };
    },
  },
};
