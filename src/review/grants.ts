/**
 * Destination grants: each `cosinventory_destination_grant` is one statement of a destination
 * bucket's policy (sid `cosInventory-<scope>[-n]`), allowing COS to deliver reports under the
 * listed resources. The provider upserts the statement on create and update, detaches it on
 * delete and leaves every other statement of the policy as it is; `forget` (a `removed` block
 * with `destroy = false`) leaves the statement in the policy.
 */
import type { GrantState } from './our-resources';
import type { PlanResourceChange } from './plan-json';

export type GrantAction = 'added' | 'removed' | 'narrowed' | 'widened' | 'changed' | 'adopted';

/** How a removed statement leaves the bucket policy: `detached` by the provider, or `left` there. */
export type GrantFate = 'detached' | 'left';

export interface GrantChange {
  /** Destination bucket (`name-appid`), or `(known after apply)`. */
  readonly destination: string;
  /** The statement's sid (the new one when it changes). */
  readonly sid: string;
  /** The sid before, when an update renames the statement. */
  readonly sidBefore?: string;
  readonly action: GrantAction;
  /** Report folders allowed before and after (`inv/1250000000/logs/*`). */
  readonly before: readonly string[];
  readonly after: readonly string[];
  /** Whether the principals COS delivers as change. */
  readonly principalsChange?: boolean;
  /** For a removed grant: whether the statement is detached. */
  readonly fate?: GrantFate;
  /** The address a `moved` block moves the grant from. */
  readonly movedFrom?: string;
  readonly address: string;
}

const RESOURCE_PATH = /^qcs::cos:[^:]*:uid\/[^:]*:[^/]*\/(.*)$/;

/** The report folders of a statement's resources, sorted. */
export function grantPaths(state: GrantState | undefined): string[] {
  if (state === undefined) return [];
  return state.resources.map((r) => RESOURCE_PATH.exec(r)?.[1] ?? r).sort();
}

function samePrincipals(a: GrantState, b: GrantState): boolean {
  return [...a.principals].sort().join('\u0000') === [...b.principals].sort().join('\u0000');
}

function compare(before: GrantState, after: GrantState): GrantAction | undefined {
  const was = grantPaths(before);
  const is = grantPaths(after);
  const wasSet = new Set(was);
  const isSet = new Set(is);
  const lost = was.filter((p) => !isSet.has(p));
  const gained = is.filter((p) => !wasSet.has(p));
  if (!samePrincipals(before, after) || before.sid !== after.sid) return 'changed';
  if (lost.length === 0 && gained.length === 0) return undefined;
  if (gained.length === 0) return 'narrowed';
  if (lost.length === 0) return 'widened';
  return 'changed';
}

function row(
  change: PlanResourceChange,
  action: GrantAction,
  state: GrantState,
  before: GrantState | undefined,
  after: GrantState | undefined,
  extra: Partial<GrantChange> = {},
): GrantChange {
  return {
    destination: state.bucket,
    sid: state.sid,
    action,
    before: grantPaths(before),
    after: grantPaths(after),
    ...extra,
    ...(change.previousAddress !== undefined ? { movedFrom: change.previousAddress } : {}),
    address: change.address,
  };
}

/** What one grant resource change does to the statements of destination policies. */
export function grantChanges(
  change: PlanResourceChange,
  state: { readonly before?: GrantState; readonly after?: GrantState },
): GrantChange[] {
  const { before, after } = state;
  switch (change.actions.join(',')) {
    case 'create':
      return after ? [row(change, 'added', after, undefined, after)] : [];
    case 'delete':
      return before ? [row(change, 'removed', before, before, undefined, { fate: 'detached' })] : [];
    case 'forget':
      return before ? [row(change, 'removed', before, before, undefined, { fate: 'left' })] : [];
    default:
      break;
  }
  if (before === undefined || after === undefined) return [];
  const replaced = change.actions.includes('delete') && change.actions.includes('create');
  if (replaced && (before.bucket !== after.bucket || before.region !== after.region)) {
    // Another destination: detached from the old bucket's policy, written to the new one's.
    return [
      row(change, 'removed', before, before, undefined, { fate: 'detached' }),
      row(change, 'added', after, undefined, after),
    ];
  }
  const action = compare(before, after);
  if (action === undefined) {
    return change.previousAddress !== undefined ? [row(change, 'adopted', after, before, after)] : [];
  }
  return [
    row(change, action, after, before, after, {
      ...(before.sid !== after.sid ? { sidBefore: before.sid } : {}),
      ...(!samePrincipals(before, after) ? { principalsChange: true } : {}),
    }),
  ];
}
