/**
 * What a change means for the reports, one line each: the things a reviewer of a pull request
 * should not have to work out from field names.
 */
import type { GrantChange } from './grants';
import { IDENTITY_FIELDS, type JobReview } from './job-review';
import type { OurResource } from './our-resources';
import type { OutsideChange } from './outside-changes';
import { code, type RichText } from './rich-text';

export type ConsequenceKind =
  | 'location-moves'
  | 'deliveries-stop'
  | 'job-recreated'
  | 'job-left-in-cos'
  | 'grant-removed'
  | 'grant-left-in-policy'
  | 'versions-widened'
  | 'replaced-unchanged'
  | 'drift'
  | 'retired';

export interface Consequence {
  readonly kind: ConsequenceKind;
  readonly text: RichText;
}

const REPLACE_REASONS: Readonly<Record<string, string>> = {
  replace_by_request: 'requested with -replace',
  replace_because_tainted: 'tainted by a failed apply',
  replace_by_triggers: 'a replace_triggered_by reference changed',
  replace_because_cannot_update: 'a value that cannot change in place changed',
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

function why(j: JobReview): string {
  if (j.reason === undefined) return 'terraform destroy';
  if (j.reason === 'delete_because_no_resource_config') return 'no longer declared in the code';
  if (j.reason === 'delete_because_no_module') return 'its module is no longer declared';
  return j.reason;
}

function removal(j: JobReview): Consequence[] {
  if (j.removal === 'deleted') {
    return [
      {
        kind: 'deliveries-stop',
        text: ['Deliveries stop: ', ...job(j), ` is deleted in COS (${why(j)})`, ...delivered(j), '.'],
      },
    ];
  }
  if (j.removal === 'left') {
    const how = j.legacy
      ? ': a provisioner-era resource leaves Terraform without running its destroy step; declare the job again (cos-inventory import) or delete it by hand.'
      : ' (Terraform forgets it: a removed block with destroy = false); delete it by hand if it should go.';
    return [
      {
        kind: 'job-left-in-cos',
        text: ['Left in COS: ', ...job(j), ' leaves Terraform but stays in COS and keeps delivering', how],
      },
    ];
  }
  return [];
}

function recreated(j: JobReview): Consequence[] {
  const identity = j.fields.filter((f) => IDENTITY_FIELDS.includes(f.path));
  if (j.action !== 'changed' || j.order === undefined || identity.length === 0) return [];
  const how =
    j.order === 'create-first'
      ? 'COS receives the new job first, then the old one is deleted'
      : 'COS deletes the old job, then receives the new one';
  return [
    {
      kind: 'job-recreated',
      text: [
        'Job re-created: ',
        ...job(j),
        ` is replaced because its ${identity.map((f) => f.path).join(' and ')} cannot change in place; ${how}`,
        ...delivered(j),
        '.',
      ],
    },
  ];
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
  out.push(...removal(j), ...recreated(j));
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
    const reason = j.reason !== undefined ? (REPLACE_REASONS[j.reason] ?? j.reason) : 'no reason given';
    const how =
      j.order === 'create-first'
        ? 'COS receives the same configuration again'
        : 'COS deletes the job, then receives the same configuration again';
    out.push({
      kind: 'replaced-unchanged',
      text: [
        'Replaced without a change: ',
        ...job(j),
        ` is replaced though its configuration is the same (${reason}); ${how}.`,
      ],
    });
  }
  return out;
}

function grantConsequence(g: GrantChange): Consequence | undefined {
  if (g.action !== 'removed') return undefined;
  if (g.fate === 'detached') {
    return {
      kind: 'grant-removed',
      text: [
        'Grant removed: ',
        code(g.destination),
        ' no longer lets COS deliver reports under ',
        ...g.before.flatMap((p, i): RichText => [...(i > 0 ? [', '] : []), code(p)]),
        ' (statement ',
        code(g.sid),
        ' is detached; the other statements of the policy stay as they are).',
      ],
    };
  }
  return {
    kind: 'grant-left-in-policy',
    text: [
      'Grant left in the bucket policy: statement ',
      code(g.sid),
      ' on ',
      code(g.destination),
      ' leaves Terraform but is NOT detached (Terraform forgets it); remove it by hand if no job delivers there any more.',
    ],
  };
}

function outsideConsequence(o: OutsideChange): Consequence {
  const what: RichText =
    o.kind === 'job'
      ? ['job ', code(o.name), ' of ', code(o.bucket)]
      : ['statement ', code(o.name), ' on ', code(o.bucket)];
  const found: RichText = o.deleted
    ? [' is missing from COS']
    : [
        ' differs in COS (',
        ...o.fields.flatMap((f, i): RichText => [...(i > 0 ? [', '] : []), code(f)]),
        ')',
      ];
  const next = o.restored
    ? o.deleted
      ? '; this plan creates it again.'
      : '; this plan puts back what the code declares.'
    : '; this plan does not change it back.';
  return { kind: 'drift', text: ['Changed outside Terraform: ', ...what, ...found, next] };
}

const RETIRED_NAMES: Readonly<Record<string, readonly [string, string]>> = {
  'legacy-prune': ['prune step', 'prune steps'],
  'legacy-release': ['policy release guard', 'policy release guards'],
  'legacy-policy': ['policy attacher', 'policy attachers'],
};

/**
 * Provisioner-era resources leaving Terraform in the plan of an upgrade. A removed resource's
 * provisioners do not run, whether it is forgotten (`removed`, destroy = false) or deleted.
 */
function retiredConsequence(retired: readonly OurResource[]): Consequence[] {
  if (retired.length === 0) return [];
  const parts = Object.entries(RETIRED_NAMES).flatMap(([role, [one, many]]) => {
    const n = retired.filter((r) => r.role === role).length;
    return n === 0 ? [] : [`${n} ${n === 1 ? one : many}`];
  });
  return [
    {
      kind: 'retired',
      text: [
        `Provisioner-era resources retired: ${parts.join(', ')} of the terraform_data version leave Terraform `,
        'without running a provisioner: nothing in COS is deleted or written.',
      ],
    },
  ];
}

/** Every consequence: jobs first (in the order given), then grants, drift, retired resources. */
export function consequencesOf(
  jobs: readonly JobReview[],
  grants: readonly GrantChange[],
  outside: readonly OutsideChange[],
  retired: readonly OurResource[],
): Consequence[] {
  return [
    ...jobs.flatMap(jobConsequences),
    ...grants.flatMap((g) => grantConsequence(g) ?? []),
    ...outside.map(outsideConsequence),
    ...retiredConsequence(retired),
  ];
}
