/**
 * Real Terraform's planned actions, one word per address, with the one distinction its plan
 * JSON does not make.
 *
 * Terraform's plan JSON says `["delete"]` both for a resource it will destroy with its
 * destroy provisioners (`terraform destroy`, or a `removed` block with `destroy = true`) and
 * for one whose block simply left the configuration: the latter is destroyed WITHOUT its
 * destroy provisioners (they lived in the block that is gone): `drop` here. The plan JSON does not list `removed` blocks, so they are read from the
 * synthesized configuration.
 */

import type { PlanJson, ResourceChange } from './real-terraform';

/**
 * `delete`: destroyed with its destroy provisioners; `drop`: its block is gone, destroyed
 * without them; `forget`: a `removed` block with `destroy = false`.
 */
export type Action = 'create' | 'replace' | 'update' | 'no-op' | 'delete' | 'drop' | 'forget';

/** The `from` addresses of `removed` blocks in a Terraform JSON configuration. */
export function removedAddresses(config: unknown): Set<string> {
  const blocks = (config as { removed?: unknown } | undefined)?.removed;
  const list = Array.isArray(blocks) ? blocks : blocks === undefined ? [] : [blocks];
  return new Set(
    list
      .map((block) => (block as { from?: unknown }).from)
      .filter((from): from is string => typeof from === 'string'),
  );
}

export function planAction(
  change: ResourceChange,
  configured: ReadonlySet<string>,
  removed: ReadonlySet<string>,
): Action {
  const actions = change.change.actions.join(',');
  switch (actions) {
    case 'create':
      return 'create';
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    case 'update':
      return 'update';
    case 'no-op':
      return 'no-op';
    case 'forget':
      return 'forget';
    case 'delete':
      // Still configured (terraform destroy) or governed by a removed block: provisioners run.
      return configured.has(change.address) || removed.has(change.address) ? 'delete' : 'drop';
    default:
      throw new Error(
        `${change.address}: unexpected planned actions ${JSON.stringify(change.change.actions)}`,
      );
  }
}

/** address -> action for every managed resource of the plan, sorted by address. */
export function planSummary(plan: PlanJson, config: unknown): Record<string, Action> {
  const configured = new Set((plan.configuration?.root_module?.resources ?? []).map((r) => r.address));
  const removed = removedAddresses(config);
  const entries = (plan.resource_changes ?? [])
    .filter((change) => change.mode === 'managed')
    .map((change): [string, Action] => [change.address, planAction(change, configured, removed)]);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
