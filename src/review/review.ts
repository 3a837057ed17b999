/**
 * The review of one or more plans (one per cdktf stack): our resources recognised and turned
 * into jobs per source bucket, destination grants and consequences; everything else counted.
 */
import { compareStrings } from '../model/canonical';
import { consequencesOf, type Consequence } from './consequences';
import { grantChanges, type GrantChange } from './grants';
import { reviewJob, type JobReview, type PruneChange } from './job-review';
import { isDriftCheck, isReportOutput, recogniseResource, type OurResource } from './our-resources';
import type { PlanCheck, TerraformPlan } from './plan-json';

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
  /** What it is for us: `job`, `prune`, `policy`, ... or `other`. */
  readonly role: string;
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
  const ours: ResourceLine[] = [];
  const others: ResourceLine[] = [];
  const otherOutputs: string[] = [];
  const driftChecks: PlanCheck[] = [];
  const plans: PlanNote[] = [];
  let jobCount = 0;

  for (const { label, plan } of inputs) {
    const recognised = plan.resourceChanges.map((change) => ({ change, ours: recogniseResource(change) }));
    const prunes = new Map<string, PruneChange & { readonly construct: string }>();
    for (const { ours: r } of recognised) {
      if (r?.role !== 'prune') continue;
      const bucket = (r.after ?? r.before)!.bucket;
      prunes.set(key(label, r.change.moduleAddress, bucket), r);
    }
    for (const { change, ours: r } of recognised) {
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
      if (changes(change.actions)) {
        const role = change.deposed !== undefined ? `${r.role}, deposed object` : r.role;
        ours.push({ address: prefixed(label, several, change.address), actions: change.actions, role });
      }
      // The leftover of an interrupted replace: the current object, listed too, is the job.
      if (change.deposed !== undefined) continue;
      if (r.role === 'job') {
        jobCount++;
        addJob(buckets, label, several, r, prunes);
      } else if (r.role === 'policy') {
        const module = change.moduleAddress;
        grants.push(...grantChanges(change, r, (source) => prunes.get(key(label, module, source))));
      }
    }
    for (const output of plan.outputChanges) {
      if (!isReportOutput(output) && changes(output.actions))
        otherOutputs.push(prefixed(label, several, `output.${output.name}`));
    }
    driftChecks.push(...plan.checks.filter((c) => c.kind === 'check' && isDriftCheck(c.name)));
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
  grants.sort(byString((g) => `${g.destination}\u0000${g.source}`));
  return {
    plans,
    buckets: sorted,
    grants,
    consequences: consequencesOf(
      sorted.flatMap((b) => b.jobs),
      grants,
      driftChecks,
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
  r: Extract<OurResource, { role: 'job' }>,
  prunes: ReadonlyMap<string, PruneChange>,
): void {
  const state = (r.after ?? r.before)!;
  const module = r.change.moduleAddress;
  const k = key(label, module, state.bucket);
  const review = reviewJob(r.change, r.construct, r, prunes.get(k));
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
