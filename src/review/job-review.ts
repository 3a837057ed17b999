/**
 * What a planned change does to one inventory job: added, changed (which fields), removed (and
 * whether COS really loses it), replaced without a change, or unchanged.
 *
 * A job whose block leaves the configuration is dropped by Terraform WITHOUT its destroy
 * provisioner; the construct's prune resource deletes it in COS when it is replaced with the
 * id gone from its `ids`. When the prune resource leaves the configuration too (the whole
 * construct deleted), only a `removed` block (RemovedBucketInventory) runs its destroy step,
 * and plan JSON shows that block nowhere: the job goes only if one is declared. Without a prune
 * step in the plan (`-target`) the job stays in COS.
 */
import { parseBucketName } from '../model/bucket';
import { reportPrefix } from '../model/report-location';
import { diffPropFields, type FieldChange } from './field-diff';
import type { JobState, PruneState } from './our-resources';
import { Unknown, type PlanResourceChange } from './plan-json';
import { jobPropFields, type PropField } from './prop-fields';

export type JobAction = 'added' | 'changed' | 'removed' | 'replaced' | 'forgotten' | 'unchanged';

/**
 * How a removed job leaves COS: `deleted` by its own destroy step (`terraform destroy`),
 * `pruned` by the prune step, `unless-removed` (its whole BucketInventory is deleted: only a
 * RemovedBucketInventory deletes it), `left` (nothing in the plan deletes it).
 */
export type JobRemoval = 'deleted' | 'pruned' | 'unless-removed' | 'left';

export interface JobReview {
  readonly jobId: string;
  readonly sourceBucket: string;
  readonly region: string;
  /** Terraform name fragment of the BucketInventory (`Logs` in `Logs_job_a`). */
  readonly construct: string;
  readonly address: string;
  readonly action: JobAction;
  /** Differing fields of a changed job. */
  readonly fields: readonly FieldChange[];
  /** Every field of the job as it will be (added, changed) or as it was (removed). */
  readonly settings: readonly PropField[];
  readonly removal?: JobRemoval;
  /** Terraform's reason, e.g. `replace_by_request`. */
  readonly reason?: string;
  /** For a replace: `delete-first` (Terraform's default) or `create-first` (create_before_destroy). */
  readonly order?: 'delete-first' | 'create-first';
  /** `cos://<dest>/<prefix>/<appid>/<source-name>/<id>/` before and after. */
  readonly locationBefore?: string;
  readonly locationAfter?: string;
}

/** The prune resource change of a job's construct, when the plan holds it. */
export interface PruneChange {
  readonly change: PlanResourceChange;
  readonly before?: PruneState;
  readonly after?: PruneState;
}

function text(value: unknown): string | undefined {
  if (value instanceof Unknown) return String(value);
  return typeof value === 'string' ? value : undefined;
}

/** Where the reports of a job land, from its SDK-shaped configuration. */
export function reportLocation(state: JobState): string | undefined {
  const destination = state.configuration.Destination as Record<string, unknown> | undefined;
  const cos = destination?.COSBucketDestination as Record<string, unknown> | undefined;
  const arn = text(cos?.Bucket);
  if (arn === undefined) return undefined;
  try {
    const source = parseBucketName(state.bucket);
    const bucket = /^qcs::cos:[^:]*::(.*)$/.exec(arn)?.[1] ?? arn;
    const prefix = reportPrefix({
      destinationPrefix: text(cos?.Prefix),
      appId: source.appId,
      sourceBucketName: source.name,
      jobId: state.id,
    });
    return `cos://${bucket}/${prefix}`;
  } catch {
    return undefined;
  }
}

function actionOf(actions: string, fields: readonly FieldChange[]): JobAction {
  switch (actions) {
    case 'create':
      return 'added';
    case 'delete':
      return 'removed';
    case 'delete,create':
    case 'create,delete':
      return fields.length === 0 ? 'replaced' : 'changed';
    case 'update':
      return 'changed';
    case 'forget':
      return 'forgotten';
    default:
      return 'unchanged';
  }
}

function removalOf(change: PlanResourceChange, id: string, prune: PruneChange | undefined): JobRemoval {
  // No reason: `terraform destroy` (or -destroy), which runs the job's own delete-job.
  if (change.reason === undefined) return 'deleted';
  const pruneActions = prune?.change.actions.join(',');
  const pruneReplaced = pruneActions === 'delete,create' || pruneActions === 'create,delete';
  if (pruneReplaced && prune?.before?.ids.includes(id) && !prune.after?.ids.includes(id)) return 'pruned';
  if (pruneActions === 'delete' && prune?.before?.ids.includes(id)) return 'unless-removed';
  return 'left';
}

/** The review of one job resource change. */
export function reviewJob(
  change: PlanResourceChange,
  construct: string,
  state: { readonly before?: JobState; readonly after?: JobState },
  prune: PruneChange | undefined,
): JobReview {
  const actions = change.actions.join(',');
  const gone = actions === 'delete' || actions === 'forget';
  const current = (gone ? state.before : state.after) ?? state.before ?? state.after;
  const { bucket, region, id } = current!;
  const beforeFields = state.before ? jobPropFields(state.before.configuration, state.before.region) : [];
  const afterFields =
    state.after && !gone ? jobPropFields(state.after.configuration, state.after.region) : [];
  // The construct's own `bucket` and `region` are props too, though not part of the job.
  const owner = (s: JobState): PropField[] => [
    { path: 'bucket', value: s.bucket, kind: 'bare' },
    { path: 'region', value: s.region, kind: 'bare' },
  ];
  const fields =
    state.before && state.after && !gone
      ? diffPropFields([...owner(state.before), ...beforeFields], [...owner(state.after), ...afterFields])
      : [];
  const action = actionOf(actions, fields);
  const locationBefore = state.before ? reportLocation(state.before) : undefined;
  const locationAfter = state.after && !gone ? reportLocation(state.after) : undefined;
  return {
    jobId: id,
    sourceBucket: bucket,
    region,
    construct,
    address: change.address,
    action,
    fields: action === 'changed' ? fields : [],
    settings: gone ? beforeFields : afterFields,
    ...(action === 'removed' ? { removal: removalOf(change, id, prune) } : {}),
    ...(action === 'forgotten' ? { removal: 'left' as const } : {}),
    ...(change.reason !== undefined ? { reason: change.reason } : {}),
    ...(actions === 'delete,create' ? { order: 'delete-first' as const } : {}),
    ...(actions === 'create,delete' ? { order: 'create-first' as const } : {}),
    ...(locationBefore !== undefined ? { locationBefore } : {}),
    ...(locationAfter !== undefined ? { locationAfter } : {}),
  };
}
