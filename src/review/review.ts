/**
 * The review of one or more plans (one per cdktf stack): our resources recognised and turned
 * into jobs per source bucket, destination grants, changes found outside Terraform and
 * consequences; everything else counted.
 */
import { compareStrings } from '../model/canonical';
import { consequencesOf, type Consequence } from './consequences';
import { grantChanges, type GrantChange } from './grants';
import { reviewJob, type JobReview } from './job-review';
import { isReportOutput, recogniseResource, type OurResource } from './our-resources';
import { outsideChanges, type OutsideChange } from './outside-changes';
import type { TerraformPlan } from './plan-json';

/** A plan and how to name it when several are reviewed together. */
export interface PlanInput {
  readonly label: string;
  readonly plan: TerraformPlan;
}

export interface SourceBucketReview {
  readonly bucket: string;
  readonly region: string;
  /** The plan's label, when several plans are reviewed. */
  readonly plan?: string;
  /** `module.x`, when the constructs sit in a module. */
  readonly module?: string;
  /** Terraform name fragments of the BucketInventory constructs (normally one). */
  readonly constructs: readonly string[];
  /** Jobs with a change, by id. */
  readonly jobs: readonly JobReview[];
  /** Ids of jobs the plan leaves as they are. */
  readonly unchanged: readonly string[];
}

/** A resource change as the details list shows it. */
export interface ResourceLine {
  readonly address: string;
  readonly actions: readonly string[];
  /** What it is for us: `job`, `grant`, `legacy-prune`, ... or `other`. */
  readonly role: string;
  /** The address a `moved` block moves it from. */
  readonly movedFrom?: string;
  /** The id an `import` block adopts it with. */
  readonly importId?: string;
}

export interface PlanNote {
  readonly label: string;
  readonly terraformVersion: string;
  /** Managed resources in state that the plan does not cover (`-target`). */
  readonly notCovered: number;
  readonly complete: boolean;
  readonly errored: boolean;
}

export interface InventoryReview {
  readonly plans: readonly PlanNote[];
  readonly buckets: readonly SourceBucketReview[];
  readonly grants: readonly GrantChange[];
  /** Our resources the refresh found changed outside Terraform (drift). */
  readonly outside: readonly OutsideChange[];
  readonly consequences: readonly Consequence[];
  /** Our resources with a planned action other than no-op. */
  readonly ours: readonly ResourceLine[];
  /** Everything else that changes. */
  readonly others: readonly ResourceLine[];
  /** Other outputs that change (`output.<name>`). */
  readonly otherOutputs: readonly string[];
  /** Jobs in the plans, changed or not. */
  readonly jobCount: number;
}

const QUIET = new Set(['no-op', 'read']);

function changes(actions: readonly string[]): boolean {
  return !actions.every((a) => QUIET.has(a));
}

/** A move or an import is a change of the plan even when no action is planned. */
function listed(change: {
  readonly actions: readonly string[];
  readonly previousAddress?: string;
  readonly importId?: string;
}): boolean {
  return changes(change.actions) || change.previousAddress !== undefined || change.importId !== undefined;
}

function line(label: string, several: boolean, r: OurResource): ResourceLine {
  const { change } = r;
  return {
    address: prefixed(label, several, change.address),
    actions: change.actions,
    role: change.deposed !== undefined ? `${r.role}, deposed object` : r.role,
    ...(change.previousAddress !== undefined
      ? { movedFrom: prefixed(label, several, change.previousAddress) }
      : {}),
    ...(change.importId !== undefined ? { importId: change.importId } : {}),
  };
}

function key(label: string, module: string | undefined, bucket: string): string {
  return JSON.stringify([label, module ?? '', bucket]);
}

function byString<T>(pick: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => compareStrings(pick(a), pick(b));
}

interface BucketDraft {
  bucket: string;
  region: string;
  plan?: string;
  module?: string;
  constructs: Set<string>;
  jobs: JobReview[];
  unchanged: string[];
}

/** Reviews the plans together (one summary, one set of tables). */
export function reviewPlans(inputs: readonly PlanInput[]): InventoryReview {
  const several = inputs.length > 1;
  const buckets = new Map<string, BucketDraft>();
  const grants: GrantChange[] = [];
  const outside: OutsideChange[] = [];
  const retired: OurResource[] = [];
  const ours: ResourceLine[] = [];
  const others: ResourceLine[] = [];
  const otherOutputs: string[] = [];
  const plans: PlanNote[] = [];
  let jobCount = 0;

  for (const { label, plan } of inputs) {
    for (const change of plan.resourceChanges) {
      const r = recogniseResource(change);
      if (r === undefined) {
        if (change.mode === 'managed' && changes(change.actions)) {
          others.push({
            address: prefixed(label, several, change.address),
            actions: change.actions,
            role: 'other',
          });
        }
        continue;
      }
      if (listed(change)) ours.push(line(label, several, r));
      // The leftover of an interrupted replace: the current object, listed too, is the job.
      if (change.deposed !== undefined) continue;
      if (r.role === 'job' || r.role === 'legacy-job') {
        jobCount++;
        addJob(buckets, label, several, r);
      } else if (r.role === 'grant') {
        grants.push(...grantChanges(change, r));
      } else if (changes(change.actions)) {
        retired.push(r);
      }
    }
    outside.push(
      ...outsideChanges(plan).map((o) => ({ ...o, address: prefixed(label, several, o.address) })),
    );
    for (const output of plan.outputChanges) {
      if (!isReportOutput(output) && changes(output.actions))
        otherOutputs.push(prefixed(label, several, `output.${output.name}`));
    }
    const covered = new Set(plan.resourceChanges.map((c) => c.address));
    plans.push({
      label,
      terraformVersion: plan.terraformVersion,
      notCovered: plan.priorManagedAddresses.filter((a) => !covered.has(a)).length,
      complete: plan.complete,
      errored: plan.errored,
    });
  }

  const sorted = [...buckets.values()]
    .map((b): SourceBucketReview => ({
      bucket: b.bucket,
      region: b.region,
      ...(b.plan !== undefined ? { plan: b.plan } : {}),
      ...(b.module !== undefined ? { module: b.module } : {}),
      constructs: [...b.constructs].sort(compareStrings),
      jobs: b.jobs.sort(byString((j) => j.jobId)),
      unchanged: b.unchanged.sort(compareStrings),
    }))
    .sort(byString((b) => `${b.plan ?? ''}\u0000${b.module ?? ''}\u0000${b.bucket}`));
  grants.sort(byString((g) => `${g.destination}\u0000${g.sid}\u0000${g.action}`));
  return {
    plans,
    buckets: sorted,
    grants,
    outside,
    consequences: consequencesOf(
      sorted.flatMap((b) => b.jobs),
      grants,
      outside,
      retired,
    ),
    ours,
    others,
    otherOutputs,
    jobCount,
  };
}

function prefixed(label: string, several: boolean, address: string): string {
  return several ? `${label}: ${address}` : address;
}

function addJob(
  buckets: Map<string, BucketDraft>,
  label: string,
  several: boolean,
  r: Extract<OurResource, { role: 'job' | 'legacy-job' }>,
): void {
  const state = (r.after ?? r.before)!;
  const module = r.change.moduleAddress;
  const k = key(label, module, state.bucket);
  const review = reviewJob(r.change, r.construct, r, r.role === 'legacy-job');
  let draft = buckets.get(k);
  if (draft === undefined) {
    draft = {
      bucket: state.bucket,
      region: state.region,
      ...(several ? { plan: label } : {}),
      ...(module !== undefined ? { module } : {}),
      constructs: new Set(),
      jobs: [],
      unchanged: [],
    };
    buckets.set(k, draft);
  }
  draft.constructs.add(r.construct);
  if (review.action === 'unchanged') draft.unchanged.push(review.jobId);
  else draft.jobs.push(review);
}
