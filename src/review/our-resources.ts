/**
 * Recognises what `BucketInventory` synthesizes in a plan, by address AND by the shape of the
 * values, so a foreign `terraform_data` that happens to be named `x_job_y` stays "other".
 *
 * Addresses (docs/terraform.md, src/construct/logical-names.ts): `terraform_data.<c>_job_<id>`,
 * `terraform_data.<c>_prune` (job ids, and the destinations holding the source's statement),
`terraform_data.cos_inventory_policy_<dest>` and its guard
 * `..._release`, the drift check's data source `data.<type>.<c>_drift`, outputs
 * `<c>_report_<id>`. A job's configuration is read from `triggers_replace` (where the construct
 * keeps it), falling back to `input` (state written by older versions kept it there too).
 */
import { Unknown, type PlanOutputChange, type PlanResourceChange } from './plan-json';

const TERRAFORM_DATA = 'terraform_data';
const JOB_NAME = /^(.+?)_job_(.+)$/;
const PRUNE_NAME = /^(.+)_prune$/;
const RELEASE_NAME = /^cos_inventory_policy_(.+)_release$/;
const POLICY_NAME = /^cos_inventory_policy_(.+)$/;
const DRIFT_NAME = /^(.+)_drift$/;
const REPORT_OUTPUT_NAME = /^(.+)_report_(.+)$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One side (before or after) of a job resource. */
export interface JobState {
  readonly bucket: string;
  readonly region: string;
  readonly id: string;
  /** The SDK-shaped configuration (may hold `UNKNOWN` leaves after the change). */
  readonly configuration: JsonObject;
}

/** One side of a prune resource. */
export interface PruneState {
  readonly bucket: string;
  readonly ids: readonly string[];
  /**
   * Destination buckets holding the source's statement (`triggers_replace.destinations`,
   * `(known after apply)` for a token); empty in state of constructs that did not track them.
   */
  readonly destinations: readonly string[];
}

/** One side of a destination policy attacher. */
export interface PolicyState {
  /** The destination bucket (`name-appid`), or unknown until apply. */
  readonly bucket: unknown;
  readonly statements: readonly JsonObject[];
}

interface Side<T> {
  readonly before?: T;
  readonly after?: T;
}

export type OurResource =
  | ({
      readonly role: 'job';
      readonly change: PlanResourceChange;
      readonly construct: string;
    } & Side<JobState>)
  | ({
      readonly role: 'prune';
      readonly change: PlanResourceChange;
      readonly construct: string;
    } & Side<PruneState>)
  | ({ readonly role: 'policy'; readonly change: PlanResourceChange } & Side<PolicyState>)
  | { readonly role: 'release'; readonly change: PlanResourceChange }
  | { readonly role: 'drift-read'; readonly change: PlanResourceChange; readonly construct: string };

/** The values holding a resource's data: `triggers_replace`, else `input`. */
function dataOf(value: unknown, key: 'triggers_replace' | 'input'): JsonObject | undefined {
  if (!isObject(value)) return undefined;
  const data = value[key];
  return isObject(data) ? data : undefined;
}

function jobState(value: unknown): JobState | undefined {
  for (const key of ['triggers_replace', 'input'] as const) {
    const data = dataOf(value, key);
    if (
      data &&
      typeof data.bucket === 'string' &&
      typeof data.region === 'string' &&
      typeof data.id === 'string' &&
      isObject(data.configuration)
    ) {
      return { bucket: data.bucket, region: data.region, id: data.id, configuration: data.configuration };
    }
  }
  return undefined;
}

// `{<name fragment>: {bucket, region}}`: the buckets, whatever the keys.
function destinationBuckets(value: unknown): string[] {
  if (!isObject(value)) return [];
  return Object.values(value).flatMap((d) => {
    const bucket = isObject(d) ? d.bucket : undefined;
    return bucket instanceof Unknown ? [String(bucket)] : typeof bucket === 'string' ? [bucket] : [];
  });
}

function pruneState(value: unknown): PruneState | undefined {
  for (const key of ['triggers_replace', 'input'] as const) {
    const data = dataOf(value, key);
    if (data && typeof data.bucket === 'string' && Array.isArray(data.ids)) {
      return {
        bucket: data.bucket,
        ids: data.ids.filter((id): id is string => typeof id === 'string'),
        destinations: destinationBuckets(data.destinations),
      };
    }
  }
  return undefined;
}

function policyState(value: unknown): PolicyState | undefined {
  for (const key of ['triggers_replace', 'input'] as const) {
    const data = dataOf(value, key);
    if (data && 'bucket' in data && Array.isArray(data.statements)) {
      return { bucket: data.bucket, statements: data.statements.filter(isObject) };
    }
  }
  return undefined;
}

function releaseShape(value: unknown): boolean {
  const data = dataOf(value, 'triggers_replace') ?? dataOf(value, 'input');
  return data !== undefined && 'bucket' in data && 'region' in data;
}

function sides<T>(change: PlanResourceChange, read: (value: unknown) => T | undefined): Side<T> | undefined {
  const before = read(change.before);
  const after = read(change.after);
  if (before === undefined && after === undefined) return undefined;
  return { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

/** What role a resource change plays for us, or `undefined` when it is someone else's. */
export function recogniseResource(change: PlanResourceChange): OurResource | undefined {
  if (change.mode === 'data') {
    const drift = DRIFT_NAME.exec(change.name);
    return drift ? { role: 'drift-read', change, construct: drift[1] } : undefined;
  }
  if (change.mode !== 'managed' || change.type !== TERRAFORM_DATA) return undefined;
  // Most specific shape first: a job's name may contain `_prune` or `cos_inventory_policy_`.
  const name = change.name;
  const job = JOB_NAME.exec(name);
  const jobSides = job ? sides(change, jobState) : undefined;
  if (jobSides) {
    const id = (jobSides.after ?? jobSides.before)!.id;
    return { role: 'job', change, construct: constructOf(name, id), ...jobSides };
  }
  const prune = PRUNE_NAME.exec(name);
  const pruneSides = prune ? sides(change, pruneState) : undefined;
  if (prune && pruneSides) return { role: 'prune', change, construct: prune[1], ...pruneSides };
  const policy = POLICY_NAME.test(name) ? sides(change, policyState) : undefined;
  if (policy) return { role: 'policy', change, ...policy };
  if (RELEASE_NAME.test(name) && (releaseShape(change.before) || releaseShape(change.after))) {
    return { role: 'release', change };
  }
  return undefined;
}

// `<c>_job_<id>`: the id's own name fragment ends the name when it is name-safe; otherwise
// (hashed fragment) the first `_job_` is the best guess. Only used for display.
function constructOf(name: string, id: string): string {
  const suffix = `_job_${id}`;
  if (name.endsWith(suffix) && name.length > suffix.length) return name.slice(0, -suffix.length);
  return JOB_NAME.exec(name)?.[1] ?? name;
}

/** Whether an output is a job's report location (`<c>_report_<id>` holding `cos://...`). */
export function isReportOutput(output: PlanOutputChange): boolean {
  if (!REPORT_OUTPUT_NAME.test(output.name)) return false;
  return [output.before, output.after].some((v) => typeof v === 'string' && v.startsWith('cos://'));
}

/** Whether a check is a construct's drift check. */
export function isDriftCheck(name: string): boolean {
  return DRIFT_NAME.test(name);
}
