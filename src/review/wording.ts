/**
 * The sentences of a review, shared by the Markdown and text renderers: the summary line, a
 * job's action and details, a grant's line, notes about partial plans.
 */
import { describeField, describeFieldChange } from './field-diff';
import type { GrantChange } from './grants';
import type { JobAction, JobReview } from './job-review';
import type { InventoryReview, PlanNote, ResourceLine, SourceBucketReview } from './review';
import { code, type RichText } from './rich-text';

const ACTION_LABELS: Readonly<Record<JobAction, string>> = {
  added: 'added',
  changed: 'changed',
  removed: 'removed',
  replaced: 'replaced, no change',
  forgotten: 'forgotten',
  adopted: 'adopted, no request',
  unchanged: 'unchanged',
};

export function jobActionLabel(job: JobReview): string {
  return ACTION_LABELS[job.action];
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

const ROLE_LABELS: Readonly<Record<string, string>> = {
  job: 'inventory job',
  grant: 'destination policy statement',
  'legacy-job': 'inventory job of the terraform_data version',
  'legacy-prune': 'prune step of the terraform_data version',
  'legacy-policy': 'destination policy statements of the terraform_data version',
  'legacy-release': 'destination policy release guard of the terraform_data version',
};

/** What one of our resources is for, in a reviewer's words. */
export function roleLabel(role: string): string {
  const [base, ...rest] = role.split(', ');
  return [ROLE_LABELS[base] ?? base, ...rest].join(', ');
}

function actionWords(actions: readonly string[]): string {
  switch (actions.join(',')) {
    case 'delete,create':
      return 'replace (delete, then create)';
    case 'create,delete':
      return 'replace (create, then delete)';
    default:
      return actions.join(', ');
  }
}

/**
 * Planned actions in words: "replace (delete, then create)", "moved from terraform_data.x",
 * "import (id ...)"; a move or an import without another action is only that.
 */
export function actionsLabel(line: Pick<ResourceLine, 'actions' | 'movedFrom' | 'importId'>): string {
  const quiet = line.actions.join(',') === 'no-op';
  const parts = [
    ...(line.movedFrom !== undefined ? [`moved from ${line.movedFrom}`] : []),
    ...(line.importId !== undefined ? [`import (id ${line.importId})`] : []),
  ];
  return [...parts, ...(quiet && parts.length > 0 ? [] : [actionWords(line.actions)])].join(', then ');
}

function adoption(job: JobReview): RichText[] {
  return [
    ...(job.movedFrom !== undefined ? [['moved from ', code(job.movedFrom)]] : []),
    ...(job.importId !== undefined ? [['imported with id ', code(job.importId)]] : []),
  ];
}

/** The lines of a job's "what changes" cell. */
export function jobDetailLines(job: JobReview): RichText[] {
  switch (job.action) {
    case 'changed':
      return [
        ...adoption(job),
        ...(job.fields.length > 0
          ? job.fields.map((f) => [code(describeFieldChange(f))])
          : [['Terraform updates its record of the job; COS is not called']]),
      ];
    case 'added':
      return job.settings.map((f) => [code(describeField(f))]);
    case 'removed':
      if (job.removal === 'deleted') {
        return [[job.reason === undefined ? 'deleted in COS (terraform destroy)' : 'deleted in COS']];
      }
      return [['stays in COS: it leaves Terraform without a destroy step (see consequences)']];
    case 'forgotten':
      return [['Terraform forgets it; it stays in COS']];
    case 'adopted':
      return [...adoption(job), ['COS is only read']];
    case 'replaced':
      return [['same configuration, put again', ...(job.reason ? [' (', code(job.reason), ')'] : [])]];
    case 'unchanged':
      return [];
  }
}

/** `logs-1250000000`, qualified by plan and module when that is needed to tell them apart. */
export function bucketTitle(bucket: SourceBucketReview): RichText {
  const where = [bucket.plan, bucket.module].filter((x): x is string => x !== undefined);
  return [code(bucket.bucket), ...(where.length > 0 ? [' (', code(where.join(' ')), ')'] : [])];
}

function jobCounts(bucket: SourceBucketReview): string {
  const count = (...actions: JobAction[]): number =>
    bucket.jobs.filter((j) => actions.includes(j.action)).length;
  const parts: [number, string][] = [
    [count('added'), 'added'],
    [count('changed'), 'changed'],
    [count('replaced'), 'replaced without change'],
    [count('removed', 'forgotten'), 'removed'],
    [count('adopted'), 'adopted without a request'],
  ];
  const text = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return text.join(', ');
}

function grantCounts(grants: readonly GrantChange[]): string {
  const count = (action: string): number => grants.filter((g) => g.action === action).length;
  if (grants.length === 0) return 'no change';
  const extra = (['widened', 'changed', 'adopted'] as const)
    .filter((a) => count(a) > 0)
    .map((a) => `${count(a)} ${a}`);
  return [
    `${count('added')} added`,
    `${count('narrowed')} narrowed`,
    `${count('removed')} removed`,
    ...extra,
  ].join(', ');
}

function otherCount(review: InventoryReview): string | undefined {
  const parts = [
    ...(review.others.length > 0
      ? [`${plural(review.others.length, 'other resource changes', 'other resources change')}`]
      : []),
    ...(review.otherOutputs.length > 0
      ? [`${plural(review.otherOutputs.length, 'other output changes', 'other outputs change')}`]
      : []),
  ];
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** Whether anything in the plans changes at all. */
export function hasChanges(review: InventoryReview): boolean {
  return (
    review.buckets.some((b) => b.jobs.length > 0) ||
    review.grants.length > 0 ||
    review.ours.length > 0 ||
    review.others.length > 0 ||
    review.otherOutputs.length > 0
  );
}

/** The one summary line. */
export function summaryLine(review: InventoryReview): RichText {
  const buckets = review.buckets.length;
  if (!hasChanges(review)) {
    return review.jobCount === 0
      ? ['No changes: the plan changes nothing and holds no inventory jobs.']
      : [
          `No changes: ${plural(review.jobCount, 'inventory job', 'inventory jobs')} of `,
          `${plural(buckets, 'source bucket', 'source buckets')} ${review.jobCount === 1 ? 'stays' : 'stay'} as ${review.jobCount === 1 ? 'it is' : 'they are'}.`,
        ];
  }
  const changed = review.buckets.filter((b) => b.jobs.length > 0);
  const jobs: RichText =
    changed.length === 0
      ? [review.jobCount === 0 ? 'none in this plan' : `no change (${review.jobCount} unchanged)`]
      : changed.flatMap((b, i): RichText => [
          ...(i > 0 ? ['; '] : []),
          ...bucketTitle(b),
          ` ${jobCounts(b)}`,
        ]);
  const others = otherCount(review);
  return [
    'Inventory jobs: ',
    ...jobs,
    '. Destination grants: ',
    grantCounts(review.grants),
    '.',
    ...(others !== undefined ? [` ${others[0].toUpperCase()}${others.slice(1)}.`] : []),
  ];
}

/** Warnings about plans that do not show everything. */
export function planNotes(plans: readonly PlanNote[]): RichText[] {
  const several = plans.length > 1;
  return plans.flatMap((p): RichText[] => {
    const which: RichText = several ? [' (', code(p.label), ')'] : [];
    const notes: RichText[] = [];
    if (p.errored) notes.push(['Planning stopped on an error', ...which, ': the plan is incomplete.']);
    if (p.notCovered > 0) {
      notes.push([
        'Partial plan',
        ...which,
        `: ${plural(p.notCovered, 'resource', 'resources')} in state are not in it (-target?); `,
        'only what the plan holds is reviewed.',
      ]);
    } else if (!p.complete && !p.errored) {
      notes.push([
        'Partial plan',
        ...which,
        ': Terraform marks it incomplete (-target or deferred changes).',
      ]);
    }
    return notes;
  });
}

/** `allows inv/1250000000/logs/*`, `now also a/*; no longer b/*`. */
export function grantDetail(grant: GrantChange): RichText {
  const list = (paths: readonly string[]): RichText =>
    paths.flatMap((p, i): RichText => [...(i > 0 ? [', '] : []), code(p)]);
  const was = new Set(grant.before);
  const is = new Set(grant.after);
  const gained = grant.after.filter((p) => !was.has(p));
  const lost = grant.before.filter((p) => !is.has(p));
  switch (grant.action) {
    case 'added':
      return ['allows ', ...list(grant.after)];
    case 'removed':
      return [
        'no longer allows ',
        ...list(grant.before),
        grant.fate === 'detached'
          ? ' (statement detached; other statements stay)'
          : ' (statement left in the policy: see consequences)',
      ];
    case 'adopted':
      return ['moved from ', code(grant.movedFrom ?? ''), ': no request'];
    default: {
      const parts: RichText[] = [];
      if (grant.sidBefore !== undefined) parts.push(['sid ', code(grant.sidBefore), ' -> ', code(grant.sid)]);
      if (gained.length > 0) parts.push(['now also ', ...list(gained)]);
      if (lost.length > 0) parts.push(['no longer ', ...list(lost)]);
      if (grant.principalsChange === true) parts.push(['principals change']);
      return parts.flatMap((p, i): RichText => [...(i > 0 ? ['; '] : []), ...p]);
    }
  }
}
