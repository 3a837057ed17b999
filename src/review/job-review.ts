/**
 * What a planned change does to one inventory job: added, changed (which fields, in place or by
 * re-creating the job), removed (deleted in COS, or left there), replaced without a change,
 * adopted without a request (moved from provisioner-era state, or imported), or unchanged.
 *
 * The provider deletes a `cosinventory_job` in COS whenever Terraform plans its `delete`: a job
 * removed from the code, a whole construct removed, `terraform destroy`. Only `forget` (a
 * `removed` block with `destroy = false`) leaves it in COS, and so does a provisioner-era
 * `terraform_data` job leaving Terraform (Terraform drops a removed resource's provisioners).
 */
import { diffPropFields, type FieldChange } from './field-diff';
import type { JobState } from './our-resources';
import type { PlanResourceChange } from './plan-json';
import type { PropField } from './prop-fields';

export type JobAction = 'added' | 'changed' | 'removed' | 'replaced' | 'forgotten' | 'adopted' | 'unchanged';

/**
 * How a removed job leaves: `deleted` in COS by the provider, or `left` in COS (Terraform
 * forgets it, or a provisioner-era resource leaves without its destroy step).
 */
export type JobRemoval = 'deleted' | 'left';

/** Fields whose change makes COS a different job: the provider replaces the resource. */
export const IDENTITY_FIELDS: readonly string[] = ['bucket', 'region', 'id'];

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
  /** A provisioner-era `terraform_data` job (the plan of an upgrade). */
  readonly legacy?: boolean;
  /** Terraform's reason, e.g. `replace_by_request`, `delete_because_no_resource_config`. */
  readonly reason?: string;
  /** For a replace: `delete-first` (Terraform's default) or `create-first` (create_before_destroy). */
  readonly order?: 'delete-first' | 'create-first';
  /** The address a `moved` block moves the job from. */
  readonly movedFrom?: string;
  /** The id an `import` block adopts the job with. */
  readonly importId?: string;
  /** `cos://<dest>/<prefix>/<appid>/<source-name>/<id>/` before and after. */
  readonly locationBefore?: string;
  readonly locationAfter?: string;
}

function actionOf(change: PlanResourceChange, fields: readonly FieldChange[]): JobAction {
  switch (change.actions.join(',')) {
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
      return change.previousAddress !== undefined || change.importId !== undefined ? 'adopted' : 'unchanged';
  }
}

// The job's identity is part of its fields: a change of one of them replaces the job.
function identity(s: JobState): PropField[] {
  return [
    { path: 'bucket', value: s.bucket, kind: 'bare' },
    { path: 'region', value: s.region, kind: 'bare' },
    { path: 'id', value: s.id, kind: 'bare' },
  ];
}

/** The review of one job resource change (`legacy`: a provisioner-era `terraform_data`). */
export function reviewJob(
  change: PlanResourceChange,
  construct: string,
  state: { readonly before?: JobState; readonly after?: JobState },
  legacy = false,
): JobReview {
  const actions = change.actions.join(',');
  const gone = actions === 'delete' || actions === 'forget';
  const current = (gone ? state.before : state.after) ?? state.before ?? state.after;
  const { bucket, region, id } = current!;
  const fields =
    state.before && state.after && !gone
      ? diffPropFields(
          [...identity(state.before), ...state.before.fields],
          [...identity(state.after), ...state.after.fields],
        )
      : [];
  const action = actionOf(change, fields);
  const removal: JobRemoval | undefined =
    action === 'forgotten' || (action === 'removed' && legacy)
      ? 'left'
      : action === 'removed'
        ? 'deleted'
        : undefined;
  const locationBefore = state.before?.location;
  const locationAfter = gone ? undefined : state.after?.location;
  return {
    jobId: id,
    sourceBucket: bucket,
    region,
    construct,
    address: change.address,
    action,
    fields: action === 'changed' ? fields : [],
    settings: (gone ? state.before?.fields : state.after?.fields) ?? [],
    ...(removal !== undefined ? { removal } : {}),
    ...(legacy ? { legacy } : {}),
    ...(change.reason !== undefined ? { reason: change.reason } : {}),
    ...(actions === 'delete,create' ? { order: 'delete-first' as const } : {}),
    ...(actions === 'create,delete' ? { order: 'create-first' as const } : {}),
    ...(change.previousAddress !== undefined ? { movedFrom: change.previousAddress } : {}),
    ...(change.importId !== undefined ? { importId: change.importId } : {}),
    ...(locationBefore !== undefined ? { locationBefore } : {}),
    ...(locationAfter !== undefined ? { locationAfter } : {}),
  };
}
