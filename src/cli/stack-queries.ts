/**
 * The declared jobs of a synthesized stack (`cdktf.out/stacks/NAME/cdk.tf.json`): every
 * `resource.cosinventory_job` entry, its flat attributes turned back into the configuration COS
 * would hold (src/model/job-attributes.ts), grouped into one read query per source bucket. A job
 * whose attributes hold a reference only Terraform resolves (`${...}`) cannot be compared without
 * Terraform: it is skipped and named.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadQuery } from '../handler/spec';
import { isValidBucketName, isValidRegion } from '../model/bucket';
import { compareStrings } from '../model/canonical';
import type { InventoryConfiguration } from '../model/configuration';
import { describeValue, formatProblem } from '../model/problem';
import {
  configurationFromAttributes,
  JOB_ATTRIBUTE_NAMES,
  type JobAttributes,
} from '../model/job-attributes';
import { validateConfiguration } from '../model/validate';
import { JOB_RESOURCE_TYPE } from '../provider/names';

/** The declared jobs of one source bucket in one stack. */
export interface StackQuery {
  readonly stack: string;
  /** `cosinventory_job.<construct>_job_*`: where the jobs are declared, for messages. */
  readonly origin: string;
  readonly query: ReadQuery;
  /** Job id -> its resource address (`cosinventory_job.<construct>_job_<id>`). */
  readonly addresses: Readonly<Record<string, string>>;
  /** Ids of jobs of this bucket that were skipped (see {@link SkippedJob}): never "undeclared". */
  readonly skippedIds: readonly string[];
}

/** A declared job that cannot be compared without Terraform. */
export interface SkippedJob {
  readonly stack: string;
  readonly address: string;
  /** Attributes holding a reference Terraform resolves at plan or apply. */
  readonly attributes: readonly string[];
  /** The source bucket and job id when they are literal (the job is then known not to be undeclared). */
  readonly bucket?: string;
  readonly region?: string;
  readonly jobId?: string;
}

export interface StackJobs {
  readonly queries: readonly StackQuery[];
  readonly skipped: readonly SkippedJob[];
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

/**
 * A string as Terraform reads it: `$${` is a literal `${` and `%%{` a literal `%{` (the
 * construct escapes user text so); an unescaped `${` or `%{` is a reference or a directive,
 * known only to Terraform: `undefined` then.
 */
export function literalString(value: string): string | undefined {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const rest = value.slice(i, i + 3);
    if (rest === '$${' || rest === '%%{') {
      out += rest.slice(1);
      i += 2;
    } else if (rest.startsWith('${') || rest.startsWith('%{')) {
      return undefined;
    } else {
      out += value[i];
    }
  }
  return out;
}

/** The value with every string read as Terraform does; `undefined` where a reference is. */
function literal(value: unknown): { value: unknown; unresolved: boolean } {
  if (typeof value === 'string') {
    const text = literalString(value);
    return text === undefined ? { value, unresolved: true } : { value: text, unresolved: false };
  }
  if (Array.isArray(value)) {
    const items = value.map(literal);
    return { value: items.map((i) => i.value), unresolved: items.some((i) => i.unresolved) };
  }
  if (isObject(value)) {
    // Terraform reads the keys of a map in JSON as templates too.
    const entries = Object.entries(value).map(([k, v]) => [k, literalString(k), literal(v)] as const);
    return {
      value: Object.fromEntries(entries.map(([k, key, v]) => [key ?? k, v.value])),
      unresolved: entries.some(([, key, v]) => key === undefined || v.unresolved),
    };
  }
  return { value, unresolved: false };
}

type Expected = 'string' | 'boolean' | 'string map' | 'string list';

const TYPES: Readonly<Record<(typeof JOB_ATTRIBUTE_NAMES)[number], Expected>> = {
  region: 'string',
  bucket: 'string',
  job_id: 'string',
  enabled: 'boolean',
  included_object_versions: 'string',
  frequency: 'string',
  monthly_date: 'string',
  destination_bucket: 'string',
  destination_account_id: 'string',
  destination_prefix: 'string',
  destination_format: 'string',
  destination_encryption: 'string',
  filter_prefix: 'string',
  filter_tags: 'string map',
  filter_storage_class: 'string',
  filter_start_time: 'string',
  filter_end_time: 'string',
  optional_fields: 'string list',
};

/** Never null in what `jobAttributes` writes. */
const REQUIRED: ReadonlySet<string> = new Set([
  'region',
  'bucket',
  'job_id',
  'included_object_versions',
  'frequency',
  'destination_bucket',
  'destination_format',
]);

function typed(value: unknown, expected: Expected): boolean {
  switch (expected) {
    case 'string':
      // Terraform turns a number into a string for a string attribute.
      return typeof value === 'string' || typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string map':
      return isObject(value) && Object.values(value).every((v) => typeof v === 'string');
    case 'string list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
  }
}

/** The job attributes of one resource block, checked; `unresolved` lists the references. */
function jobBlock(
  where: string,
  block: Json,
): { attributes?: JobAttributes; unresolved: string[]; literals: Json } {
  const unresolved: string[] = [];
  const literals: Json = {};
  for (const name of JOB_ATTRIBUTE_NAMES) {
    const read = literal(block[name]);
    if (read.unresolved) unresolved.push(name);
    literals[name] = read.value;
  }
  if (unresolved.length > 0) return { unresolved, literals };
  const attributes: Json = {};
  for (const name of JOB_ATTRIBUTE_NAMES) {
    const value = literals[name] ?? null;
    if (value === null) {
      if (REQUIRED.has(name)) {
        throw new StackReadError(`${where}: attribute ${name} is missing: expected a ${TYPES[name]}`);
      }
    } else if (!typed(value, TYPES[name])) {
      throw new StackReadError(
        `${where}: attribute ${name}: expected a ${TYPES[name]} (received ${describeValue(value)})`,
      );
    }
    attributes[name] = typeof value === 'number' ? String(value) : value;
  }
  // Unset, the job is enabled (COS's and the construct's default).
  if (attributes.enabled === null) attributes.enabled = true;
  return { attributes: attributes as unknown as JobAttributes, unresolved, literals };
}

function readJson(file: string): Json {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StackReadError(`${file}: cannot read: ${(error as Error).message}`);
  }
  if (!isObject(config)) {
    throw new StackReadError(`${file}: expected a json object, received ${describeValue(config)}`);
  }
  return config;
}

const JOB_NAME = /^(.+?)_job_/;

interface Draft {
  bucket: string;
  region: string;
  constructs: Set<string>;
  configurations: InventoryConfiguration[];
  addresses: Record<string, string>;
  skippedIds: string[];
}

/**
 * Every source bucket's declared jobs in one synthesized stack directory, in bucket order, and
 * the jobs that cannot be compared without Terraform. Reads `cdk.tf.json` only: a stack
 * synthesized with `--hcl` has none.
 */
export function stackQueries(stackDir: string): StackJobs {
  const file = join(stackDir, 'cdk.tf.json');
  if (!existsSync(file)) {
    const hcl = existsSync(join(stackDir, 'cdk.tf'))
      ? ' (a stack synthesized with --hcl has only cdk.tf)'
      : '';
    throw new StackReadError(
      `${file}: cannot read: no such file${hcl}; expected a stack directory of \`cdktf synth\` (json), e.g. cdktf.out/stacks/NAME`,
    );
  }
  const config = readJson(file);
  const resources = isObject(config.resource) ? config.resource[JOB_RESOURCE_TYPE] : undefined;
  const blocks = isObject(resources) ? Object.entries(resources) : [];
  const drafts = new Map<string, Draft>();
  const skipped: SkippedJob[] = [];
  for (const [name, block] of blocks) {
    const address = `${JOB_RESOURCE_TYPE}.${name}`;
    const where = `${stackDir}: ${address}`;
    if (!isObject(block)) {
      throw new StackReadError(
        `${where}: expected a resource block object (received ${describeValue(block)})`,
      );
    }
    const { attributes, unresolved, literals } = jobBlock(where, block);
    if (attributes === undefined) {
      const known = (key: string): string | undefined =>
        unresolved.includes(key) || typeof literals[key] !== 'string' ? undefined : (literals[key] as string);
      const [bucket, region, jobId] = [known('bucket'), known('region'), known('job_id')];
      skipped.push({
        stack: stackDir,
        address,
        attributes: unresolved,
        ...(bucket !== undefined ? { bucket } : {}),
        ...(region !== undefined ? { region } : {}),
        ...(jobId !== undefined ? { jobId } : {}),
      });
      continue;
    }
    if (!isValidBucketName(attributes.bucket)) {
      throw new StackReadError(
        `${where}: attribute bucket: expected a bucket name <name>-<appid> such as examplebucket-1250000000 (received ${describeValue(attributes.bucket)})`,
      );
    }
    if (!isValidRegion(attributes.region)) {
      throw new StackReadError(
        `${where}: attribute region: expected a cos region id such as ap-guangzhou (received ${describeValue(attributes.region)})`,
      );
    }
    const configuration = configurationFromAttributes(attributes);
    const problems = validateConfiguration(configuration, { sourceRegion: attributes.region });
    if (problems.length > 0) {
      throw new StackReadError(`${where}: ${problems.map((p) => formatProblem(p)).join('; ')}`);
    }
    const key = `${attributes.bucket}@${attributes.region}`;
    const draft = drafts.get(key) ?? {
      bucket: attributes.bucket,
      region: attributes.region,
      constructs: new Set<string>(),
      configurations: [],
      addresses: {},
      skippedIds: [],
    };
    drafts.set(key, draft);
    if (draft.addresses[configuration.Id] !== undefined) {
      throw new StackReadError(
        `${where}: job ${configuration.Id} of bucket ${attributes.bucket} is also declared by ${draft.addresses[configuration.Id]}: expected each job id once per bucket`,
      );
    }
    draft.constructs.add(JOB_NAME.exec(name)?.[1] ?? name);
    draft.configurations.push(configuration);
    draft.addresses[configuration.Id] = address;
  }
  for (const job of skipped) {
    const draft = job.bucket && job.region ? drafts.get(`${job.bucket}@${job.region}`) : undefined;
    if (draft && job.jobId !== undefined) draft.skippedIds.push(job.jobId);
  }
  const queries = [...drafts.values()]
    .sort((a, b) => compareStrings(`${a.bucket}@${a.region}`, `${b.bucket}@${b.region}`))
    .map((d): StackQuery => ({
      stack: stackDir,
      origin: [...d.constructs]
        .sort(compareStrings)
        .map((c) => `${JOB_RESOURCE_TYPE}.${c}_job_*`)
        .join(', '),
      // No addresses for the read's advice: its `-replace` advice is the terraform_data version's.
      query: { bucket: d.bucket, region: d.region, configurations: d.configurations, addresses: {} },
      addresses: d.addresses,
      skippedIds: d.skippedIds.sort(compareStrings),
    }));
  return { queries, skipped };
}
