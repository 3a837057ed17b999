/**
 * Reads a synthesized Terraform JSON configuration (cdk.tf.json) into the parts the harness
 * models: terraform_data resources, local-exec provisioners, removed blocks, check blocks
 * with external data sources, outputs. Anything else fails loudly: the harness must not
 * silently ignore a construct emitting something new.
 */

import { referencePaths } from './hcl-ast';
import { parseExpression, parseTemplate } from './hcl-parser';
import { isObject, type JsonValue } from './values';

export type ProvisionerWhen = 'create' | 'destroy';

export interface ProvisionerConfig {
  readonly when: ProvisionerWhen;
  readonly onFailure: 'fail' | 'continue';
  readonly command: JsonValue;
  readonly environment: JsonValue | undefined;
  readonly interpreter: JsonValue | undefined;
  readonly workingDir: JsonValue | undefined;
}

export interface ResourceConfig {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly input: JsonValue | undefined;
  readonly triggersReplace: JsonValue | undefined;
  readonly provisioners: readonly ProvisionerConfig[];
  readonly createBeforeDestroy: boolean;
  readonly preventDestroy: boolean;
  /** depends_on plus resources referenced by expressions, sorted, without duplicates. */
  readonly dependencies: readonly string[];
}

export interface RemovedConfig {
  readonly from: string;
  readonly destroy: boolean;
  readonly provisioners: readonly ProvisionerConfig[];
}

export interface ExternalDataConfig {
  readonly address: string;
  readonly name: string;
  readonly program: JsonValue;
  readonly query: JsonValue | undefined;
  readonly workingDir: JsonValue | undefined;
  readonly dependencies: readonly string[];
}

export interface AssertConfig {
  readonly condition: JsonValue;
  readonly errorMessage: JsonValue;
}

export interface CheckConfig {
  readonly name: string;
  readonly data: readonly ExternalDataConfig[];
  readonly asserts: readonly AssertConfig[];
}

export interface TerraformConfig {
  readonly resources: ReadonlyMap<string, ResourceConfig>;
  readonly removed: readonly RemovedConfig[];
  readonly checks: readonly CheckConfig[];
  readonly outputs: ReadonlyMap<string, JsonValue>;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(`terraform config: ${message}`);
    this.name = 'ConfigError';
  }
}

const TOP_LEVEL = new Set(['//', 'terraform', 'provider', 'resource', 'check', 'removed', 'output']);
const RESOURCE_KEYS = new Set([
  '//',
  'input',
  'triggers_replace',
  'provisioner',
  'lifecycle',
  'depends_on',
  'provider',
]);
const LIFECYCLE_KEYS = new Set(['create_before_destroy', 'prevent_destroy']);
const LOCAL_EXEC_KEYS = new Set([
  'command',
  'environment',
  'interpreter',
  'working_dir',
  'when',
  'on_failure',
  'quiet',
]);
const EXTERNAL_KEYS = new Set(['//', 'program', 'query', 'working_dir', 'depends_on']);
/** Roots a destroy-time provisioner may reference (Terraform validates this too). */
const DESTROY_ROOTS = new Set(['self', 'path', 'terraform', 'count', 'each']);

export function parseConfig(json: unknown): TerraformConfig {
  if (!isObject(json as JsonValue)) throw new ConfigError('the configuration must be a JSON object');
  const root = json as Record<string, JsonValue>;
  for (const key of Object.keys(root)) {
    if (!TOP_LEVEL.has(key)) {
      throw new ConfigError(
        `unsupported top-level block "${key}"; the harness models ${[...TOP_LEVEL].join(', ')}`,
      );
    }
  }
  const resources = new Map<string, ResourceConfig>();
  for (const byType of blocks(root.resource, 'resource')) {
    for (const [type, byName] of Object.entries(byType)) {
      for (const named of blocks(byName, `resource.${type}`)) {
        for (const [name, body] of Object.entries(named)) {
          const address = `${type}.${name}`;
          if (resources.has(address)) throw new ConfigError(`duplicate resource ${address}`);
          resources.set(address, parseResource(type, name, single(body, address)));
        }
      }
    }
  }
  const removed = blocks(root.removed, 'removed').map(parseRemoved);
  for (const r of removed) {
    if (resources.has(r.from)) {
      throw new ConfigError(
        `removed block for ${r.from}: the resource is still declared; remove its block too`,
      );
    }
  }
  const checks: CheckConfig[] = [];
  for (const byName of blocks(root.check, 'check')) {
    for (const [name, body] of Object.entries(byName))
      checks.push(parseCheck(name, single(body, `check.${name}`)));
  }
  const outputs = new Map<string, JsonValue>();
  for (const byName of blocks(root.output, 'output')) {
    for (const [name, body] of Object.entries(byName)) {
      const block = single(body, `output.${name}`);
      if (!('value' in block)) throw new ConfigError(`output.${name}: missing "value"`);
      outputs.set(name, block.value);
    }
  }
  return { resources, removed, checks, outputs };
}

function parseResource(type: string, name: string, body: Record<string, JsonValue>): ResourceConfig {
  const address = `${type}.${name}`;
  if (type !== 'terraform_data') {
    throw new ConfigError(
      `${address}: unsupported resource type "${type}"; the harness models terraform_data only`,
    );
  }
  for (const key of Object.keys(body)) {
    if (!RESOURCE_KEYS.has(key)) throw new ConfigError(`${address}: unsupported argument "${key}"`);
  }
  const lifecycle = body.lifecycle === undefined ? {} : single(body.lifecycle, `${address}.lifecycle`);
  for (const key of Object.keys(lifecycle)) {
    if (!LIFECYCLE_KEYS.has(key))
      throw new ConfigError(`${address}.lifecycle: unsupported argument "${key}"`);
  }
  const provisioners = parseProvisioners(body.provisioner, address);
  const refs = new Set<string>(parseDependsOn(body.depends_on, address));
  const exprs: JsonValue[] = [body.input ?? null, body.triggers_replace ?? null];
  for (const p of provisioners) if (p.when === 'create') exprs.push(p.command, p.environment ?? null);
  for (const value of exprs) for (const r of referencedAddresses(value, address)) refs.add(r);
  refs.delete(address);
  return {
    address,
    type,
    name,
    input: body.input,
    triggersReplace: body.triggers_replace,
    provisioners,
    createBeforeDestroy: boolFlag(
      lifecycle.create_before_destroy,
      `${address}.lifecycle.create_before_destroy`,
    ),
    preventDestroy: boolFlag(lifecycle.prevent_destroy, `${address}.lifecycle.prevent_destroy`),
    dependencies: [...refs].sort(),
  };
}

function parseRemoved(body: Record<string, JsonValue>): RemovedConfig {
  for (const key of Object.keys(body)) {
    if (!['//', 'from', 'lifecycle', 'provisioner'].includes(key)) {
      throw new ConfigError(`removed: unsupported argument "${key}"`);
    }
  }
  if (typeof body.from !== 'string')
    throw new ConfigError('removed: "from" must be a resource address string');
  const from = addressOf(body.from, 'removed.from');
  const lifecycle = body.lifecycle === undefined ? {} : single(body.lifecycle, `removed ${from} lifecycle`);
  // Terraform defaults `destroy` to true; OpenTofu before 1.10 needs it written out.
  const destroy =
    lifecycle.destroy === undefined ? true : boolFlag(lifecycle.destroy, `removed ${from} destroy`);
  const provisioners = parseProvisioners(body.provisioner, `removed ${from}`);
  if (provisioners.some((p) => p.when !== 'destroy')) {
    throw new ConfigError(`removed ${from}: provisioners in a removed block must have when = destroy`);
  }
  return { from, destroy, provisioners };
}

function parseCheck(name: string, body: Record<string, JsonValue>): CheckConfig {
  const where = `check.${name}`;
  const data: ExternalDataConfig[] = [];
  for (const byType of blocks(body.data, `${where}.data`)) {
    for (const [type, byName] of Object.entries(byType)) {
      if (type !== 'external') {
        throw new ConfigError(
          `${where}: unsupported data source type "${type}"; the harness models external only`,
        );
      }
      for (const named of blocks(byName, `${where}.data.external`)) {
        for (const [dataName, dataBody] of Object.entries(named)) {
          const address = `data.external.${dataName}`;
          const b = single(dataBody, `${where}.${address}`);
          for (const key of Object.keys(b)) {
            if (!EXTERNAL_KEYS.has(key))
              throw new ConfigError(`${where}.${address}: unsupported argument "${key}"`);
          }
          if (b.program === undefined) throw new ConfigError(`${where}.${address}: missing "program"`);
          const refs = new Set<string>(parseDependsOn(b.depends_on, address));
          for (const v of [b.program, b.query ?? null])
            for (const r of referencedAddresses(v, address)) refs.add(r);
          data.push({
            address,
            name: dataName,
            program: b.program,
            query: b.query,
            workingDir: b.working_dir,
            dependencies: [...refs].sort(),
          });
        }
      }
    }
  }
  for (const key of Object.keys(body)) {
    if (!['//', 'data', 'assert'].includes(key))
      throw new ConfigError(`${where}: unsupported argument "${key}"`);
  }
  const asserts = blocks(body.assert, `${where}.assert`).map((a, i) => {
    if (a.condition === undefined || a.error_message === undefined) {
      throw new ConfigError(`${where}.assert[${i}]: "condition" and "error_message" are required`);
    }
    return { condition: a.condition, errorMessage: a.error_message };
  });
  if (asserts.length === 0) throw new ConfigError(`${where}: a check needs at least one assert block`);
  return { name, data, asserts };
}

function parseProvisioners(value: JsonValue | undefined, where: string): ProvisionerConfig[] {
  const out: ProvisionerConfig[] = [];
  for (const block of blocks(value, `${where}.provisioner`)) {
    for (const [type, bodies] of Object.entries(block)) {
      if (type !== 'local-exec') {
        throw new ConfigError(
          `${where}: unsupported provisioner "${type}"; the harness models local-exec only`,
        );
      }
      for (const body of blocks(bodies, `${where}.provisioner.local-exec`))
        out.push(parseLocalExec(body, where));
    }
  }
  return out;
}

function parseLocalExec(body: Record<string, JsonValue>, where: string): ProvisionerConfig {
  for (const key of Object.keys(body)) {
    if (!LOCAL_EXEC_KEYS.has(key))
      throw new ConfigError(`${where}: unsupported local-exec argument "${key}"`);
  }
  if (typeof body.command !== 'string')
    throw new ConfigError(`${where}: local-exec "command" must be a string`);
  const when = body.when === undefined ? 'create' : body.when;
  if (when !== 'create' && when !== 'destroy') {
    throw new ConfigError(
      `${where}: provisioner "when" is ${JSON.stringify(when)}; allowed: create, destroy`,
    );
  }
  const onFailure = body.on_failure === undefined ? 'fail' : body.on_failure;
  if (onFailure !== 'fail' && onFailure !== 'continue') {
    throw new ConfigError(
      `${where}: provisioner "on_failure" is ${JSON.stringify(onFailure)}; allowed: fail, continue`,
    );
  }
  const config: ProvisionerConfig = {
    when,
    onFailure,
    command: body.command,
    environment: body.environment,
    interpreter: body.interpreter,
    workingDir: body.working_dir,
  };
  if (when === 'destroy') {
    for (const value of [config.command, config.environment, config.interpreter, config.workingDir]) {
      for (const path of templateReferences(value ?? null, where)) {
        if (!DESTROY_ROOTS.has(path[0])) {
          throw new ConfigError(
            `${where}: invalid reference from destroy provisioner "${path.join('.')}"; destroy-time provisioners may reference only self, path, terraform, count and each`,
          );
        }
      }
    }
  }
  return config;
}

function parseDependsOn(value: JsonValue | undefined, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${where}: depends_on must be a list of addresses`);
  return value.map((v) => {
    if (typeof v !== 'string') throw new ConfigError(`${where}: depends_on entries must be strings`);
    return addressOf(v, `${where}.depends_on`);
  });
}

/** `terraform_data.x`, `${terraform_data.x}` or `data.external.y` -> the resource address. */
function addressOf(text: string, where: string): string {
  const inner = /^\$\{([\s\S]*)\}$/.exec(text);
  const expr = parseExpression(inner ? inner[1] : text);
  const [path] = referencePaths(expr);
  const address = path ? resourceAddress(path) : undefined;
  if (address === undefined)
    throw new ConfigError(`${where}: ${JSON.stringify(text)} is not a resource address`);
  return address;
}

function resourceAddress(path: readonly string[]): string | undefined {
  if (path[0] === 'data') return path.length >= 3 ? `data.${path[1]}.${path[2]}` : undefined;
  if (['self', 'path', 'terraform', 'count', 'each', 'var', 'local', 'module'].includes(path[0]))
    return undefined;
  return path.length >= 2 ? `${path[0]}.${path[1]}` : undefined;
}

/** Every reference path in the templates of a JSON value (keys included). */
export function templateReferences(value: JsonValue, where: string): string[][] {
  const out: string[][] = [];
  const visit = (v: JsonValue): void => {
    if (typeof v === 'string') {
      try {
        out.push(...referencePaths(parseTemplate(v)));
      } catch (error) {
        throw new ConfigError(`${where}: ${(error as Error).message}`);
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) {
      for (const [k, item] of Object.entries(v)) {
        visit(k);
        visit(item);
      }
    }
  };
  visit(value);
  return out;
}

function referencedAddresses(value: JsonValue, where: string): string[] {
  return templateReferences(value, where)
    .map(resourceAddress)
    .filter((a): a is string => a !== undefined);
}

/** A JSON-syntax block: an object, or an array of objects (both are valid Terraform JSON). */
function blocks(value: JsonValue | undefined, where: string): Record<string, JsonValue>[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (!isObject(item))
      throw new ConfigError(`${where}: expected a block object, got ${JSON.stringify(item)}`);
    return item;
  });
}

function single(value: JsonValue, where: string): Record<string, JsonValue> {
  const list = blocks(value, where);
  if (list.length !== 1) throw new ConfigError(`${where}: expected exactly one block, got ${list.length}`);
  return list[0];
}

function boolFlag(value: JsonValue | undefined, where: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean')
    throw new ConfigError(`${where}: expected true or false, got ${JSON.stringify(value)}`);
  return value;
}
