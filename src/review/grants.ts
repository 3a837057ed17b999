/**
 * Destination grants: the statement a destination bucket's policy holds for each source bucket
 * (`cosInventory-<source>`), compared by sid between the attacher's old and new statements.
 *
 * Whether a statement that goes is really detached depends on how its resource goes: a
 * replaced attacher detaches retired sids, `terraform destroy` detaches through the release
 * guard, but a policy resource dropped from the configuration (the last job delivering there
 * was removed) is forgotten WITHOUT its destroy provisioner, so the statement stays.
 */
import { SID_PREFIX } from '../model/policy';
import type { PolicyState } from './our-resources';
import { Unknown, type PlanResourceChange } from './plan-json';

export type GrantAction = 'added' | 'removed' | 'narrowed' | 'widened' | 'changed';

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
  /** For a removed grant: `detached` by a provisioner, or `left` in the bucket policy. */
  readonly fate?: 'detached' | 'left';
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

/** How statements removed from this resource leave the bucket policy. */
function removalFate(change: PlanResourceChange): 'detached' | 'left' {
  const actions = change.actions.join(',');
  // A destroy plan (no reason given) runs the release guard's detach of every sid of ours.
  if (actions === 'delete') return change.reason === undefined ? 'detached' : 'left';
  if (actions === 'forget') return 'left';
  return 'detached';
}

/** The grants a policy attacher's change adds, removes or changes. */
export function grantChanges(
  change: PlanResourceChange,
  state: { readonly before?: PolicyState; readonly after?: PolicyState },
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
    changes.push({
      destination,
      source: sid.startsWith(SID_PREFIX) ? sid.slice(SID_PREFIX.length) : sid,
      sid,
      action,
      before: paths(was),
      after: paths(is),
      ...(action === 'removed' ? { fate: removalFate(change) } : {}),
      address: change.address,
    });
  }
  return changes;
}
