/**
 * The plan a managed resource gets without a `plan` hook: Terraform's proposed new state,
 * with computed attributes the configuration leaves null unknown on create (and kept from
 * the prior state on update), and `requiresReplace` attributes that change flagged. Top-level
 * attributes only: nested blocks are planned as proposed (a `plan` hook refines them).
 */
import { isDeepStrictEqual } from 'node:util';
import { attributePath, type AttributePath } from './diagnostics';
import type { PlannedChange } from './provider';
import type { Schema } from './schema';
import { UNKNOWN, type TfObject } from './value';

export function genericPlan(
  schema: Schema,
  priorState: TfObject | null,
  proposedNewState: TfObject | null,
  config: TfObject | null,
): PlannedChange {
  if (proposedNewState === null) return { plannedState: null, requiresReplace: [] };
  const planned: TfObject = { ...proposedNewState };
  const requiresReplace: AttributePath[] = [];
  for (const [name, attribute] of Object.entries(schema.block.attributes)) {
    const configured = config !== null && config[name] !== null && config[name] !== undefined;
    if (attribute.computed === true && !configured) {
      planned[name] = priorState === null ? UNKNOWN : (priorState[name] ?? null);
    }
    if (
      attribute.requiresReplace === true &&
      priorState !== null &&
      !isDeepStrictEqual(priorState[name] ?? null, planned[name] ?? null)
    ) {
      requiresReplace.push(attributePath(name));
    }
  }
  return { plannedState: planned, requiresReplace };
}
