/**
 * Recognises what `BucketInventory` synthesizes in a plan, by type AND by the shape of the
 * values, so a foreign `terraform_data` that happens to be named `x_job_y` stays "other".
 *
 * Now (docs/terraform.md, src/construct/logical-names.ts): `cosinventory_job.<c>_job_<id>`
 * (flat attributes, src/model/job-attributes.ts), `cosinventory_destination_grant.
 * cos_inventory_policy_<dest>[_n]` (one statement of a destination's policy), outputs
 * `<c>_report_<id>`. Provisioner-era resources (`terraform_data` jobs, `<c>_prune`,
 * `cos_inventory_policy_<dest>` and its `_release` guard) still show in the plan of an upgrade:
 * moved to the new types, or forgotten by the construct's `removed` blocks.
 */
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from '../provider/names';
import { Unknown, type PlanOutputChange, type PlanResourceChange } from './plan-json';
import { jobAttributeFields, jobPropFields, type PropField } from './prop-fields';
import { reportLocation } from './report-location';

const TERRAFORM_DATA = 'terraform_data';
const JOB_NAME = /^(.+?)_job_(.+)$/;
const PRUNE_NAME = /^(.+)_prune$/;
const RELEASE_NAME = /^cos_inventory_policy_(.+)_release$/;
const POLICY_NAME = /^cos_inventory_policy_(.+)$/;
const REPORT_OUTPUT_NAME = /^(.+)_report_(.+)$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as text; `(known after apply)` for an unknown one. */
export function valueText(value: unknown): string | undefined {
  if (value instanceof Unknown) return String(value);
  return typeof value === 'string' ? value : undefined;
}

/** One side (before or after) of a job resource. */
export interface JobState {
  readonly bucket: string;
  readonly region: string;
  readonly id: string;
  /** The job's fields in prop names. */
  readonly fields: readonly PropField[];
  /** `cos://<dest>/<prefix>/<appid>/<source-name>/<id>/`, when known. */
  readonly location?: string;
}

/** One side of a destination grant: one statement of a destination bucket's policy. */
export interface GrantState {
  /** Destination bucket, `name-appid`, or `(known after apply)`. */
  readonly bucket: string;
  readonly region: string;
  readonly sid: string;
  readonly principals: readonly string[];
  /** The statement's resources (`qcs::cos:<region>:uid/<appid>:<bucket>/<path>`). */
  readonly resources: readonly string[];
}

interface Side<T> {
  readonly before?: T;
  readonly after?: T;
}

/** Provisioner-era resources, recognised in the plan of an upgrade. */
export type LegacyRole = 'legacy-prune' | 'legacy-policy' | 'legacy-release';

export type OurResource =
  | ({
      readonly role: 'job' | 'legacy-job';
      readonly change: PlanResourceChange;
      readonly construct: string;
    } & Side<JobState>)
  | ({ readonly role: 'grant'; readonly change: PlanResourceChange } & Side<GrantState>)
  | { readonly role: LegacyRole; readonly change: PlanResourceChange };

function text(value: unknown): string {
  return valueText(value) ?? String(value);
}

function strings(value: unknown): string[] {
  if (value instanceof Unknown) return [String(value)];
  return Array.isArray(value) ? value.map(text) : [];
}

function jobState(value: unknown): JobState | undefined {
  if (!isObject(value) || !('job_id' in value) || !('bucket' in value) || !('region' in value)) {
    return undefined;
  }
  const state = { bucket: text(value.bucket), region: text(value.region), id: text(value.job_id) };
  const location = reportLocation(state.bucket, state.id, value.destination_bucket, value.destination_prefix);
  return {
    ...state,
    fields: jobAttributeFields(value, state.region),
    ...(location !== undefined ? { location } : {}),
  };
}

function grantState(value: unknown): GrantState | undefined {
  if (!isObject(value) || !('sid' in value) || !('resources' in value)) return undefined;
  return {
    bucket: text(value.bucket),
    region: text(value.region),
    sid: text(value.sid),
    principals: strings(value.principals),
    resources: strings(value.resources),
  };
}

/** The values holding a provisioner-era resource's data: `triggers_replace`, else `input`. */
function legacyData(value: unknown): JsonObject[] {
  if (!isObject(value)) return [];
  return [value.triggers_replace, value.input].filter(isObject);
}

function legacyJobState(value: unknown): JobState | undefined {
  for (const data of legacyData(value)) {
    const configuration = data.configuration;
    if (
      typeof data.bucket === 'string' &&
      typeof data.region === 'string' &&
      typeof data.id === 'string' &&
      isObject(configuration)
    ) {
      const destination = isObject(configuration.Destination)
        ? configuration.Destination.COSBucketDestination
        : undefined;
      const cos = isObject(destination) ? destination : {};
      const location = reportLocation(data.bucket, data.id, cos.Bucket, cos.Prefix);
      return {
        bucket: data.bucket,
        region: data.region,
        id: data.id,
        fields: jobPropFields(configuration, data.region),
        ...(location !== undefined ? { location } : {}),
      };
    }
  }
  return undefined;
}

function legacyShape(value: unknown, test: (data: JsonObject) => boolean): boolean {
  return legacyData(value).some(test);
}

function sides<T>(change: PlanResourceChange, read: (value: unknown) => T | undefined): Side<T> | undefined {
  const before = read(change.before);
  const after = read(change.after);
  if (before === undefined && after === undefined) return undefined;
  return { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) };
}

function legacyRole(change: PlanResourceChange): OurResource | undefined {
  // Most specific shape first: a job's name may contain `_prune` or `cos_inventory_policy_`.
  const name = change.name;
  const job = JOB_NAME.test(name) ? sides(change, legacyJobState) : undefined;
  if (job) {
    const id = (job.before ?? job.after)!.id;
    return { role: 'legacy-job', change, construct: constructOf(name, id), ...job };
  }
  const either = (test: (data: JsonObject) => boolean): boolean =>
    legacyShape(change.before, test) || legacyShape(change.after, test);
  if (PRUNE_NAME.test(name) && either((d) => typeof d.bucket === 'string' && Array.isArray(d.ids))) {
    return { role: 'legacy-prune', change };
  }
  if (RELEASE_NAME.test(name) && either((d) => 'bucket' in d && 'region' in d && !('statements' in d))) {
    return { role: 'legacy-release', change };
  }
  if (POLICY_NAME.test(name) && either((d) => 'bucket' in d && Array.isArray(d.statements))) {
    return { role: 'legacy-policy', change };
  }
  return undefined;
}

/** What role a resource change plays for us, or `undefined` when it is someone else's. */
export function recogniseResource(change: PlanResourceChange): OurResource | undefined {
  if (change.mode !== 'managed') return undefined;
  if (change.type === JOB_RESOURCE_TYPE) {
    const job = sides(change, jobState);
    if (!job) return undefined;
    const id = (job.after ?? job.before)!.id;
    return { role: 'job', change, construct: constructOf(change.name, id), ...job };
  }
  if (change.type === GRANT_RESOURCE_TYPE) {
    const grant = sides(change, grantState);
    return grant ? { role: 'grant', change, ...grant } : undefined;
  }
  return change.type === TERRAFORM_DATA ? legacyRole(change) : undefined;
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
