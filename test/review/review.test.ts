/**
 * The review on plan JSON built in Terraform's shape (plan-builder.ts): shapes and situations
 * the real-terraform tests cannot reach here.
 */

import type { InventoryJob } from '../../src/construct';
import { codeSpan } from '../../src/review/render-markdown';
import {
  parsePlanJson,
  PlanFormatError,
  renderMarkdown,
  renderText,
  reviewPlans,
  type InventoryReview,
} from '../../src/review';
import { consequenceLines, jobTable, markdownTable, summaryOf } from './helpers';
import { change, jobValue, plan, policyValue, pruneValue, type PlanSpec, type Shape } from './plan-builder';

const REGION = 'ap-guangzhou';
const LOGS = 'logs-1250000000';
const REPORTS = 'reports-1250000000';
const OTHER = 'other-1250000000';
const TABLE = `### Source bucket \`${LOGS}\``;

function review(spec: PlanSpec | PlanSpec[], labels?: string[]): InventoryReview {
  const specs = Array.isArray(spec) ? spec : [spec];
  return reviewPlans(
    specs.map((s, i) => {
      const label = labels?.[i] ?? `plan${i}.json`;
      return { label, plan: parsePlanJson(JSON.stringify(plan(s)), label) };
    }),
  );
}

function markdown(spec: PlanSpec | PlanSpec[], labels?: string[]): string {
  return renderMarkdown(review(spec, labels));
}

function job(id: string, extra: Partial<InventoryJob> = {}): InventoryJob {
  return { id, destination: { bucket: REPORTS, prefix: 'inv' }, ...extra };
}

function jobChange(
  actions: string[],
  before: InventoryJob | undefined,
  after: InventoryJob | undefined,
  options: { shape?: Shape; reason?: string; module?: string; bucket?: string } = {},
) {
  const bucket = options.bucket ?? LOGS;
  const id = (after ?? before)!.id;
  return change({
    name: `Logs_job_${id}`,
    actions,
    before: before && jobValue(bucket, REGION, before, options.shape),
    after: after && jobValue(bucket, REGION, after, options.shape),
    reason: options.reason,
    module: options.module,
  });
}

describe('jobs', () => {
  it("reads the construct's shape: configuration only in triggers_replace, replaced create-first", () => {
    const before = job('a', { schedule: { frequency: 'Weekly' } });
    const after = job('a', { schedule: { frequency: 'Daily' }, filter: { tags: { tier: 'cold' } } });
    const out = markdown({
      changes: [
        jobChange(['create', 'delete'], before, after, {
          shape: 'triggers-only',
          reason: 'replace_because_cannot_update',
        }),
      ],
    });
    expect(jobTable(out, TABLE)).toEqual({
      a: {
        action: 'changed',
        changes: [
          'schedule.frequency: Weekly -> Daily',
          'filter.tags.tier: added "cold"',
          'optionalFields: added Tag',
        ],
      },
    });
    expect(out).toContain('- `terraform_data.Logs_job_a`: replace (create, then delete) (inventory job)');
    expect(consequenceLines(out)).toEqual([]);
  });

  it('reads state of older versions too: configuration also in input, replaced delete-first', () => {
    const before = job('a', { schedule: { frequency: 'Weekly' } });
    const after = job('a');
    const out = markdown({
      changes: [jobChange(['delete', 'create'], before, after, { shape: 'input-and-triggers' })],
    });
    expect(jobTable(out, TABLE)).toEqual({
      a: { action: 'changed', changes: ['schedule.frequency: Weekly -> Daily'] },
    });
    expect(out).toContain('- `terraform_data.Logs_job_a`: replace (delete, then create) (inventory job)');
  });

  it('a replace without a change, either order, says why and what COS sees', () => {
    const a = job('a');
    const b = job('b');
    const out = markdown({
      changes: [
        jobChange(['create', 'delete'], a, a, { reason: 'replace_because_tainted' }),
        // A job of an older version of the construct, replaced delete-first.
        jobChange(['delete', 'create'], b, b, { shape: 'input-and-triggers', reason: 'replace_by_request' }),
      ],
    });
    expect(summaryOf(out)).toBe(
      `Inventory jobs: ${LOGS} 2 replaced without change. Destination grants: no change.`,
    );
    expect(jobTable(out, TABLE)).toEqual({
      a: {
        action: 'replaced, no change',
        changes: ['same configuration, put again (replace_because_tainted)'],
      },
      b: { action: 'replaced, no change', changes: ['same configuration, put again (replace_by_request)'] },
    });
    expect(consequenceLines(out)).toEqual([
      `Replaced without a change: job a of ${LOGS} is replaced though its configuration is the same (tainted by a failed apply); COS receives the same configuration again.`,
      `Replaced without a change: job b of ${LOGS} is replaced though its configuration is the same (requested with -replace); COS deletes the job, then receives the same configuration again.`,
    ]);
  });

  it('disabling a job stops deliveries; All versions widens the scope', () => {
    const out = markdown({
      changes: [
        jobChange(['create', 'delete'], job('a'), job('a', { enabled: false })),
        jobChange(['create', 'delete'], job('b'), job('b', { includedObjectVersions: 'All' })),
      ],
    });
    expect(jobTable(out, TABLE)).toEqual({
      a: { action: 'changed', changes: ['enabled: true -> false'] },
      b: { action: 'changed', changes: ['includedObjectVersions: Current -> All'] },
    });
    expect(consequenceLines(out)).toEqual([
      `Deliveries stop: job a of ${LOGS} is disabled (enabled: true -> false).`,
      `Version scope widened: job b of ${LOGS} now lists every object version (includedObjectVersions: All): bigger and costlier reports.`,
    ]);
  });

  it('every prop of a job maps back from the SDK shape, tags and times included', () => {
    const before = job('a', {
      destination: { bucket: REPORTS, prefix: 'inv', accountId: '100000000001' },
      filter: { prefix: 'logs/', tags: { 'a.b': 'x', tier: 'cold' }, period: { startTime: 1_700_000_000 } },
      schedule: { frequency: 'Monthly', monthlyDate: 3 },
      optionalFields: ['Size', 'ETag', 'Tag'],
    });
    const after = job('a', {
      destination: { bucket: `qcs::cos:ap-shanghai::${OTHER}`, prefix: 'inv', encryption: 'SSE-COS' },
      filter: {
        prefix: 'logs2/',
        tags: { tier: 'hot' },
        period: { startTime: 1_700_000_000, endTime: 1_800_000_000 },
      },
      schedule: { frequency: 'Monthly', monthlyDate: 5 },
      optionalFields: ['Size', 'Crc64', 'Tag'],
    });
    const out = markdown({ changes: [jobChange(['create', 'delete'], before, after)] });
    expect(jobTable(out, TABLE).a.changes).toEqual([
      `destination.bucket: ${REPORTS} -> qcs::cos:ap-shanghai::${OTHER}`,
      'destination.encryption: NONE -> SSE-COS',
      'schedule.monthlyDate: 3 -> 5',
      'filter.prefix: "logs/" -> "logs2/"',
      'filter.tags.tier: "cold" -> "hot"',
      'filter.period.endTime: added 1800000000 (2027-01-15T08:00:00Z)',
      'optionalFields: added Crc64; removed ETag',
      'destination.accountId: removed 100000000001',
      'filter.tags["a.b"]: removed "x"',
    ]);
    // A destination bucket change moves the reports.
    expect(consequenceLines(out)[0]).toBe(
      `Report location moves: job a of ${LOGS} will deliver to cos://${OTHER}/inv/1250000000/logs/a/ instead of cos://${REPORTS}/inv/1250000000/logs/a/; whatever reads the old location must follow.`,
    );
  });

  it('an unknown value shows as known after apply', () => {
    const before = jobValue(LOGS, REGION, job('a'));
    const after = jobValue(LOGS, REGION, job('a'));
    const unknownBucket = (v: Record<string, unknown>) => {
      const data = v.triggers_replace as {
        configuration: { Destination: { COSBucketDestination: Record<string, unknown> } };
      };
      delete data.configuration.Destination.COSBucketDestination.Bucket;
    };
    const afterCopy = JSON.parse(JSON.stringify(after)) as Record<string, unknown>;
    unknownBucket(afterCopy);
    const unknown = { configuration: { Destination: { COSBucketDestination: { Bucket: true } } } };
    const out = markdown({
      changes: [
        change({
          name: 'Logs_job_a',
          actions: ['create', 'delete'],
          before,
          after: afterCopy,
          afterUnknown: { triggers_replace: unknown },
        }),
      ],
    });
    expect(jobTable(out, TABLE).a.changes).toEqual([`destination.bucket: ${REPORTS} -> (known after apply)`]);
  });

  it('a whole construct deleted: its jobs and grant stay in COS unless a RemovedBucketInventory is declared', () => {
    const gone = 'delete_because_no_resource_config';
    const out = markdown({
      changes: [
        jobChange(['delete'], job('a'), undefined, { reason: gone }),
        change({
          name: 'Logs_prune',
          actions: ['delete'],
          before: pruneValue(LOGS, REGION, ['a'], [REPORTS]),
          reason: gone,
        }),
        change({
          name: `cos_inventory_policy_${REPORTS}`,
          actions: ['delete'],
          before: policyValue(REPORTS, REGION, [{ source: LOGS, prefixes: ['inv'] }]),
          reason: gone,
        }),
      ],
    });
    expect(summaryOf(out)).toBe(
      `Inventory jobs: ${LOGS} 1 removed. Destination grants: 0 added, 0 narrowed, 1 removed.`,
    );
    expect(jobTable(out, TABLE)).toEqual({
      a: {
        action: 'removed',
        changes: ['stays in COS unless a RemovedBucketInventory is declared (see consequences)'],
      },
    });
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [
        [REPORTS],
        [LOGS],
        ['removed'],
        [
          'no longer allows inv/1250000000/logs/* (statement left in the policy unless a RemovedBucketInventory is declared: see consequences)',
        ],
      ],
    ]);
    expect(consequenceLines(out)).toEqual([
      `Left in COS unless removed: job a of ${LOGS} leaves Terraform with its whole BucketInventory Logs: it stays in COS and keeps delivering unless the code declares new RemovedBucketInventory(stack, 'Logs'), whose removed block (not shown in plan JSON) deletes it; reports already delivered stay under cos://${REPORTS}/inv/1250000000/logs/a/.`,
      `Grant left in the bucket policy unless removed: statement cosInventory-${LOGS} on ${REPORTS} stays with its whole BucketInventory Logs gone, unless the code declares new RemovedBucketInventory(stack, 'Logs'), whose removed block (not shown in plan JSON) detaches it.`,
    ]);
  });

  it('a removal without the prune step (-target) stays in COS, job and grant', () => {
    const out = markdown({
      changes: [
        jobChange(['delete'], job('a'), undefined, { reason: 'delete_because_no_resource_config' }),
        change({
          name: `cos_inventory_policy_${REPORTS}`,
          actions: ['create', 'delete'],
          before: policyValue(REPORTS, REGION, [
            { source: LOGS, prefixes: ['inv'] },
            { source: 'audit-1250000000', prefixes: ['inv'] },
          ]),
          after: policyValue(REPORTS, REGION, [{ source: 'audit-1250000000', prefixes: ['inv'] }]),
        }),
      ],
      prior: ['terraform_data.Logs_prune'],
      complete: false,
    });
    expect(jobTable(out, TABLE)).toEqual({
      a: { action: 'removed', changes: ['stays in COS: nothing in this plan deletes it (see consequences)'] },
    });
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [
        [REPORTS],
        [LOGS],
        ['removed'],
        ['no longer allows inv/1250000000/logs/* (statement left in the policy: see consequences)'],
      ],
    ]);
    expect(consequenceLines(out)).toEqual([
      `Left in COS: job a of ${LOGS} leaves Terraform but stays in COS and keeps delivering: no prune step in this plan deletes it (the plan is -target'ed, or the prune resource is not replaced); plan without -target, or delete it by hand.`,
      `Grant left in the bucket policy: statement cosInventory-${LOGS} on ${REPORTS} leaves Terraform but is NOT detached: the policy resources only add statements and no prune step in this plan detaches it; remove it by hand if no job of ${LOGS} delivers there any more.`,
    ]);
  });

  it('a deposed object left by an interrupted replace is listed, not taken for a removed job', () => {
    const out = markdown({
      changes: [
        jobChange(['no-op'], job('a'), job('a')),
        change({
          name: 'Logs_job_a',
          actions: ['delete'],
          before: jobValue(LOGS, REGION, job('a')),
          deposed: '00000001',
        }),
      ],
    });
    expect(summaryOf(out)).toBe(`Inventory jobs: no change (1 unchanged). Destination grants: no change.`);
    expect(consequenceLines(out)).toEqual([]);
    expect(out).toContain('- `terraform_data.Logs_job_a`: delete (inventory job, deposed object)');
  });

  it('constructs in modules and several plans are told apart', () => {
    const first: PlanSpec = {
      changes: [jobChange(['create'], undefined, job('a'), { module: 'module.prod' })],
    };
    const second: PlanSpec = { changes: [jobChange(['no-op'], job('a'), job('a'))] };
    const out = markdown([first, second], ['prod.json', 'dev.json']);
    expect(summaryOf(out)).toBe(
      `Inventory jobs: ${LOGS} (prod.json module.prod) 1 added. Destination grants: no change.`,
    );
    expect(Object.keys(jobTable(out, `### Source bucket \`${LOGS}\` (\`prod.json module.prod\`)`))).toEqual([
      'a',
    ]);
    expect(out).toContain(`No job changes for \`${LOGS}\` (\`dev.json\`) (1).`);
    expect(out).toContain('- `prod.json: module.prod.terraform_data.Logs_job_a`: create (inventory job)');
  });
});

describe('everything else', () => {
  it('foreign resources, look-alikes and outputs are counted in one line, never hidden', () => {
    const out = markdown({
      changes: [
        jobChange(['create'], undefined, job('a')),
        // Named like a job, shaped like something else: not ours.
        change({ name: 'build_job_x', actions: ['create'], after: { input: { image: 'node' } } }),
        change({
          name: 'bucket',
          type: 'tencentcloud_cos_bucket',
          actions: ['update'],
          before: {},
          after: {},
        }),
        change({ name: 'quiet', type: 'tencentcloud_cos_bucket', actions: ['no-op'], before: {}, after: {} }),
        change({ name: 'lookup', type: 'external', mode: 'data', actions: ['read'], after: {} }),
      ],
      outputs: {
        Logs_report_a: { actions: ['create'], after: `cos://${REPORTS}/inv/1250000000/logs/a/` },
        endpoint: { actions: ['update'], before: 'a', after: 'b' },
      },
    });
    expect(summaryOf(out)).toBe(
      `Inventory jobs: ${LOGS} 1 added. Destination grants: no change. 2 other resources change, 1 other output changes.`,
    );
    expect(out).toContain(
      '- `terraform_data.build_job_x`: create\n- `tencentcloud_cos_bucket.bucket`: update\n- `output.endpoint`: changes',
    );
    expect(out).not.toContain('quiet');
    expect(out).not.toContain('Logs_report_a');
  });

  it('a plan with nothing of ours and no change is one line', () => {
    const out = markdown({
      changes: [change({ name: 'q', type: 'random_id', actions: ['no-op'], before: {}, after: {} })],
    });
    expect(out).toBe(
      '## Inventory changes in this plan\n\n**No changes: the plan changes nothing and holds no inventory jobs.**\n',
    );
  });

  it('a failing drift check is a consequence; a passing one is not', () => {
    const out = markdown({
      changes: [jobChange(['create'], undefined, job('a'))],
      checks: [
        {
          address: { kind: 'check', name: 'Logs_drift', to_display: 'check.Logs_drift' },
          status: 'fail',
          instances: [
            {
              address: { to_display: 'check.Logs_drift' },
              status: 'fail',
              problems: [{ message: 'job b differs: Schedule.Frequency' }],
            },
          ],
        },
        { address: { kind: 'check', name: 'Other_drift', to_display: 'check.Other_drift' }, status: 'pass' },
        { address: { kind: 'check', name: 'unrelated', to_display: 'check.unrelated' }, status: 'fail' },
      ],
    });
    expect(consequenceLines(out)).toEqual([
      'Drift: the check check.Logs_drift fails at plan time: job b differs: Schedule.Frequency',
    ]);
  });
});

describe('grants', () => {
  const policy = (grants: { source: string; prefixes: string[] }[]) => policyValue(REPORTS, REGION, grants);

  const AUDIT = 'audit-1250000000';
  const prune = (
    source: string,
    construct: string,
    before: string[] | undefined,
    after: string[],
    actions = ['delete', 'create'],
  ) =>
    change({
      name: `${construct}_prune`,
      actions,
      before: pruneValue(source, REGION, ['a'], before),
      after: pruneValue(source, REGION, ['a'], after),
      reason: 'replace_because_cannot_update',
    });

  it('added, narrowed and removed: the removed one detached by its source prune step', () => {
    const out = markdown({
      changes: [
        change({
          name: `cos_inventory_policy_${REPORTS}`,
          actions: ['create', 'delete'],
          before: policy([
            { source: LOGS, prefixes: ['inv', 'old'] },
            { source: AUDIT, prefixes: ['inv'] },
          ]),
          after: policy([
            { source: LOGS, prefixes: ['inv'] },
            { source: 'new-1250000000', prefixes: [''] },
          ]),
        }),
        // The audit bucket's last job delivering to reports now delivers to other.
        prune(AUDIT, 'Audit', [REPORTS], [OTHER]),
      ],
    });
    expect(summaryOf(out)).toBe(
      'Inventory jobs: none in this plan. Destination grants: 1 added, 1 narrowed, 1 removed.',
    );
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [
        [REPORTS],
        [AUDIT],
        ['removed'],
        ['no longer allows inv/1250000000/audit/* (the prune step detaches it)'],
      ],
      [[REPORTS], [LOGS], ['narrowed'], ['no longer old/1250000000/logs/*']],
      [[REPORTS], ['new-1250000000'], ['added'], ['allows cos_bucket_inventory/1250000000/new/*']],
    ]);
    expect(consequenceLines(out)).toEqual([
      `Grant removed: ${REPORTS} no longer lets COS deliver reports of ${AUDIT} (the prune step of ${AUDIT} detaches statement cosInventory-${AUDIT}: no job of it delivers there any more).`,
    ]);
    expect(out).toContain(
      '- `terraform_data.Audit_prune`: replace (delete, then create) (prune step: deletes jobs that left the declaration, detaches grants no job uses)',
    );
  });

  it('the last job of a destination removed: the policy resources go, the prune step detaches the grant', () => {
    const gone = 'delete_because_no_resource_config';
    const out = markdown({
      changes: [
        change({
          name: `cos_inventory_policy_${REPORTS}`,
          actions: ['delete'],
          before: policy([{ source: LOGS, prefixes: ['inv'] }]),
          reason: gone,
        }),
        change({
          name: `cos_inventory_policy_${REPORTS}_release`,
          actions: ['delete'],
          before: { id: 'x', input: { bucket: REPORTS, region: REGION, sids: [`cosInventory-${LOGS}`] } },
          reason: gone,
        }),
        prune(LOGS, 'Logs', [REPORTS, OTHER], [OTHER]),
      ],
    });
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [
        [REPORTS],
        [LOGS],
        ['removed'],
        ['no longer allows inv/1250000000/logs/* (the prune step detaches it)'],
      ],
    ]);
    expect(consequenceLines(out)).toEqual([
      `Grant removed: ${REPORTS} no longer lets COS deliver reports of ${LOGS} (the prune step of ${LOGS} detaches statement cosInventory-${LOGS}: no job of it delivers there any more).`,
    ]);
  });

  it('a prune resource from state without destinations detaches nothing: the grant is left', () => {
    const out = markdown({
      changes: [
        change({
          name: `cos_inventory_policy_${REPORTS}`,
          actions: ['delete'],
          before: policy([{ source: LOGS, prefixes: ['inv'] }]),
          reason: 'delete_because_no_resource_config',
        }),
        prune(LOGS, 'Logs', undefined, [OTHER]),
      ],
    });
    expect(markdownTable(out, '### Destination grants')[0][3]).toEqual([
      'no longer allows inv/1250000000/logs/* (statement left in the policy: see consequences)',
    ]);
    expect(consequenceLines(out)[0]).toMatch(/^Grant left in the bucket policy: statement cosInventory-/);
  });

  it('terraform destroy: the release guard detaches the grant', () => {
    const out = markdown({
      changes: [
        change({
          name: `cos_inventory_policy_${REPORTS}`,
          actions: ['delete'],
          before: policy([{ source: LOGS, prefixes: ['inv'] }]),
        }),
        change({
          name: 'Logs_prune',
          actions: ['delete'],
          before: pruneValue(LOGS, REGION, ['a'], [REPORTS]),
        }),
      ],
    });
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [
        [REPORTS],
        [LOGS],
        ['removed'],
        ['no longer allows inv/1250000000/logs/* (the release guard detaches it)'],
      ],
    ]);
    expect(consequenceLines(out)).toEqual([
      `Grant removed: ${REPORTS} no longer lets COS deliver reports of ${LOGS} (the release guard detaches statement cosInventory-${LOGS} on terraform destroy).`,
    ]);
  });

  it('a construct named like the policy resources still has its jobs read as jobs', () => {
    const out = markdown({
      changes: [
        change({
          name: 'cos_inventory_policy_x_job_a',
          actions: ['create'],
          after: jobValue(LOGS, REGION, job('a')),
        }),
      ],
    });
    expect(summaryOf(out)).toBe(`Inventory jobs: ${LOGS} 1 added. Destination grants: no change.`);
  });

  it("a release guard whose shape is not ours is somebody else's", () => {
    const out = markdown({
      changes: [
        change({
          name: `cos_inventory_policy_${REPORTS}_release`,
          actions: ['create'],
          after: { input: 'x' },
        }),
      ],
    });
    expect(summaryOf(out)).toContain('1 other resource changes');
  });
});

describe('plan json errors', () => {
  const parse = (text: string) => () => parsePlanJson(text, 'plan.json');

  it.each([
    [
      '',
      'plan.json: received empty input: expected the output of `terraform show -json PLANFILE` (terraform >= 1.0)',
    ],
    ['Terraform will perform', 'plan.json: received text that is not json'],
    ['[1]', "plan.json: received [1], not terraform's plan json (no format_version)"],
    [
      '{"resources":[]}',
      "plan.json: received an object with keys resources, not terraform's plan json (no format_version)",
    ],
    [
      '{"format_version":"2.0","planned_values":{}}',
      'plan.json: format_version "2.0" is not supported: expected 1.x, as terraform 1.x writes',
    ],
    [
      '{"format_version":"1.0","values":{}}',
      'plan.json: received terraform state json, not a plan: run `terraform plan -out=PLANFILE`',
    ],
    [
      '{"format_version":"1.2","resource_changes":[{"address":"x"}]}',
      'plan.json: resource_changes[0]: expected an object with address, mode, type, name and change (received {"address":"x"})',
    ],
    [
      '{"format_version":"1.2","resource_changes":[{"address":"x","mode":"managed","type":"t","name":"x","change":{"actions":[]}}]}',
      'plan.json: resource_changes[0].change.actions: expected a list of terraform actions such as ["create"] (received [])',
    ],
  ])('%s', (text, message) => {
    expect(parse(text)).toThrow(PlanFormatError);
    expect(parse(text)).toThrow(message);
  });
});

describe('rendering', () => {
  it('code spans survive backticks and pipes in values', () => {
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x')).toBe('`` `x ``');
    expect(codeSpan('a|b', true)).toBe('`a\\|b`');
    const out = markdown({
      changes: [
        jobChange(
          ['create', 'delete'],
          job('a'),
          job('a', { destination: { bucket: REPORTS, prefix: 'in|v`x' } }),
        ),
      ],
    });
    expect(out).toContain('| `a` | changed | ``destination.prefix: "inv" -> "in\\|v`x"`` |');
    expect(jobTable(out, TABLE).a.changes).toEqual(['destination.prefix: "inv" -> "in|v`x"']);
  });

  it('text output aligns the same content in columns', () => {
    const out = renderText(
      review({
        changes: [
          jobChange(['create', 'delete'], job('a', { schedule: { frequency: 'Weekly' } }), job('a')),
          jobChange(['create'], undefined, job('longer-id')),
          jobChange(['no-op'], job('z'), job('z')),
        ],
      }),
    );
    const lines = out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'Inventory changes in this plan',
      '',
      `Inventory jobs: ${LOGS} 1 added, 1 changed. Destination grants: no change.`,
    ]);
    expect(lines.slice(4, 9)).toEqual([
      `Source bucket ${LOGS}`,
      '  JOB        ACTION   WHAT CHANGES',
      '  a          changed  schedule.frequency: Weekly -> Daily',
      `  longer-id  added    destination.bucket: ${REPORTS}`,
      '                      destination.prefix: "inv"',
    ]);
    expect(out).toContain('  unchanged: z\n');
    expect(out).toContain('  terraform_data.Logs_job_a          replace (create, then delete)  job\n');
  });
});
