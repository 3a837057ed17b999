/**
 * Destination grants: the statement a destination bucket's policy holds for each source bucket
 * (`cosInventory-<source>`), compared by sid between the attacher's old and new statements.
 *
 * The attacher only upserts statements: a statement that leaves it is NOT detached by it.
 * Whether it really goes depends on the source bucket's prune resource, which records the
 * destinations holding the source's statement: replaced with this destination gone from its
 * `destinations`, its destroy step detaches the statement (also when the attacher itself leaves
 * the configuration with the last job delivering there). `terraform destroy` detaches through
 * the release guard. A prune resource leaving the configuration (the whole BucketInventory
 * deleted) runs its destroy step only under a `removed` block (RemovedBucketInventory), which
 * plan JSON does not show; any other removal leaves the statement in the bucket policy.
 */
import { SID_PREFIX } from '../model/policy';
import type { PruneChange } from './job-review';
import type { PolicyState } from './our-resources';
import { Unknown, type PlanResourceChange } from './plan-json';

export type GrantAction = 'added' | 'removed' | 'narrowed' | 'widened' | 'changed';

/**
 * How a removed statement leaves the bucket policy: `pruned` (the source's prune step detaches
 * it), `released` (the release guard detaches it on `terraform destroy`), `unless-removed` (the
 * source's whole BucketInventory is deleted: detached only if a RemovedBucketInventory declares
 * its `removed` block), `left` (nothing in the plan detaches it).
 */
export type GrantFate = 'pruned' | 'released' | 'unless-removed' | 'left';

export interface GrantChange {
  /** Destination bucket (`name-appid`), or `(known after apply)`. */
  readonly destination: string;
  /** Source bucket whose reports the statement lets COS deliver. */
  readonly source: string;
  readonly sid: string;
  readonly action: GrantAction;
  /** Report folders allowed before and after (`inv/1250000000/logs/*`). */
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** For a removed grant: what detaches it, if anything. */
  readonly fate?: GrantFate;
  /** For `unless-removed`: the name fragment of the source's BucketInventory (`Logs`). */
  readonly construct?: string;
  /** The attacher's address. */
  readonly address: string;
}

type JsonObject = Record<string, unknown>;

const RESOURCE_PATH = /^qcs::cos:[^:]*:uid\/[^:]*:[^/]*\/(.*)$/;

function sidOf(statement: JsonObject): string | undefined {
  const sid = statement.sid ?? statement.Sid;
  return typeof sid === 'string' ? sid : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function paths(statement: JsonObject | undefined): string[] {
  if (statement === undefined) return [];
  return list(statement.resource ?? statement.Resource)
    .map((r) => (r instanceof Unknown ? String(r) : String(r)))
    .map((r) => RESOURCE_PATH.exec(r)?.[1] ?? r)
    .sort();
}

function principal(statement: JsonObject): string {
  return JSON.stringify(statement.principal ?? statement.Principal ?? null);
}

function bySid(state: PolicyState | undefined): Map<string, JsonObject> {
  const map = new Map<string, JsonObject>();
  for (const statement of state?.statements ?? []) {
    const sid = sidOf(statement);
    if (sid !== undefined) map.set(sid, statement);
  }
  return map;
}

function bucketText(state: PolicyState | undefined): string | undefined {
  if (state === undefined) return undefined;
  return state.bucket instanceof Unknown || typeof state.bucket !== 'string'
    ? String(state.bucket)
    : state.bucket;
}

function compare(before: JsonObject, after: JsonObject): GrantAction | undefined {
  const was = paths(before);
  const is = paths(after);
  if (principal(before) !== principal(after)) return 'changed';
  const wasSet = new Set(was);
  const isSet = new Set(is);
  const lost = was.filter((p) => !isSet.has(p));
  const gained = is.filter((p) => !wasSet.has(p));
  if (lost.length === 0 && gained.length === 0) return undefined;
  if (gained.length === 0) return 'narrowed';
  if (lost.length === 0) return 'widened';
  return 'changed';
}

function replaced(actions: string): boolean {
  return actions === 'delete,create' || actions === 'create,delete';
}

/** How the statement of a source removed from this attacher leaves the bucket policy. */
function removalFate(
  change: PlanResourceChange,
  destination: string,
  prune: PruneChange | undefined,
): GrantFate {
  // A destroy plan (no reason given) runs the release guard's detach of every sid of ours.
  if (change.actions.join(',') === 'delete' && change.reason === undefined) return 'released';
  if (prune === undefined) return 'left';
  const actions = prune.change.actions.join(',');
  if (actions === 'delete' && prune.change.reason === undefined) return 'released';
  if (
    replaced(actions) &&
    prune.before?.destinations.includes(destination) === true &&
    prune.after?.destinations.includes(destination) !== true
  ) {
    return 'pruned';
  }
  if (actions === 'delete') return 'unless-removed';
  return 'left';
}

/**
 * The grants a policy attacher's change adds, removes or changes; `pruneOf` gives the prune
 * resource change of a source bucket in the same plan and module, if any.
 */
export function grantChanges(
  change: PlanResourceChange,
  state: { readonly before?: PolicyState; readonly after?: PolicyState },
  pruneOf: (sourceBucket: string) => (PruneChange & { readonly construct: string }) | undefined,
): GrantChange[] {
  const goes = ['delete', 'forget'].includes(change.actions.join(','));
  const before = bySid(state.before);
  const after = goes ? new Map<string, JsonObject>() : bySid(state.after);
  const destination = bucketText(state.after) ?? bucketText(state.before) ?? '(unknown)';
  const sids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: GrantChange[] = [];
  for (const sid of sids) {
    const was = before.get(sid);
    const is = after.get(sid);
    const action: GrantAction | undefined =
      was === undefined ? 'added' : is === undefined ? 'removed' : compare(was, is);
    if (action === undefined) continue;
    const source = sid.startsWith(SID_PREFIX) ? sid.slice(SID_PREFIX.length) : sid;
    const prune = action === 'removed' ? pruneOf(source) : undefined;
    const fate = action === 'removed' ? removalFate(change, destination, prune) : undefined;
    changes.push({
      destination,
      source,
      sid,
      action,
      before: paths(was),
      after: paths(is),
      ...(fate !== undefined ? { fate } : {}),
      ...(fate === 'unless-removed' && prune !== undefined ? { construct: prune.construct } : {}),
      address: change.address,
    });
  }
  return changes;
}
