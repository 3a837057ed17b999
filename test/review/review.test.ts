/**
 * The review on plan JSON built in Terraform's shape (plan-builder.ts): the provider's job and
 * grant resources in every action, the plan of an upgrade from the terraform_data version,
 * import blocks, drift found by the refresh, and situations real Terraform cannot reach here.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';

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
import {
  change,
  grantValue,
  jobValue,
  legacyJobValue,
  legacyPruneValue,
  legacyReleaseValue,
  plan,
  type PlanSpec,
} from './plan-builder';

const REGION = 'ap-guangzhou';
const LOGS = 'logs-1250000000';
const REPORTS = 'reports-1250000000';
const OTHER = 'other-1250000000';
const TABLE = `### Source bucket \`${LOGS}\``;
const GONE = 'delete_because_no_resource_config';

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
  options: {
    reason?: string;
    module?: string;
    bucket?: string;
    afterBucket?: string;
    previousAddress?: string;
    importId?: string;
  } = {},
) {
  const bucket = options.bucket ?? LOGS;
  const id = (after ?? before)!.id;
  return change({
    name: `Logs_job_${id}`,
    actions,
    before: before && jobValue(bucket, REGION, before),
    after: after && jobValue(options.afterBucket ?? bucket, REGION, after),
    reason: options.reason,
    module: options.module,
    previousAddress: options.previousAddress,
    importId: options.importId,
  });
}

/** A plan of the real terraform from test/review/fixtures, reviewed as markdown. */
function fixture(name: string): string {
  const file = path.join(__dirname, 'fixtures', `${name}.terraform-1.11.4.plan.json`);
  return renderMarkdown(
    reviewPlans([{ label: name, plan: parsePlanJson(fs.readFileSync(file, 'utf8'), name) }]),
  );
}

describe('plans of the real terraform with the provider (test/review/fixtures)', () => {
  it('jobs created, one adopted by an import block; grants added', () => {
    const out = fixture('provider-import-and-create');
    expect(summaryOf(out)).toBe(
      `Inventory jobs: ${LOGS} 3 added, 1 adopted without a request. Destination grants: 2 added, 0 narrowed, 0 removed.`,
    );
    expect(jobTable(out, TABLE).old).toEqual({
      action: 'adopted, no request',
      changes: [`imported with id ${REGION}/${LOGS}/old`, 'COS is only read'],
    });
    expect(out).toContain(
      `- \`cosinventory_job.Logs_job_old\`: import (id ${REGION}/${LOGS}/old) (inventory job)`,
    );
  });

  it('a one-field change in place, a job removed from the code deleted, a job added, a grant widened', () => {
    const out = fixture('provider-update-delete-create');
    expect(summaryOf(out)).toBe(
      `Inventory jobs: ${LOGS} 1 added, 1 changed, 1 removed. Destination grants: 0 added, 0 narrowed, 0 removed, 1 widened.`,
    );
    const table = jobTable(out, TABLE);
    expect(table.a).toEqual({ action: 'changed', changes: ['schedule.frequency: Weekly -> Daily'] });
    expect(table.b).toEqual({ action: 'removed', changes: ['deleted in COS'] });
    expect(table.d.action).toBe('added');
    expect(out).toContain('Unchanged: `c`, `old`.');
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [[REPORTS], [`cosInventory-${LOGS}`], ['widened'], ['now also inv2/1250000000/logs/*']],
    ]);
    expect(consequenceLines(out)).toEqual([
      `Deliveries stop: job b of ${LOGS} is deleted in COS (no longer declared in the code); reports already delivered stay under cos://${REPORTS}/inv/1250000000/logs/b/.`,
    ]);
    expect(out).toContain('- `cosinventory_job.Logs_job_a`: update (inventory job)');
  });

  it('drift: a job changed and one deleted outside Terraform, both put back', () => {
    const out = fixture('provider-drift');
    expect(jobTable(out, TABLE).c).toEqual({
      action: 'changed',
      changes: ['schedule.frequency: Weekly -> Daily'],
    });
    expect(consequenceLines(out)).toEqual([
      `Changed outside Terraform: job c of ${LOGS} differs in COS (schedule.frequency); this plan puts back what the code declares.`,
      `Changed outside Terraform: job d of ${LOGS} is missing from COS; this plan creates it again.`,
    ]);
  });

  it('the upgrade from the terraform_data version: everything adopted or retired, no request', () => {
    const out = fixture('provider-upgrade-from-terraform-data');
    expect(summaryOf(out)).toBe(
      `Inventory jobs: ${LOGS} 2 adopted without a request. Destination grants: 0 added, 0 narrowed, 0 removed, 1 adopted.`,
    );
    expect(jobTable(out, TABLE)).toEqual({
      a: {
        action: 'adopted, no request',
        changes: ['moved from terraform_data.Logs_job_a', 'COS is only read'],
      },
      b: {
        action: 'adopted, no request',
        changes: ['moved from terraform_data.Logs_job_b', 'COS is only read'],
      },
    });
    expect(consequenceLines(out)).toEqual([
      'Provisioner-era resources retired: 1 prune step, 1 policy release guard of the terraform_data version leave Terraform without running a provisioner: nothing in COS is deleted or written.',
    ]);
  });
});

describe('jobs', () => {
  it('a one-field change is an in-place update of that field alone', () => {
    const out = markdown({
      changes: [
        jobChange(['update'], job('a', { schedule: { frequency: 'Weekly' } }), job('a')),
        jobChange(['no-op'], job('b'), job('b')),
      ],
    });
    expect(summaryOf(out)).toBe(`Inventory jobs: ${LOGS} 1 changed. Destination grants: no change.`);
    expect(jobTable(out, TABLE)).toEqual({
      a: { action: 'changed', changes: ['schedule.frequency: Weekly -> Daily'] },
    });
    expect(out).toContain('Unchanged: `b`.');
    expect(out).toContain('- `cosinventory_job.Logs_job_a`: update (inventory job)');
    expect(consequenceLines(out)).toEqual([]);
  });

  it('a new source bucket replaces the job: re-created under the new bucket', () => {
    const out = markdown({
      changes: [
        jobChange(['delete', 'create'], job('a'), job('a'), {
          afterBucket: OTHER,
          reason: 'replace_because_cannot_update',
        }),
      ],
    });
    expect(jobTable(out, `### Source bucket \`${OTHER}\``)).toEqual({
      a: { action: 'changed', changes: [`bucket: ${LOGS} -> ${OTHER}`] },
    });
    expect(out).toContain('- `cosinventory_job.Logs_job_a`: replace (delete, then create) (inventory job)');
    expect(consequenceLines(out)).toEqual([
      `Job re-created: job a of ${OTHER} is replaced because its bucket cannot change in place; COS deletes the old job, then receives the new one; reports already delivered stay under cos://${REPORTS}/inv/1250000000/logs/a/.`,
    ]);
  });

  it('a replace without a change, either order, says why and what COS sees', () => {
    const a = job('a');
    const b = job('b');
    const out = markdown({
      changes: [
        jobChange(['create', 'delete'], a, a, { reason: 'replace_because_tainted' }),
        jobChange(['delete', 'create'], b, b, { reason: 'replace_by_request' }),
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
        jobChange(['update'], job('a'), job('a', { enabled: false })),
        jobChange(['update'], job('b'), job('b', { includedObjectVersions: 'All' })),
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

  it('every attribute reads as its prop, tags and times included', () => {
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
    const out = markdown({ changes: [jobChange(['update'], before, after)] });
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

  it('a new job lists every field; an unknown value shows as known after apply', () => {
    const after = jobValue(LOGS, REGION, job('a'));
    delete after.destination_bucket;
    const out = markdown({
      changes: [
        change({
          name: 'Logs_job_a',
          actions: ['create'],
          after,
          afterUnknown: { destination_bucket: true, id: true },
        }),
        jobChange(['update'], job('b'), job('b')),
      ],
    });
    const table = jobTable(out, TABLE);
    expect(table.a).toEqual({
      action: 'added',
      changes: [
        'destination.bucket: (known after apply)',
        'destination.prefix: "inv"',
        'destination.encryption: NONE',
        'enabled: true',
        'includedObjectVersions: Current',
        'schedule.frequency: Daily',
        'optionalFields: ETag, LastModifiedDate, Size, StorageClass',
      ],
    });
    // An update with no field of the job changing (e.g. only the computed id).
    expect(table.b).toEqual({
      action: 'changed',
      changes: ['Terraform updates its record of the job; COS is not called'],
    });
  });

  it('a job removed from the code, or destroyed, is deleted in COS: its deliveries stop', () => {
    const out = markdown({
      changes: [
        jobChange(['delete'], job('a'), undefined, { reason: GONE }),
        jobChange(['delete'], job('b'), undefined),
      ],
    });
    expect(summaryOf(out)).toBe(`Inventory jobs: ${LOGS} 2 removed. Destination grants: no change.`);
    expect(jobTable(out, TABLE)).toEqual({
      a: { action: 'removed', changes: ['deleted in COS'] },
      b: { action: 'removed', changes: ['deleted in COS (terraform destroy)'] },
    });
    expect(consequenceLines(out)).toEqual([
      `Deliveries stop: job a of ${LOGS} is deleted in COS (no longer declared in the code); reports already delivered stay under cos://${REPORTS}/inv/1250000000/logs/a/.`,
      `Deliveries stop: job b of ${LOGS} is deleted in COS (terraform destroy); reports already delivered stay under cos://${REPORTS}/inv/1250000000/logs/b/.`,
    ]);
  });

  it('a job forgotten (removed block, destroy = false) stays in COS', () => {
    const out = markdown({ changes: [jobChange(['forget'], job('a'), undefined, { reason: GONE })] });
    expect(jobTable(out, TABLE)).toEqual({
      a: { action: 'forgotten', changes: ['Terraform forgets it; it stays in COS'] },
    });
    expect(consequenceLines(out)).toEqual([
      `Left in COS: job a of ${LOGS} leaves Terraform but stays in COS and keeps delivering (Terraform forgets it: a removed block with destroy = false); delete it by hand if it should go.`,
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
    expect(out).toContain('- `cosinventory_job.Logs_job_a`: delete (inventory job, deposed object)');
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
    expect(out).toContain('- `prod.json: module.prod.cosinventory_job.Logs_job_a`: create (inventory job)');
  });
});

describe('adoption', () => {
  it('an upgrade: jobs and grants moved from terraform_data with no change, prune and release guard forgotten, no request', () => {
    const grant = grantValue(REPORTS, REGION, 'cosInventory-main', [{ source: LOGS, prefixes: ['inv'] }]);
    const out = markdown({
      changes: [
        jobChange(['no-op'], job('a'), job('a'), { previousAddress: 'terraform_data.Logs_job_a' }),
        // A field the terraform_data version wrote otherwise: moved, then updated in place.
        jobChange(['update'], job('b', { schedule: { frequency: 'Weekly' } }), job('b'), {
          previousAddress: 'terraform_data.Logs_job_b',
        }),
        change({
          type: 'cosinventory_destination_grant',
          name: `cos_inventory_policy_${REPORTS}`,
          actions: ['no-op'],
          before: grant,
          after: grant,
          previousAddress: `terraform_data.cos_inventory_policy_${REPORTS}`,
        }),
        change({
          type: 'terraform_data',
          name: 'Logs_prune',
          actions: ['forget'],
          before: legacyPruneValue(LOGS, REGION, ['a', 'b'], [REPORTS]),
          reason: GONE,
        }),
        change({
          type: 'terraform_data',
          name: `cos_inventory_policy_${REPORTS}_release`,
          actions: ['forget'],
          before: legacyReleaseValue(REPORTS, REGION, [`cosInventory-${LOGS}`]),
          reason: GONE,
        }),
      ],
    });
    expect(summaryOf(out)).toBe(
      `Inventory jobs: ${LOGS} 1 changed, 1 adopted without a request. ` +
        'Destination grants: 0 added, 0 narrowed, 0 removed, 1 adopted.',
    );
    expect(jobTable(out, TABLE)).toEqual({
      a: {
        action: 'adopted, no request',
        changes: ['moved from terraform_data.Logs_job_a', 'COS is only read'],
      },
      b: {
        action: 'changed',
        changes: ['moved from terraform_data.Logs_job_b', 'schedule.frequency: Weekly -> Daily'],
      },
    });
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [
        [REPORTS],
        ['cosInventory-main'],
        ['adopted'],
        [`moved from terraform_data.cos_inventory_policy_${REPORTS}: no request`],
      ],
    ]);
    expect(consequenceLines(out)).toEqual([
      'Provisioner-era resources retired: 1 prune step, 1 policy release guard of the terraform_data version leave Terraform without running a provisioner: nothing in COS is deleted or written.',
    ]);
    expect(out).toContain(
      '- `cosinventory_job.Logs_job_a`: moved from terraform_data.Logs_job_a (inventory job)\n' +
        '- `cosinventory_job.Logs_job_b`: moved from terraform_data.Logs_job_b, then update (inventory job)',
    );
    expect(out).toContain('- `terraform_data.Logs_prune`: forget (prune step of the terraform_data version)');
  });

  it('a real terraform 1.11.4 plan of removed blocks (destroy = false) and a move: the retired resources, no other change', () => {
    // `terraform show -json` of a plan whose `removed` blocks forget a prune step and a release
    // guard as the terraform_data version wrote them, and whose `moved` block renames a foreign
    // terraform_data (test/review/fixtures).
    const text = fs.readFileSync(
      path.join(__dirname, 'fixtures', 'upgrade-forget.terraform-1.11.4.plan.json'),
      'utf8',
    );
    const result = reviewPlans([{ label: 'upgrade.json', plan: parsePlanJson(text, 'upgrade.json') }]);
    expect(result.ours.map((l) => [l.address, l.actions.join(','), l.role])).toEqual([
      ['terraform_data.Logs_prune', 'forget', 'legacy-prune'],
      ['terraform_data.cos_inventory_policy_reports-1250000000_release', 'forget', 'legacy-release'],
    ]);
    expect(result.others).toEqual([]);
    const out = renderMarkdown(result);
    expect(summaryOf(out)).toBe('Inventory jobs: none in this plan. Destination grants: no change.');
    expect(consequenceLines(out)).toEqual([
      'Provisioner-era resources retired: 1 prune step, 1 policy release guard of the terraform_data version leave Terraform without running a provisioner: nothing in COS is deleted or written.',
    ]);
  });

  it('a terraform_data job that leaves Terraform without a move stays in COS', () => {
    const out = markdown({
      changes: [
        change({
          type: 'terraform_data',
          name: 'Logs_job_a',
          actions: ['delete'],
          before: legacyJobValue(LOGS, REGION, job('a')),
          reason: GONE,
        }),
      ],
    });
    expect(jobTable(out, TABLE)).toEqual({
      a: {
        action: 'removed',
        changes: ['stays in COS: it leaves Terraform without a destroy step (see consequences)'],
      },
    });
    expect(consequenceLines(out)).toEqual([
      `Left in COS: job a of ${LOGS} leaves Terraform but stays in COS and keeps delivering: a provisioner-era resource leaves Terraform without running its destroy step; declare the job again (cos-inventory import) or delete it by hand.`,
    ]);
  });

  it('an import block adopts a job: no request but reads, and the import id is shown', () => {
    const importId = `${REGION}/${LOGS}/a`;
    const out = markdown({
      changes: [
        jobChange(['no-op'], job('a'), job('a'), { importId }),
        jobChange(['update'], job('b', { enabled: false }), job('b'), { importId: `${REGION}/${LOGS}/b` }),
      ],
    });
    expect(jobTable(out, TABLE)).toEqual({
      a: { action: 'adopted, no request', changes: [`imported with id ${importId}`, 'COS is only read'] },
      b: { action: 'changed', changes: [`imported with id ${REGION}/${LOGS}/b`, 'enabled: false -> true'] },
    });
    expect(out).toContain(`- \`cosinventory_job.Logs_job_a\`: import (id ${importId}) (inventory job)`);
    expect(out).toContain(
      `- \`cosinventory_job.Logs_job_b\`: import (id ${REGION}/${LOGS}/b), then update (inventory job)`,
    );
  });
});

describe('drift found by the refresh', () => {
  it('a job changed or deleted outside Terraform, and whether this plan restores it', () => {
    const changed = jobValue(LOGS, REGION, job('a', { filter: { prefix: 'other/' } }));
    const out = markdown({
      drift: [
        change({
          name: 'Logs_job_a',
          actions: ['update'],
          before: jobValue(LOGS, REGION, job('a')),
          after: changed,
        }),
        change({ name: 'Logs_job_b', actions: ['delete'], before: jobValue(LOGS, REGION, job('b')) }),
        change({
          type: 'cosinventory_destination_grant',
          name: `cos_inventory_policy_${REPORTS}`,
          actions: ['update'],
          before: grantValue(REPORTS, REGION, 'cosInventory-main', [{ source: LOGS, prefixes: ['inv'] }]),
          after: grantValue(REPORTS, REGION, 'cosInventory-main', [{ source: LOGS, prefixes: ['x'] }]),
        }),
      ],
      changes: [
        change({
          name: 'Logs_job_a',
          actions: ['update'],
          before: changed,
          after: jobValue(LOGS, REGION, job('a')),
        }),
        jobChange(['create'], undefined, job('b')),
      ],
    });
    expect(jobTable(out, TABLE)).toEqual({
      a: { action: 'changed', changes: ['filter.prefix: removed "other/"'] },
      b: expect.objectContaining({ action: 'added' }),
    });
    expect(consequenceLines(out)).toEqual([
      `Changed outside Terraform: job a of ${LOGS} differs in COS (filter.prefix); this plan puts back what the code declares.`,
      `Changed outside Terraform: job b of ${LOGS} is missing from COS; this plan creates it again.`,
      `Changed outside Terraform: statement cosInventory-main on ${REPORTS} differs in COS (resources); this plan does not change it back.`,
    ]);
  });
});

describe('everything else', () => {
  it('foreign resources, look-alikes and outputs are counted in one line, never hidden', () => {
    const out = markdown({
      changes: [
        jobChange(['create'], undefined, job('a')),
        // Named like a job, shaped like something else: not ours.
        change({
          type: 'terraform_data',
          name: 'build_job_x',
          actions: ['create'],
          after: { input: { image: 'node' } },
        }),
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
});

describe('grants', () => {
  const AUDIT = 'audit-1250000000';
  const grant = (sid: string, grants: { source: string; prefixes: string[] }[], principals?: string[]) =>
    grantValue(REPORTS, REGION, sid, grants, principals);
  const grantChange = (name: string, actions: string[], before?: unknown, after?: unknown, reason?: string) =>
    change({ type: 'cosinventory_destination_grant', name, actions, before, after, reason });
  const NAME = `cos_inventory_policy_${REPORTS}`;

  it('added, narrowed and removed (detached by the provider, other statements untouched)', () => {
    const out = markdown({
      changes: [
        grantChange(
          NAME,
          ['update'],
          grant('cosInventory-main', [
            { source: LOGS, prefixes: ['inv', 'old'] },
            { source: AUDIT, prefixes: ['inv'] },
          ]),
          grant('cosInventory-main', [
            { source: LOGS, prefixes: ['inv'] },
            { source: AUDIT, prefixes: ['inv'] },
          ]),
        ),
        grantChange(
          `${NAME}_2`,
          ['create'],
          undefined,
          grant(
            'cosInventory-main-2',
            [{ source: 'new-1250000000', prefixes: [''] }],
            ['qcs::cam::uin/2:uin/2'],
          ),
        ),
        grantChange(
          'cos_inventory_policy_archive-1250000000',
          ['delete'],
          grantValue('archive-1250000000', REGION, 'cosInventory-main', [{ source: LOGS, prefixes: ['a'] }]),
          undefined,
          GONE,
        ),
      ],
    });
    expect(summaryOf(out)).toBe(
      'Inventory jobs: none in this plan. Destination grants: 1 added, 1 narrowed, 1 removed.',
    );
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [
        ['archive-1250000000'],
        ['cosInventory-main'],
        ['removed'],
        ['no longer allows a/1250000000/logs/* (statement detached; other statements stay)'],
      ],
      [[REPORTS], ['cosInventory-main'], ['narrowed'], ['no longer old/1250000000/logs/*']],
      [[REPORTS], ['cosInventory-main-2'], ['added'], ['allows cos_bucket_inventory/1250000000/new/*']],
    ]);
    expect(consequenceLines(out)).toEqual([
      'Grant removed: archive-1250000000 no longer lets COS deliver reports under a/1250000000/logs/* (statement cosInventory-main is detached; the other statements of the policy stay as they are).',
    ]);
    expect(out).toContain(
      `- \`cosinventory_destination_grant.${NAME}_2\`: create (destination policy statement)`,
    );
  });

  it('a sid or principal change is one in-place update; another destination replaces it', () => {
    const out = markdown({
      changes: [
        grantChange(
          NAME,
          ['update'],
          grant('cosInventory-old', [{ source: LOGS, prefixes: ['inv'] }]),
          grant('cosInventory-main', [{ source: LOGS, prefixes: ['inv'] }], ['qcs::cam::uin/2:uin/2']),
        ),
        grantChange(
          `cos_inventory_policy_${OTHER}`,
          ['delete', 'create'],
          grantValue(AUDIT, REGION, 'cosInventory-main', [{ source: LOGS, prefixes: ['x'] }]),
          grantValue(OTHER, REGION, 'cosInventory-main', [{ source: LOGS, prefixes: ['x'] }]),
          'replace_because_cannot_update',
        ),
      ],
    });
    expect(markdownTable(out, '### Destination grants')).toEqual([
      [
        [AUDIT],
        ['cosInventory-main'],
        ['removed'],
        ['no longer allows x/1250000000/logs/* (statement detached; other statements stay)'],
      ],
      [[OTHER], ['cosInventory-main'], ['added'], ['allows x/1250000000/logs/*']],
      [
        [REPORTS],
        ['cosInventory-main'],
        ['changed'],
        ['sid cosInventory-old -> cosInventory-main; principals change'],
      ],
    ]);
  });

  it('a grant forgotten stays in the bucket policy', () => {
    const out = markdown({
      changes: [
        grantChange(
          NAME,
          ['forget'],
          grant('cosInventory-main', [{ source: LOGS, prefixes: ['inv'] }]),
          undefined,
          GONE,
        ),
      ],
    });
    expect(markdownTable(out, '### Destination grants')[0][3]).toEqual([
      'no longer allows inv/1250000000/logs/* (statement left in the policy: see consequences)',
    ]);
    expect(consequenceLines(out)).toEqual([
      `Grant left in the bucket policy: statement cosInventory-main on ${REPORTS} leaves Terraform but is NOT detached (Terraform forgets it); remove it by hand if no job delivers there any more.`,
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

  it("a terraform_data release guard whose shape is not ours is somebody else's", () => {
    const out = markdown({
      changes: [
        change({
          type: 'terraform_data',
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
    [
      '{"format_version":"1.2","resource_changes":[],"resource_drift":{}}',
      'plan.json: resource_drift: expected a list (received {})',
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
        jobChange(['update'], job('a'), job('a', { destination: { bucket: REPORTS, prefix: 'in|v`x' } })),
      ],
    });
    expect(out).toContain('| `a` | changed | ``destination.prefix: "inv" -> "in\\|v`x"`` |');
    expect(jobTable(out, TABLE).a.changes).toEqual(['destination.prefix: "inv" -> "in|v`x"']);
  });

  it('text output aligns the same content in columns', () => {
    const out = renderText(
      review({
        changes: [
          jobChange(['update'], job('a', { schedule: { frequency: 'Weekly' } }), job('a')),
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
    expect(out).toContain('  cosinventory_job.Logs_job_a          update   job\n');
  });
});
