/**
 * Real Terraform's planned actions, one word per managed resource address, from the plan JSON
 * (`terraform show -json <plan>`).
 */

import type { PlanJson, ResourceChange } from './real-terraform';

/** `forget`: a `removed` block with `destroy = false` (the upgrade blocks). */
export type Action = 'create' | 'replace' | 'update' | 'no-op' | 'delete' | 'forget';

export function planAction(change: ResourceChange): Action {
  const actions = change.change.actions.join(',');
  switch (actions) {
    case 'create':
    case 'update':
    case 'no-op':
    case 'delete':
    case 'forget':
      return actions;
    case 'delete,create':
    case 'create,delete':
      return 'replace';
    default:
      throw new Error(
        `${change.address}: unexpected planned actions ${JSON.stringify(change.change.actions)}`,
      );
  }
}

/** address -> action for every managed resource of the plan, sorted by address. */
export function planSummary(plan: PlanJson): Record<string, Action> {
  const entries = (plan.resource_changes ?? [])
    .filter((change) => change.mode === 'managed')
    .map((change): [string, Action] => [change.address, planAction(change)]);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
