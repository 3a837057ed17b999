/**
 * Computes what `terraform plan` would decide for each terraform_data instance, from the
 * current configuration and the state only (Terraform never sees the previous
 * configuration): create, replace, in-place update, no-op, delete, drop (removed from the
 * configuration: destroyed without its destroy provisioner) or forget (removed block with
 * `destroy = false`).
 */

import { evaluateJson, type Scope } from './hcl-evaluate';
import type { TerraformState } from './state';
import { selfObject } from './state';
import type { RemovedConfig, ResourceConfig, TerraformConfig } from './tf-config';
import { compareBytes, deepEqual, Unknown, type JsonValue, type Value } from './values';

export type Action = 'create' | 'replace' | 'update' | 'no-op' | 'delete' | 'drop' | 'forget';

export interface PlannedChange {
  readonly address: string;
  readonly action: Action;
  /** Why, for replace/update/delete/drop, e.g. `triggers_replace changed`. */
  readonly reason: string;
  readonly createBeforeDestroy: boolean;
  /** The configuration block, when the resource is still configured. */
  readonly config: ResourceConfig | undefined;
  /** The removed block that governs a resource no longer configured. */
  readonly removed: RemovedConfig | undefined;
}

export interface Plan {
  readonly mode: 'apply' | 'destroy';
  readonly changes: readonly PlannedChange[];
  /** address -> action, every address in configuration or state. */
  readonly summary: Readonly<Record<string, Action>>;
  /** Planned changes other than no-op, as `action address` lines, sorted bytewise by address. */
  readonly lines: readonly string[];
}

export interface PlanOptions {
  readonly config: TerraformConfig | undefined;
  readonly state: TerraformState;
  readonly mode?: 'apply' | 'destroy';
  /** `terraform apply -replace=ADDRESS` */
  readonly replace?: readonly string[];
  /** Absolute stack directory, for `path.cwd`. */
  readonly stackDir: string;
}

export class PlanError extends Error {
  constructor(message: string) {
    super(`plan: ${message}`);
    this.name = 'PlanError';
  }
}

export function plan(options: PlanOptions): Plan {
  const mode = options.mode ?? 'apply';
  const config = options.config;
  const state = options.state.resources;
  const replace = new Set(options.replace ?? []);
  for (const address of replace) {
    if (!config?.resources.has(address) || !(address in state)) {
      throw new PlanError(
        `-replace=${address}: no configured resource instance with that address exists in state`,
      );
    }
  }
  const changes: PlannedChange[] = [];
  const pending = new Set<string>();
  const removedFor = (address: string): RemovedConfig | undefined =>
    config?.removed.find((r) => r.from === address);

  if (mode === 'destroy') {
    for (const [address, instance] of Object.entries(state)) {
      const resource = config?.resources.get(address);
      const removed = resource ? undefined : removedFor(address);
      changes.push({
        address,
        action: resource || removed?.destroy ? 'delete' : 'drop',
        reason: 'terraform destroy',
        createBeforeDestroy: instance.create_before_destroy,
        config: resource,
        removed,
      });
    }
  } else if (config) {
    for (const resource of dependencyOrder(config)) {
      const instance = state[resource.address];
      const scope = resourceScope(options, pending);
      const where = resource.address;
      const change = (action: Action, reason: string): void => {
        if (action !== 'no-op') pending.add(resource.address);
        changes.push({
          address: resource.address,
          action,
          reason,
          createBeforeDestroy: resource.createBeforeDestroy,
          config: resource,
          removed: undefined,
        });
      };
      if (!instance) {
        change('create', 'not in state');
        continue;
      }
      if (instance.tainted) {
        change('replace', 'tainted');
        continue;
      }
      if (replace.has(resource.address)) {
        change('replace', 'requested with -replace');
        continue;
      }
      const triggers = evaluateOrNull(resource.triggersReplace, scope, `${where}.triggers_replace`);
      if (triggers instanceof Unknown || !deepEqual(triggers, instance.triggers_replace)) {
        change('replace', 'triggers_replace changed');
        continue;
      }
      const input = evaluateOrNull(resource.input, scope, `${where}.input`);
      if (input instanceof Unknown || !deepEqual(input, instance.input)) {
        change('update', 'input changed');
        continue;
      }
      change('no-op', '');
    }
  }
  if (mode === 'apply') {
    for (const [address, instance] of Object.entries(state)) {
      if (config?.resources.has(address)) continue;
      const removed = removedFor(address);
      const action: Action = removed ? (removed.destroy ? 'delete' : 'forget') : 'drop';
      changes.push({
        address,
        action,
        reason: removed ? 'removed block' : 'no longer in the configuration',
        createBeforeDestroy: instance.create_before_destroy,
        config: undefined,
        removed,
      });
    }
  }
  for (const c of changes) {
    if ((c.action === 'replace' || c.action === 'delete') && c.config?.preventDestroy) {
      throw new PlanError(
        `${c.address}: lifecycle.prevent_destroy is set, but the plan calls for this resource to be destroyed`,
      );
    }
  }
  const sorted = [...changes].sort((a, b) => compareBytes(a.address, b.address));
  const summary: Record<string, Action> = {};
  for (const c of sorted) summary[c.address] = c.action;
  return {
    mode,
    changes: sorted,
    summary,
    lines: sorted.filter((c) => c.action !== 'no-op').map((c) => `${c.action} ${c.address}`),
  };
}

/**
 * The scope resource attributes are evaluated in: other terraform_data instances as they
 * are in state, or unknown when they have pending changes.
 */
export function resourceScope(
  options: { readonly state: TerraformState; readonly stackDir: string },
  pending: ReadonlySet<string>,
): Scope {
  const resources: Record<string, Value> = {};
  for (const [address, instance] of Object.entries(options.state.resources)) {
    const [type, name] = address.split('.');
    if (type !== 'terraform_data') continue;
    resources[name] = pending.has(address)
      ? new Unknown(`${address} has pending changes`)
      : selfObject(instance);
  }
  return {
    // Members may be Unknown; the evaluator checks every value it reads for Unknown.
    terraform_data: resources as unknown as JsonValue,
    path: { module: '.', root: '.', cwd: options.stackDir },
    terraform: { workspace: 'default' },
  };
}

export function evaluateOrNull(value: JsonValue | undefined, scope: Scope, where: string): Value {
  return value === undefined ? null : evaluateJson(value, scope, where);
}

/** Configured resources with dependencies first, ties broken by address. */
export function dependencyOrder(config: TerraformConfig): ResourceConfig[] {
  const out: ResourceConfig[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (resource: ResourceConfig, path: string[]): void => {
    const s = state.get(resource.address);
    if (s === 'done') return;
    if (s === 'visiting')
      throw new PlanError(`dependency cycle: ${[...path, resource.address].join(' -> ')}`);
    state.set(resource.address, 'visiting');
    for (const dep of resource.dependencies) {
      const target = config.resources.get(dep);
      if (!target) {
        if (dep.startsWith('data.')) continue;
        throw new PlanError(`${resource.address}: reference to undeclared resource ${dep}`);
      }
      visit(target, [...path, resource.address]);
    }
    state.set(resource.address, 'done');
    out.push(resource);
  };
  for (const address of [...config.resources.keys()].sort()) visit(config.resources.get(address)!, []);
  return out;
}
