/**
 * `terraform apply` (and `terraform destroy`) for terraform_data resources: plans, orders
 * the changes by the dependency graph, runs local-exec provisioners as Terraform would,
 * records the new state, and evaluates check blocks at plan time and after apply.
 */

import { randomUUID } from 'node:crypto';

import { evaluateCheck, type CheckResult, type CheckWarning } from './checks';
import { walkGraph } from './graph-walk';
import { evaluateJson, type Scope } from './hcl-evaluate';
import { runLocalExec, type ProvisionerRun } from './local-exec';
import {
  dependencyOrder,
  evaluateOrNull,
  plan,
  resourceScope,
  type Plan,
  type PlannedChange,
} from './planner';
import { selfObject, type ResourceInstanceState, type TerraformState } from './state';
import { parseConfig, type ProvisionerConfig, type ResourceConfig, type TerraformConfig } from './tf-config';
import { compareBytes, Unknown, type JsonValue } from './values';

export interface ApplyOptions {
  /** The synthesized stack directory: Terraform's working directory (cdk.tf.json, assets/). */
  readonly stackDir: string;
  /** The current cdk.tf.json object; undefined means an empty configuration. */
  readonly config: unknown;
  /** Prior state. When omitted, derived from `previous` as if it had been applied. */
  readonly state?: TerraformState;
  /** The previous configuration; only used to derive a state when `state` is omitted. */
  readonly previous?: unknown;
  readonly mode?: 'apply' | 'destroy';
  /** `-replace=ADDRESS` */
  readonly replace?: readonly string[];
  /** The environment Terraform inherited (credentials travel here). Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Steps in flight at once (Terraform's -parallelism, 10 there). Default 1: reproducible order. */
  readonly parallelism?: number;
}

export type StepKind = 'create' | 'update' | 'destroy' | 'destroy-deposed' | 'forget';

export interface StepResult {
  readonly address: string;
  readonly kind: StepKind;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly error: string | undefined;
}

export interface ApplyResult {
  readonly plan: Plan;
  readonly state: TerraformState;
  /** False when any step failed (Terraform exits non-zero). */
  readonly ok: boolean;
  readonly errors: readonly string[];
  /** Steps in completion order. */
  readonly steps: readonly StepResult[];
  /** Every provisioner run, in completion order. */
  readonly runs: readonly ProvisionerRun[];
  readonly checks: { readonly plan: readonly CheckResult[]; readonly apply: readonly CheckResult[] };
  /** The check warnings Terraform prints last: the apply-time ones, or the plan-time ones in destroy mode. */
  readonly warnings: readonly CheckWarning[];
  readonly outputs: Readonly<Record<string, JsonValue>>;
}

interface Step {
  readonly id: string;
  readonly address: string;
  readonly kind: StepKind;
  readonly change: PlannedChange;
  readonly provisioners: readonly ProvisionerConfig[];
}

export async function terraformApply(options: ApplyOptions): Promise<ApplyResult> {
  const config = options.config === undefined ? undefined : parseConfig(options.config);
  const mode = options.mode ?? 'apply';
  const baseEnv = options.env ?? process.env;
  let state =
    options.state ??
    (options.previous === undefined
      ? { resources: {} }
      : stateFromConfig(parseConfig(options.previous), options.stackDir));
  const thePlan = plan({ config, state, mode, replace: options.replace, stackDir: options.stackDir });

  // `terraform destroy` first refreshes in normal mode with no planned changes, so its check
  // reads are never deferred.
  const pending = new Set(
    mode === 'destroy' ? [] : thePlan.changes.filter((c) => c.action !== 'no-op').map((c) => c.address),
  );
  const planChecks: CheckResult[] = [];
  for (const check of config?.checks ?? []) {
    planChecks.push(
      await evaluateCheck(check, {
        scope: resourceScope({ state, stackDir: options.stackDir }, pending),
        stackDir: options.stackDir,
        baseEnv,
        pending,
      }),
    );
  }

  const steps = buildSteps(thePlan, state);
  const failed = new Set<string>();
  const results: StepResult[] = [];
  const runs: ProvisionerRun[] = [];
  const errors: string[] = [];
  const resources: Record<string, ResourceInstanceState> = { ...state.resources };

  await walkGraph(
    steps.list,
    steps.edges,
    { parallelism: options.parallelism ?? 1, rank: stepRank },
    async (step) => {
      const blockedBy = [...(steps.incoming.get(step.id) ?? [])].find((id) => failed.has(id));
      if (blockedBy) {
        failed.add(step.id);
        results.push({
          address: step.address,
          kind: step.kind,
          status: 'skipped',
          error: `after failed ${blockedBy}`,
        });
        return;
      }
      let error: string | undefined;
      try {
        error = await executeStep(step, resources, { stackDir: options.stackDir, baseEnv, runs });
      } catch (thrown) {
        // Evaluation errors at apply time fail the step, as Terraform reports them per resource.
        error = `${step.address}: ${(thrown as Error).message}`;
      }
      if (error !== undefined) {
        failed.add(step.id);
        errors.push(error);
      }
      results.push({
        address: step.address,
        kind: step.kind,
        status: error === undefined ? 'ok' : 'failed',
        error,
      });
    },
  );
  state = { resources: sortKeys(resources) };

  const applyChecks: CheckResult[] = [];
  if (mode === 'apply') {
    for (const check of config?.checks ?? []) {
      const scope = resourceScope({ state, stackDir: options.stackDir }, new Set());
      applyChecks.push(
        await evaluateCheck(check, { scope, stackDir: options.stackDir, baseEnv, pending: new Set() }),
      );
    }
  }
  const outputs: Record<string, JsonValue> = {};
  if (mode === 'apply' && config) {
    const scope = resourceScope({ state, stackDir: options.stackDir }, new Set());
    for (const [name, value] of config.outputs) {
      try {
        const v = evaluateJson(value, scope, `output.${name}`);
        if (!(v instanceof Unknown)) outputs[name] = v;
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  }
  const warningSource = mode === 'apply' ? applyChecks : planChecks;
  return {
    plan: thePlan,
    state,
    ok: errors.length === 0,
    errors,
    steps: results,
    runs,
    checks: { plan: planChecks, apply: applyChecks },
    warnings: warningSource.flatMap((c) => c.warnings),
    outputs,
  };
}

/** A state as if `config` had been applied successfully (no provisioners run). */
export function stateFromConfig(config: TerraformConfig, stackDir: string): TerraformState {
  const resources: Record<string, ResourceInstanceState> = {};
  for (const resource of dependencyOrder(config)) {
    const scope = resourceScope({ state: { resources }, stackDir }, new Set());
    resources[resource.address] = newInstance(resource, scope);
  }
  return { resources };
}

function newInstance(resource: ResourceConfig, scope: Scope): ResourceInstanceState {
  const address = resource.address;
  const input = known(evaluateOrNull(resource.input, scope, `${address}.input`), `${address}.input`);
  const triggers = known(
    evaluateOrNull(resource.triggersReplace, scope, `${address}.triggers_replace`),
    `${address}.triggers_replace`,
  );
  return {
    id: randomUUID(),
    input,
    triggers_replace: triggers,
    output: input,
    tainted: false,
    dependencies: resource.dependencies.filter((d) => !d.startsWith('data.')),
    create_before_destroy: resource.createBeforeDestroy,
  };
}

function known(value: JsonValue | Unknown, where: string): JsonValue {
  if (value instanceof Unknown)
    throw new Error(`${where}: value still unknown during apply (${value.reason})`);
  return value;
}

async function executeStep(
  step: Step,
  resources: Record<string, ResourceInstanceState>,
  context: {
    readonly stackDir: string;
    readonly baseEnv: NodeJS.ProcessEnv;
    readonly runs: ProvisionerRun[];
  },
): Promise<string | undefined> {
  const address = step.address;
  const baseScope = (): Scope =>
    resourceScope({ state: { resources }, stackDir: context.stackDir }, new Set());
  const provision = async (instance: ResourceInstanceState): Promise<string | undefined> => {
    for (const provisioner of step.provisioners) {
      const run = await runLocalExec(provisioner, {
        address,
        scope: { ...baseScope(), self: selfObject(instance) },
        stackDir: context.stackDir,
        baseEnv: context.baseEnv,
      });
      context.runs.push(run);
      if (!run.ok && provisioner.onFailure === 'fail') return `${address}: ${run.error}`;
    }
    return undefined;
  };
  switch (step.kind) {
    case 'forget':
      delete resources[address];
      return undefined;
    case 'destroy-deposed':
      // create_before_destroy: the deposed object is removed without its destroy provisioner.
      return undefined;
    case 'destroy': {
      const prior = resources[address];
      const error = await provision(prior);
      // A failed destroy provisioner leaves the object in state; the next apply retries.
      if (error === undefined) delete resources[address];
      return error;
    }
    case 'update': {
      const config = step.change.config!;
      const prior = resources[address];
      const scope = baseScope();
      const input = known(evaluateOrNull(config.input, scope, `${address}.input`), `${address}.input`);
      resources[address] = {
        ...prior,
        input,
        output: input,
        dependencies: config.dependencies.filter((d) => !d.startsWith('data.')),
      };
      return undefined;
    }
    case 'create': {
      const config = step.change.config!;
      let instance: ResourceInstanceState;
      try {
        instance = newInstance(config, baseScope());
      } catch (error) {
        return `${address}: ${(error as Error).message}`;
      }
      resources[address] = instance;
      const error = await provision(instance);
      // A failed create provisioner taints the new object: the next apply replaces it.
      if (error !== undefined) resources[address] = { ...instance, tainted: true };
      return error;
    }
  }
}

function buildSteps(
  thePlan: Plan,
  state: TerraformState,
): { list: Step[]; edges: [string, string][]; incoming: Map<string, Set<string>> } {
  const list: Step[] = [];
  const add = (
    change: PlannedChange,
    kind: StepKind,
    provisioners: readonly ProvisionerConfig[] = [],
  ): void => {
    list.push({ id: `${kind}:${change.address}`, address: change.address, kind, change, provisioners });
  };
  const destroyProvisioners = (change: PlannedChange): readonly ProvisionerConfig[] => {
    // A tainted object's destroy provisioners are skipped, as Terraform does.
    if (state.resources[change.address]?.tainted) return [];
    const source =
      change.config?.provisioners ?? (change.removed?.destroy ? change.removed.provisioners : []);
    return source.filter((p) => p.when === 'destroy');
  };
  const createProvisioners = (change: PlannedChange): readonly ProvisionerConfig[] =>
    (change.config?.provisioners ?? []).filter((p) => p.when === 'create');
  for (const change of thePlan.changes) {
    switch (change.action) {
      case 'create':
        add(change, 'create', createProvisioners(change));
        break;
      case 'update':
        add(change, 'update');
        break;
      case 'replace':
        add(change, 'create', createProvisioners(change));
        if (change.createBeforeDestroy) add(change, 'destroy-deposed');
        else add(change, 'destroy', destroyProvisioners(change));
        break;
      case 'delete':
        add(change, 'destroy', destroyProvisioners(change));
        break;
      case 'drop':
        add(change, 'destroy');
        break;
      case 'forget':
        add(change, 'forget');
        break;
      case 'no-op':
        break;
    }
  }
  const byAddress = (address: string, kinds: StepKind[]): Step[] =>
    list.filter((s) => s.address === address && kinds.includes(s.kind));
  const edges: [string, string][] = [];
  const edge = (from: Step, to: Step): void => {
    edges.push([from.id, to.id]);
  };
  for (const step of list) {
    const address = step.address;
    const configDeps = (step.change.config?.dependencies ?? []).filter((d) => !d.startsWith('data.'));
    const stateDeps = new Set([...(state.resources[address]?.dependencies ?? []), ...configDeps]);
    if (step.kind === 'create' || step.kind === 'update') {
      for (const dep of configDeps) for (const s of byAddress(dep, ['create', 'update'])) edge(s, step);
      // Creators wait for the destroyers of what they depended on (state dependencies, else
      // configuration ones), except that an in-place update goes before the plain deletion
      // of a former dependency (Terraform's DestroyEdge and OrphanDestroyEdge transformers).
      const priorDeps = state.resources[address]?.dependencies ?? configDeps;
      for (const dep of priorDeps) {
        for (const s of byAddress(dep, ['destroy'])) {
          const plainDelete = s.change.action === 'delete' || s.change.action === 'drop';
          if (step.kind === 'update' && plainDelete) edge(step, s);
          else edge(s, step);
        }
      }
      // Replace: destroy the old object first, or (create_before_destroy) create first.
      for (const s of byAddress(address, ['destroy'])) edge(s, step);
      for (const s of byAddress(address, ['destroy-deposed'])) edge(step, s);
    }
    if (step.kind === 'destroy') {
      for (const dep of stateDeps) {
        // Dependents are destroyed before what they depend on is destroyed or recreated.
        for (const s of byAddress(dep, ['destroy', 'destroy-deposed', 'create', 'update'])) edge(step, s);
      }
    }
    if (step.kind === 'destroy-deposed') {
      // Whatever depends on a create_before_destroy object moves to the new one first.
      for (const other of list) {
        if (
          (other.kind === 'create' || other.kind === 'update') &&
          other.change.config?.dependencies.includes(address)
        ) {
          edge(other, step);
        }
      }
    }
  }
  const incoming = new Map<string, Set<string>>();
  const reach = new Map<string, Set<string>>();
  for (const [from, to] of edges) {
    if (!reach.has(to)) reach.set(to, new Set());
    reach.get(to)!.add(from);
  }
  // Transitive predecessors, so a failure skips everything downstream of it.
  for (const step of list) {
    const seen = new Set<string>();
    const stack = [...(reach.get(step.id) ?? [])];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(reach.get(id) ?? []));
    }
    incoming.set(step.id, seen);
  }
  return { list, edges, incoming };
}

const KIND_RANK: Record<StepKind, number> = {
  destroy: 0,
  'destroy-deposed': 2,
  forget: 0,
  update: 1,
  create: 1,
};

/** Ready steps: destroys first, then by address, so a one-at-a-time walk is reproducible. */
function stepRank(step: Step): string {
  return `${KIND_RANK[step.kind]}:${step.address}`;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareBytes(a, b)));
}
