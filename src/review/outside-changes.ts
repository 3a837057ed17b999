/**
 * Drift: what the refresh of the plan found changed or deleted in COS outside Terraform
 * (`resource_drift`), for our jobs and grants, and whether the plan puts the code's version back.
 */
import { diffPropFields } from './field-diff';
import { grantPaths } from './grants';
import { recogniseResource, type JobState } from './our-resources';
import type { TerraformPlan } from './plan-json';
import type { PropField } from './prop-fields';

export interface OutsideChange {
  readonly address: string;
  readonly kind: 'job' | 'grant';
  /** Source bucket of a job, destination bucket of a grant. */
  readonly bucket: string;
  /** The job id, or the statement's sid. */
  readonly name: string;
  /** Deleted in COS (the refresh found nothing). */
  readonly deleted: boolean;
  /** Prop paths (jobs) or `resources`/`principals` (grants) that differ in COS. */
  readonly fields: readonly string[];
  /** Whether this plan writes the declared version back. */
  readonly restored: boolean;
}

function withIdentity(s: JobState): PropField[] {
  return [{ path: 'bucket', value: s.bucket, kind: 'bare' }, ...s.fields];
}

/** Our resources the refresh found changed outside Terraform, in plan order. */
export function outsideChanges(plan: TerraformPlan): OutsideChange[] {
  const planned = new Map(plan.resourceChanges.map((c) => [c.address, c.actions]));
  return plan.resourceDrift.flatMap((change): OutsideChange[] => {
    const ours = recogniseResource(change);
    if (ours === undefined || change.deposed !== undefined) return [];
    const actions = planned.get(change.address) ?? ['no-op'];
    const restored = !actions.every((a) => a === 'no-op');
    const deleted = change.actions.join(',') === 'delete' || change.after === null;
    if (ours.role === 'job' && ours.before !== undefined) {
      const { before, after } = ours;
      const fields =
        after === undefined
          ? []
          : diffPropFields(withIdentity(before), withIdentity(after)).map((f) => f.path);
      if (!deleted && fields.length === 0) return [];
      return [
        {
          address: change.address,
          kind: 'job',
          bucket: before.bucket,
          name: before.id,
          deleted,
          fields,
          restored,
        },
      ];
    }
    if (ours.role === 'grant' && ours.before !== undefined) {
      const { before, after } = ours;
      const fields: string[] = [];
      if (after !== undefined) {
        if (grantPaths(before).join('\u0000') !== grantPaths(after).join('\u0000')) fields.push('resources');
        if ([...before.principals].sort().join() !== [...after.principals].sort().join()) {
          fields.push('principals');
        }
      }
      if (!deleted && fields.length === 0) return [];
      return [
        {
          address: change.address,
          kind: 'grant',
          bucket: before.bucket,
          name: before.sid,
          deleted,
          fields,
          restored,
        },
      ];
    }
    return [];
  });
}
