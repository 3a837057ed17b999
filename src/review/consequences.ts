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
  if (j.action === 'removed' && j.removal !== 'left') {
    const how = j.removal === 'pruned' ? 'the prune step deletes it' : 'its destroy step deletes it';
    out.push({
      kind: 'deliveries-stop',
      text: [
        'Deliveries stop: ',
        ...job(j),
        ` is removed (${how} in COS)`,
        ...(j.locationBefore ? ['; reports already delivered stay under ', code(j.locationBefore)] : []),
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
        "(the whole BucketInventory is removed, or the plan is -target'ed); delete it by hand or add a ",
        code('removed'),
        ' block with its destroy provisioner.',
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
  if (g.fate === 'left') {
    return {
      kind: 'grant-left-in-policy',
      text: [
        'Grant left in the bucket policy: statement ',
        code(g.sid),
        ' on ',
        code(g.destination),
        ' leaves Terraform but is NOT detached (Terraform drops the policy resources without running ',
        'their destroy provisioners); remove it by hand if no job of ',
        code(g.source),
        ' delivers there any more.',
      ],
    };
  }
  return {
    kind: 'grant-removed',
    text: [
      'Grant removed: ',
      code(g.destination),
      ' no longer lets COS deliver reports of ',
      code(g.source),
      ' (statement ',
      code(g.sid),
      ' is detached).',
    ],
  };
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
