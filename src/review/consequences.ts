/**
 * What a change means for the reports, one line each: the things a reviewer of a pull request
 * should not have to work out from field names.
 */
import type { GrantChange } from './grants';
import type { JobReview } from './job-review';
import type { PlanCheck } from './plan-json';
import { code, type RichText } from './rich-text';

export type ConsequenceKind =
  | 'location-moves'
  | 'deliveries-stop'
  | 'job-left-in-cos'
  | 'grant-removed'
  | 'grant-left-in-policy'
  | 'versions-widened'
  | 'replaced-unchanged'
  | 'drift';

export interface Consequence {
  readonly kind: ConsequenceKind;
  readonly text: RichText;
}

const REPLACE_REASONS: Readonly<Record<string, string>> = {
  replace_by_request: 'requested with -replace',
  replace_because_tainted: 'tainted by a failed apply',
  replace_by_triggers: 'a replace_triggered_by reference changed',
  replace_because_cannot_update: 'a value outside the job configuration changed',
};

function job(j: JobReview): RichText {
  return ['job ', code(j.jobId), ' of ', code(j.sourceBucket)];
}

function delivered(j: JobReview): RichText {
  return j.locationBefore ? ['; reports already delivered stay under ', code(j.locationBefore)] : [];
}

function fieldChanged(j: JobReview, path: string): boolean {
  return j.fields.some((f) => f.path === path);
}

function isAll(j: JobReview): boolean {
  return j.settings.some((f) => f.path === 'includedObjectVersions' && f.value === 'All');
}

function jobConsequences(j: JobReview): Consequence[] {
  const out: Consequence[] = [];
  const moved =
    j.action === 'changed' &&
    (fieldChanged(j, 'destination.bucket') || fieldChanged(j, 'destination.prefix'));
  if (
    moved &&
    j.locationBefore !== undefined &&
    j.locationAfter !== undefined &&
    j.locationBefore !== j.locationAfter
  ) {
    out.push({
      kind: 'location-moves',
      text: [
        'Report location moves: ',
        ...job(j),
        ' will deliver to ',
        code(j.locationAfter),
        ' instead of ',
        code(j.locationBefore),
        '; whatever reads the old location must follow.',
      ],
    });
  }
  const disabled = j.fields.some(
    (f) => f.path === 'enabled' && f.kind === 'changed' && f.from.value === true && f.to.value === false,
  );
  if (disabled) {
    out.push({
      kind: 'deliveries-stop',
      text: ['Deliveries stop: ', ...job(j), ' is disabled (', code('enabled: true -> false'), ').'],
    });
  }
  if (j.action === 'removed' && (j.removal === 'pruned' || j.removal === 'deleted')) {
    const how = j.removal === 'pruned' ? 'the prune step deletes it' : 'its destroy step deletes it';
    out.push({
      kind: 'deliveries-stop',
      text: ['Deliveries stop: ', ...job(j), ` is removed (${how} in COS)`, ...delivered(j), '.'],
    });
  }
  if (j.removal === 'unless-removed') {
    out.push({
      kind: 'job-left-in-cos',
      text: [
        'Left in COS unless removed: ',
        ...job(j),
        ' leaves Terraform with its whole BucketInventory ',
        code(j.construct),
        ': it stays in COS and keeps delivering unless the code declares ',
        code(`new RemovedBucketInventory(stack, '${j.construct}')`),
        ', whose ',
        code('removed'),
        ' block (not shown in plan JSON) deletes it',
        ...delivered(j),
        '.',
      ],
    });
  }
  if (j.removal === 'left') {
    out.push({
      kind: 'job-left-in-cos',
      text: [
        'Left in COS: ',
        ...job(j),
        ' leaves Terraform but stays in COS and keeps delivering: no prune step in this plan deletes it ',
        j.action === 'forgotten'
          ? '(Terraform forgets it); delete it by hand if it should go.'
          : "(the plan is -target'ed, or the prune resource is not replaced); plan without -target, or delete it by hand.",
      ],
    });
  }
  const widened =
    (j.action === 'changed' && fieldChanged(j, 'includedObjectVersions') && isAll(j)) ||
    (j.action === 'added' && isAll(j));
  if (widened) {
    out.push({
      kind: 'versions-widened',
      text: [
        'Version scope widened: ',
        ...job(j),
        j.action === 'added' ? ' will list every object version (' : ' now lists every object version (',
        code('includedObjectVersions: All'),
        '): bigger and costlier reports.',
      ],
    });
  }
  if (j.action === 'replaced') {
    const why = j.reason !== undefined ? (REPLACE_REASONS[j.reason] ?? j.reason) : 'no reason given';
    const how =
      j.order === 'create-first'
        ? 'COS receives the same configuration again'
        : 'COS deletes the job, then receives the same configuration again';
    out.push({
      kind: 'replaced-unchanged',
      text: [
        'Replaced without a change: ',
        ...job(j),
        ` is replaced though its configuration is the same (${why}); ${how}.`,
      ],
    });
  }
  return out;
}

function grantConsequence(g: GrantChange): Consequence | undefined {
  if (g.action !== 'removed') return undefined;
  const statement: RichText = ['statement ', code(g.sid), ' on ', code(g.destination)];
  switch (g.fate) {
    case 'pruned':
    case 'released':
      return {
        kind: 'grant-removed',
        text: [
          'Grant removed: ',
          code(g.destination),
          ' no longer lets COS deliver reports of ',
          code(g.source),
          g.fate === 'pruned'
            ? ` (the prune step of ${g.source} detaches statement `
            : ' (the release guard detaches statement ',
          code(g.sid),
          g.fate === 'pruned' ? ': no job of it delivers there any more).' : ' on terraform destroy).',
        ],
      };
    case 'unless-removed':
      return {
        kind: 'grant-left-in-policy',
        text: [
          'Grant left in the bucket policy unless removed: ',
          ...statement,
          ' stays with its whole BucketInventory ',
          code(g.construct ?? g.source),
          ' gone, unless the code declares ',
          code(`new RemovedBucketInventory(stack, '${g.construct ?? g.source}')`),
          ', whose ',
          code('removed'),
          ' block (not shown in plan JSON) detaches it.',
        ],
      };
    default:
      return {
        kind: 'grant-left-in-policy',
        text: [
          'Grant left in the bucket policy: ',
          ...statement,
          ' leaves Terraform but is NOT detached: the policy resources only add statements and no prune step ',
          'in this plan detaches it; remove it by hand if no job of ',
          code(g.source),
          ' delivers there any more.',
        ],
      };
  }
}

function driftConsequence(check: PlanCheck): Consequence | undefined {
  if (check.status !== 'fail' && check.status !== 'error') return undefined;
  const detail = check.problems.length > 0 ? `: ${check.problems.join(' ')}` : '';
  return {
    kind: 'drift',
    text: ['Drift: the check ', code(check.address), ` fails at plan time${detail}`],
  };
}

/** Every consequence, jobs first (in the order given), then grants, then drift checks. */
export function consequencesOf(
  jobs: readonly JobReview[],
  grants: readonly GrantChange[],
  driftChecks: readonly PlanCheck[],
): Consequence[] {
  return [
    ...jobs.flatMap(jobConsequences),
    ...grants.flatMap((g) => grantConsequence(g) ?? []),
    ...driftChecks.flatMap((c) => driftConsequence(c) ?? []),
  ];
}
