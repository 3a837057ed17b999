/**
 * The parts of `terraform show -json PLANFILE` the review reads, checked on the way in: a
 * state JSON, another tool's JSON or a future format must fail with a clear message, never
 * render as "no changes".
 */
import { describeValue } from '../model/problem';

/** Plan JSON format versions we read: Terraform 1.x writes 1.0 to 1.2 (1.11 writes 1.2). */
export const SUPPORTED_FORMAT = /^1\.\d+$/;

/** A value Terraform knows only at apply (`after_unknown` marks it). */
export class Unknown {
  public toString(): string {
    return '(known after apply)';
  }
}

/** The one instance standing for every unknown value. */
export const UNKNOWN = new Unknown();

/** One entry of `resource_changes`. `before`/`after` hold {@link UNKNOWN} where unknown. */
export interface PlanResourceChange {
  readonly address: string;
  /** `module.a.module.b`, absent in the root module. */
  readonly moduleAddress?: string;
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  /** `["create"]`, `["delete","create"]`, `["create","delete"]`, `["update"]`, `["no-op"]`, ... */
  readonly actions: readonly string[];
  /** Set for a deposed object (left by an interrupted create_before_destroy replace). */
  readonly deposed?: string;
  /** Terraform's `action_reason`, e.g. `replace_by_request`, `delete_because_no_resource_config`. */
  readonly reason?: string;
  /** The address in the prior state when a `moved` block moves it (`previous_address`). */
  readonly previousAddress?: string;
  /** The id of an `import` block adopting the object in this plan (`change.importing.id`). */
  readonly importId?: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** One entry of `output_changes`. */
export interface PlanOutputChange {
  readonly name: string;
  readonly actions: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
}

/** One entry of `checks` (Terraform >= 1.5). */
export interface PlanCheck {
  /** `check.<name>`, or `module.m.check.<name>`. */
  readonly address: string;
  readonly kind: string;
  readonly name: string;
  /** `pass`, `fail`, `error` or `unknown`. */
  readonly status: string;
  /** Messages of failed assertions. */
  readonly problems: readonly string[];
}

/** A checked plan. */
export interface TerraformPlan {
  readonly formatVersion: string;
  readonly terraformVersion: string;
  readonly resourceChanges: readonly PlanResourceChange[];
  /**
   * `resource_drift`: objects the refresh found changed or deleted outside Terraform, `before`
   * as Terraform last wrote them and `after` as the provider read them.
   */
  readonly resourceDrift: readonly PlanResourceChange[];
  readonly outputChanges: readonly PlanOutputChange[];
  readonly checks: readonly PlanCheck[];
  /** Managed resources in the prior state: a targeted plan leaves some out of `resource_changes`. */
  readonly priorManagedAddresses: readonly string[];
  /** `false` when Terraform says the plan is partial (e.g. `-target`). */
  readonly complete: boolean;
  /** `true` when planning stopped on an error. */
  readonly errored: boolean;
}

/** The input is not a plan JSON we can read. */
export class PlanFormatError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'PlanFormatError';
  }
}

const EXPECTED = 'expected the output of `terraform show -json PLANFILE` (terraform >= 1.0)';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `after` with every leaf that `after_unknown` marks replaced by {@link UNKNOWN}. */
export function markUnknown(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return UNKNOWN;
  if (Array.isArray(unknown)) {
    const list = Array.isArray(value) ? value : [];
    const length = Math.max(list.length, unknown.length);
    return Array.from({ length }, (_, i) => markUnknown(list[i], unknown[i]));
  }
  if (isObject(unknown) && Object.keys(unknown).length > 0) {
    const object = isObject(value) ? value : {};
    const keys = new Set([...Object.keys(object), ...Object.keys(unknown)]);
    return Object.fromEntries([...keys].map((key) => [key, markUnknown(object[key], unknown[key])]));
  }
  return value;
}

function actionsOf(where: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((a) => typeof a !== 'string')) {
    throw new PlanFormatError(
      `${where}.actions: expected a list of terraform actions such as ["create"] (received ${describeValue(value)})`,
    );
  }
  return value as string[];
}

function resourceChange(entry: unknown, index: number, list = 'resource_changes'): PlanResourceChange {
  const where = `${list}[${index}]`;
  if (
    !isObject(entry) ||
    typeof entry.address !== 'string' ||
    typeof entry.mode !== 'string' ||
    typeof entry.type !== 'string' ||
    typeof entry.name !== 'string' ||
    !isObject(entry.change)
  ) {
    throw new PlanFormatError(
      `${where}: expected an object with address, mode, type, name and change (received ${describeValue(entry)})`,
    );
  }
  const change = entry.change;
  const importing = isObject(change.importing) ? change.importing : undefined;
  return {
    address: entry.address,
    ...(typeof entry.module_address === 'string' ? { moduleAddress: entry.module_address } : {}),
    mode: entry.mode,
    type: entry.type,
    name: entry.name,
    actions: actionsOf(`${where}.change`, change.actions),
    ...(typeof entry.deposed === 'string' ? { deposed: entry.deposed } : {}),
    ...(typeof entry.action_reason === 'string' ? { reason: entry.action_reason } : {}),
    ...(typeof entry.previous_address === 'string' ? { previousAddress: entry.previous_address } : {}),
    ...(typeof importing?.id === 'string' ? { importId: importing.id } : {}),
    before: change.before ?? null,
    after: markUnknown(change.after ?? null, change.after_unknown),
  };
}

function outputChanges(value: unknown): PlanOutputChange[] {
  if (value === undefined) return [];
  if (!isObject(value)) {
    throw new PlanFormatError(
      `output_changes: expected an object of output name -> change (received ${describeValue(value)})`,
    );
  }
  return Object.entries(value).map(([name, change]) => {
    if (!isObject(change)) {
      throw new PlanFormatError(
        `output_changes.${name}: expected an object with actions (received ${describeValue(change)})`,
      );
    }
    return {
      name,
      actions: actionsOf(`output_changes.${name}`, change.actions),
      before: change.before ?? null,
      after: markUnknown(change.after ?? null, change.after_unknown),
    };
  });
}

function checks(value: unknown): PlanCheck[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((check): PlanCheck[] => {
    const address = isObject(check.address) ? check.address : {};
    if (typeof address.to_display !== 'string') return [];
    const instances = Array.isArray(check.instances) ? check.instances.filter(isObject) : [];
    const problems = instances.flatMap((instance) =>
      Array.isArray(instance.problems)
        ? instance.problems
            .filter(isObject)
            .map((p) => p.message)
            .filter((m): m is string => typeof m === 'string')
        : [],
    );
    return [
      {
        address: address.to_display,
        kind: typeof address.kind === 'string' ? address.kind : '',
        name: typeof address.name === 'string' ? address.name : '',
        status: typeof check.status === 'string' ? check.status : 'unknown',
        problems,
      },
    ];
  });
}

interface StateModule {
  readonly resources?: unknown;
  readonly child_modules?: unknown;
}

function managedAddresses(module: unknown): string[] {
  if (!isObject(module)) return [];
  const { resources, child_modules: children } = module as StateModule;
  const own = Array.isArray(resources)
    ? resources
        .filter(isObject)
        .filter((r) => r.mode === 'managed' && typeof r.address === 'string')
        .map((r) => r.address as string)
    : [];
  const nested = Array.isArray(children) ? children.flatMap(managedAddresses) : [];
  return [...own, ...nested];
}

/** Checks and reads one plan JSON; `source` names the input in messages (a path or `stdin`). */
export function parsePlanJson(text: string, source: string): TerraformPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const received =
      text.trim() === '' ? 'empty input' : `text that is not json (${(error as Error).message})`;
    throw new PlanFormatError(`${source}: received ${received}: ${EXPECTED}`);
  }
  try {
    return readPlan(json);
  } catch (error) {
    if (error instanceof PlanFormatError) throw new PlanFormatError(`${source}: ${error.message}`);
    throw error;
  }
}

function readPlan(json: unknown): TerraformPlan {
  if (!isObject(json) || typeof json.format_version !== 'string') {
    const keys = isObject(json)
      ? `an object with keys ${Object.keys(json).slice(0, 8).join(', ') || 'none'}`
      : describeValue(json);
    throw new PlanFormatError(`received ${keys}, not terraform's plan json (no format_version): ${EXPECTED}`);
  }
  if (!SUPPORTED_FORMAT.test(json.format_version)) {
    throw new PlanFormatError(
      `format_version ${JSON.stringify(json.format_version)} is not supported: expected 1.x, as terraform 1.x writes`,
    );
  }
  const isPlan = 'planned_values' in json || 'resource_changes' in json || 'output_changes' in json;
  if (!isPlan) {
    const what =
      'values' in json ? 'terraform state json' : 'a json without planned_values or resource_changes';
    throw new PlanFormatError(
      `received ${what}, not a plan: run \`terraform plan -out=PLANFILE\` and review \`terraform show -json PLANFILE\``,
    );
  }
  const changes = json.resource_changes ?? [];
  if (!Array.isArray(changes)) {
    throw new PlanFormatError(`resource_changes: expected a list (received ${describeValue(changes)})`);
  }
  const drift = json.resource_drift ?? [];
  if (!Array.isArray(drift)) {
    throw new PlanFormatError(`resource_drift: expected a list (received ${describeValue(drift)})`);
  }
  const prior =
    isObject(json.prior_state) && isObject(json.prior_state.values) ? json.prior_state.values : {};
  return {
    formatVersion: json.format_version,
    terraformVersion: typeof json.terraform_version === 'string' ? json.terraform_version : 'unknown',
    resourceChanges: changes.map((entry, index) => resourceChange(entry, index)),
    resourceDrift: drift.map((entry, index) => resourceChange(entry, index, 'resource_drift')),
    outputChanges: outputChanges(json.output_changes),
    checks: checks(json.checks),
    priorManagedAddresses: managedAddresses(prior.root_module),
    complete: json.complete !== false,
    errored: json.errored === true,
  };
}
