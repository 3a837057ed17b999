/**
 * The drift check's queries of a synthesized stack (`cdktf.out/stacks/NAME/cdk.tf.json`), one
 * per `BucketInventory`, as Terraform would hand them to the handler's `read`: the query of the
 * check block's `external` data source when there is one, else the same query built from the
 * job resources (`driftCheck: false` leaves no check block, and drift must stay checkable).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseReadQuery, type ReadQuery } from '../handler/spec';

/** Where a query came from, for messages. */
export interface StackQuery {
  readonly stack: string;
  /** `check.<name>` or `terraform_data.<prune resource>`. */
  readonly origin: string;
  readonly query: ReadQuery;
}

export class StackReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackReadError';
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Terraform reads `$${` as a literal `${` and `%%{` as `%{` (the construct escapes them). */
function unescapeTemplates(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  if (Array.isArray(value)) return value.map(unescapeTemplates);
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeTemplates(v)]));
  }
  return value;
}

function parse(stack: string, origin: string, query: Json): StackQuery {
  try {
    return { stack, origin, query: parseReadQuery('drift', JSON.stringify(unescapeTemplates(query))) };
  } catch (error) {
    throw new StackReadError(`${stack}: ${origin}: ${(error as Error).message}`);
  }
}

/** The read queries of the check blocks whose data source runs the handler's `read`. */
function checkQueries(stack: string, config: Json): StackQuery[] {
  const checks = isObject(config.check) ? config.check : {};
  const result: StackQuery[] = [];
  for (const [name, block] of Object.entries(checks)) {
    const external = isObject(block) && isObject(block.data) ? block.data.external : undefined;
    if (!isObject(external)) continue;
    for (const source of Object.values(external)) {
      if (!isObject(source) || !Array.isArray(source.program) || source.program.at(-1) !== 'read') continue;
      if (isObject(source.query)) result.push(parse(stack, `check.${name}`, source.query));
    }
  }
  return result;
}

/**
 * `BucketInventory`s without a check block: each has one prune resource (`triggers_replace`
 * with `ids` and `sid`) naming its bucket and job ids, and one resource per job
 * (`triggers_replace` with `id` and `configuration`).
 */
function resourceQueries(stack: string, config: Json, covered: ReadonlySet<string>): StackQuery[] {
  const resources =
    isObject(config.resource) && isObject(config.resource.terraform_data)
      ? config.resource.terraform_data
      : {};
  const triggers = Object.entries(resources)
    .map(([name, resource]) => [name, isObject(resource) ? resource.triggers_replace : undefined] as const)
    .filter((entry): entry is readonly [string, Json] => isObject(entry[1]));
  const jobs = triggers.filter(([, t]) => typeof t.id === 'string' && isObject(t.configuration));
  const result: StackQuery[] = [];
  for (const [name, prune] of triggers) {
    if (!Array.isArray(prune.ids) || typeof prune.sid !== 'string') continue;
    const key = `${String(prune.bucket)}@${String(prune.region)}`;
    if (covered.has(key)) continue;
    const ids = new Set(prune.ids);
    const own = jobs.filter(
      ([, t]) => t.bucket === prune.bucket && t.region === prune.region && ids.has(t.id),
    );
    result.push(
      parse(stack, `terraform_data.${name}`, {
        bucket: prune.bucket,
        region: prune.region,
        configurations: JSON.stringify(own.map(([, t]) => t.configuration)),
        addresses: JSON.stringify(Object.fromEntries(own.map(([job, t]) => [t.id, `terraform_data.${job}`]))),
      }),
    );
  }
  return result;
}

function readJson(file: string): Json {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StackReadError(`${file}: cannot read: ${(error as Error).message}`);
  }
  if (!isObject(config))
    throw new StackReadError(`${file}: expected a json object, received ${typeof config}`);
  return config;
}

/**
 * Every `BucketInventory`'s read query in one synthesized stack directory: `cdk.tf.json`, or,
 * for `cdktf synth --hcl`, the check blocks it writes beside `cdk.tf` as `<name>.check.tf.json`
 * (the HCL itself is not read: without a check block such a stack cannot be checked).
 */
export function stackQueries(stackDir: string): StackQuery[] {
  const file = join(stackDir, 'cdk.tf.json');
  if (existsSync(file)) {
    const config = readJson(file);
    const fromChecks = checkQueries(stackDir, config);
    const covered = new Set(fromChecks.map((q) => `${q.query.bucket}@${q.query.region}`));
    return [...fromChecks, ...resourceQueries(stackDir, config, covered)];
  }
  const companions = existsSync(stackDir)
    ? readdirSync(stackDir)
        .filter((name) => name.endsWith('.check.tf.json'))
        .sort()
    : [];
  if (companions.length === 0) {
    throw new StackReadError(
      `${file}: cannot read: no such file (nor a *.check.tf.json of an hcl synth); expected a synthesized stack directory, e.g. cdktf.out/stacks/NAME`,
    );
  }
  return companions.flatMap((name) => checkQueries(stackDir, readJson(join(stackDir, name))));
}
