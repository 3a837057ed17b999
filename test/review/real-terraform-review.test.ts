/**
 * `cos-inventory review` on plan JSON made by the REAL `terraform` (`terraform show -json`)
 * against the `cos-inventory emulator` CLI run as its own process (the provider each stack
 * directory carries talks to it), reviewed in process through the kit's `runCli`, asserted
 * field by field. Runs only where a terraform >= 1.5 answers `terraform version`; `terraform
 * init` installs the provider from the stack directory, offline.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';

import { BucketInventory, type InventoryJob } from '../../src/construct';
import {
  SEED_DESTINATION,
  SEED_REGION,
  SEED_SAMPLE_ENCRYPTED,
  SEED_SAMPLE_PLAIN,
} from '../fixtures/seed-samples';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';
import { rawPolicy } from '../terraform/real-stack';
import { runCli } from '../kit';
import {
  consequenceLines,
  jobTable,
  markdownTable,
  PlannedStack,
  startEmulatorCli,
  summaryOf,
  type EmulatorProcess,
} from './helpers';

// Every case runs real `terraform plan`s: seconds each on a loaded machine.
jest.setTimeout(300_000);

const terraform = findTerraform([1, 5]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails this file there.
requireTerraform(terraform, [1, 5], 'real-terraform-review.test.ts');
if (!terraform.found) console.log(`real-terraform-review.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const SEED_SOURCE = 'sourcebucket-1250000000';
const SEED_OTHER = 'othersource-1250000000';
const REGION = 'ap-guangzhou';
const LOGS = 'logs-1250000000';
const REPORTS = 'reports-1250000000';
const ARCHIVE = 'archive-1250000000';

/** The seed sample (test/fixtures/seed-samples.ts) as construct props: what a user would write. */
function seedJob(encrypted: boolean): InventoryJob {
  const sample = encrypted ? SEED_SAMPLE_ENCRYPTED : SEED_SAMPLE_PLAIN;
  const destination = sample.Destination.COSBucketDestination;
  return {
    id: sample.Id,
    destination: {
      bucket: SEED_DESTINATION,
      prefix: destination.Prefix,
      accountId: destination.AccountId,
      ...(encrypted ? { encryption: 'SSE-COS' as const } : {}),
    },
    schedule: { frequency: sample.Schedule.Frequency },
    filter: { prefix: sample.Filter!.Prefix },
    includedObjectVersions: sample.IncludedObjectVersions,
    optionalFields: sample.OptionalFields,
  };
}

function logsJob(
  id: string,
  options: { frequency?: 'Daily' | 'Weekly'; bucket?: string; prefix?: string } = {},
): InventoryJob {
  return {
    id,
    destination: { bucket: options.bucket ?? REPORTS, prefix: options.prefix ?? 'inv' },
    schedule: { frequency: options.frequency ?? 'Daily' },
  };
}

/**
 * A statement of somebody else's, which our detach must leave as it was; written in the form
 * COS answers a GET with (capitalised keys, lists), so it reads back byte for byte.
 */
const FOREIGN = {
  Sid: 'someone-else',
  Effect: 'allow',
  Principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] },
  Action: ['name/cos:GetObject'],
  Resource: [`qcs::cos:${REGION}:uid/1250000000:${ARCHIVE}/public/*`],
};

/** The statements of a bucket policy as the endpoint answers (either key case). */
async function statementsOf(sdk: COS, bucket: string): Promise<Record<string, unknown>[]> {
  const raw = await rawPolicy(sdk, bucket, REGION);
  if (raw === null) return [];
  const document = JSON.parse(raw) as {
    Statement?: Record<string, unknown>[];
    statement?: Record<string, unknown>[];
  };
  return document.Statement ?? document.statement ?? [];
}

function sidOf(statement: Record<string, unknown>): unknown {
  return statement.Sid ?? statement.sid;
}

function emulatorSdk(emulator: EmulatorProcess): COS {
  return new COS({
    SecretId: emulator.secretId,
    SecretKey: emulator.secretKey,
    Protocol: 'http:',
    Ip: emulator.endpoint.replace(/^http:\/\//, ''),
  });
}

/** The sids of the grants a synthesized configuration declares, in address order. */
function grantSids(config: Record<string, unknown>): string[] {
  const resources = (config.resource ?? {}) as Record<string, Record<string, { sid: string }>>;
  const grants = resources.cosinventory_destination_grant ?? {};
  return Object.keys(grants)
    .sort()
    .map((name) => grants[name].sid);
}

function logs(jobs: InventoryJob[]): (stack: TerraformStack) => void {
  return (stack) =>
    new BucketInventory(stack, 'Logs', { bucket: LOGS, region: REGION, ownerUin: '100000000001', jobs });
}

describeReal('cos-inventory review of real terraform plans', () => {
  let tmp: string;
  let emulator: EmulatorProcess;
  let seed: PlannedStack;
  let main: PlannedStack;
  let seedNoChange: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'review-'));
    emulator = await startEmulatorCli([
      `${SEED_SOURCE}@${SEED_REGION}`,
      `${SEED_OTHER}@${SEED_REGION}`,
      `${SEED_DESTINATION}@${SEED_REGION}`,
      `${LOGS}@${REGION}`,
      `${REPORTS}@${REGION}`,
      `${ARCHIVE}@${REGION}`,
    ]);
    seed = new PlannedStack(path.join(tmp, 'seed'), 'seed', emulator);
    main = new PlannedStack(path.join(tmp, 'main'), 'main', emulator);
  });
  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the seed samples created: two constructs, every field of each new job, their grants', async () => {
    const config = seed.synth((stack) => {
      new BucketInventory(stack, 'Seed', { bucket: SEED_SOURCE, region: SEED_REGION, jobs: [seedJob(true)] });
      new BucketInventory(stack, 'Other', {
        bucket: SEED_OTHER,
        region: SEED_REGION,
        jobs: [seedJob(false)],
      });
    });
    const plan = await seed.plan('seed-create.json');
    const { code, stdout, stderr } = await runCli(['review', plan]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });

    const sids = grantSids(config);
    expect(summaryOf(stdout)).toBe(
      `Inventory jobs: ${SEED_OTHER} 1 added; ${SEED_SOURCE} 1 added. ` +
        `Destination grants: ${sids.length} added, 0 narrowed, 0 removed.`,
    );
    const common = [
      `destination.bucket: ${SEED_DESTINATION}`,
      'destination.prefix: "inventory_test_prefix"',
      'destination.accountId: 100000000001',
    ];
    const rest = [
      'enabled: true',
      'includedObjectVersions: All',
      'schedule.frequency: Daily',
      'filter.prefix: "filter_prefix"',
      'optionalFields: ETag, LastModifiedDate, Size, StorageClass',
    ];
    expect(jobTable(stdout, `### Source bucket \`${SEED_SOURCE}\``)).toEqual({
      inventory_test: { action: 'added', changes: [...common, 'destination.encryption: SSE-COS', ...rest] },
    });
    expect(jobTable(stdout, `### Source bucket \`${SEED_OTHER}\``)).toEqual({
      inventory_test: { action: 'added', changes: [...common, 'destination.encryption: NONE', ...rest] },
    });
    // Every report folder of both sources is allowed on the destination, by the grants the stack declares.
    const rows = markdownTable(stdout, '### Destination grants');
    expect(rows.map(([destination, sid, action]) => [destination[0], sid[0], action[0]])).toEqual(
      sids.map((sid) => [SEED_DESTINATION, sid, 'added']),
    );
    expect(rows.flatMap(([, , , folders]) => folders[0].replace(/^allows /, '').split(', ')).sort()).toEqual([
      'inventory_test_prefix/1250000000/othersource/*',
      'inventory_test_prefix/1250000000/sourcebucket/*',
    ]);
    expect(consequenceLines(stdout)).toEqual([
      `Version scope widened: job inventory_test of ${SEED_OTHER} will list every object version (includedObjectVersions: All): bigger and costlier reports.`,
      `Version scope widened: job inventory_test of ${SEED_SOURCE} will list every object version (includedObjectVersions: All): bigger and costlier reports.`,
    ]);
    // Our addresses, in the collapsed list; nothing is "other".
    expect(stdout).toContain('- `cosinventory_job.Seed_job_inventory_test`: create (inventory job)');
    expect(stdout).toContain(
      `- \`cosinventory_destination_grant.cos_inventory_policy_${SEED_DESTINATION}\`: create (destination policy statement)`,
    );
    expect(stdout).not.toMatch(/other resource/);

    // The same plan on stdin, as text.
    const text = await runCli(['review', '--format', 'text'], {}, { input: fs.readFileSync(plan, 'utf8') });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`Source bucket ${SEED_SOURCE}\n  JOB             ACTION  WHAT CHANGES\n`);
    expect(text.stdout).toContain('  inventory_test  added   destination.bucket: targetbucket-1250000000\n');
    expect(text.stdout).toContain('                          destination.encryption: SSE-COS\n');

    await seed.apply('seed-create.json');
  });

  it('a plan with no change says so in one line', async () => {
    seedNoChange = await seed.plan('seed-nochange.json');
    const { code, stdout } = await runCli(['review', seedNoChange]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      '## Inventory changes in this plan\n\n**No changes: 2 inventory jobs of 2 source buckets stay as they are.**\n',
    );
    const text = await runCli(['review', '--format', 'text', seedNoChange]);
    expect(text.stdout).toBe(
      'Inventory changes in this plan\n\nNo changes: 2 inventory jobs of 2 source buckets stay as they are.\n',
    );
  });

  it('one field changed in place, one job removed (deleted in COS) and one added', async () => {
    main.synth(
      logs([
        logsJob('a', { frequency: 'Weekly' }),
        logsJob('b'),
        logsJob('c', { bucket: ARCHIVE, prefix: 'old' }),
      ]),
    );
    await main.plan('main-0.json');
    await main.apply('main-0.json');

    main.synth(
      logs([
        logsJob('a', { frequency: 'Daily' }),
        logsJob('c', { bucket: ARCHIVE, prefix: 'old' }),
        logsJob('d'),
      ]),
    );
    const plan = await main.plan('main-1.json');
    const { code, stdout } = await runCli(['review', plan]);
    expect(code).toBe(0);
    expect(summaryOf(stdout)).toBe(
      `Inventory jobs: ${LOGS} 1 added, 1 changed, 1 removed. Destination grants: no change.`,
    );
    expect(jobTable(stdout, `### Source bucket \`${LOGS}\``)).toEqual({
      a: { action: 'changed', changes: ['schedule.frequency: Weekly -> Daily'] },
      b: { action: 'removed', changes: ['deleted in COS'] },
      d: {
        action: 'added',
        changes: [
          `destination.bucket: ${REPORTS}`,
          'destination.prefix: "inv"',
          'destination.encryption: NONE',
          'enabled: true',
          'includedObjectVersions: Current',
          'schedule.frequency: Daily',
          'optionalFields: ETag, LastModifiedDate, Size, StorageClass',
        ],
      },
    });
    expect(stdout).toContain('Unchanged: `c`.');
    // An in-place update: one PUT, never a replace.
    expect(stdout).toContain('- `cosinventory_job.Logs_job_a`: update (inventory job)');
    expect(consequenceLines(stdout)).toEqual([
      `Deliveries stop: job b of ${LOGS} is deleted in COS (no longer declared in the code); reports already delivered stay under cos://${REPORTS}/inv/1250000000/logs/b/.`,
    ]);
    // Never the SDK's XML paths, nor the attributes' names.
    expect(stdout).not.toMatch(/Schedule\.Frequency|COSBucketDestination|Destination\.|frequency =/);

    // Two stacks reviewed together: each bucket is named with its plan.
    const both = await runCli(['review', seedNoChange, plan]);
    expect(both.code).toBe(0);
    expect(summaryOf(both.stdout)).toBe(
      `Inventory jobs: ${LOGS} (${plan}) 1 added, 1 changed, 1 removed. Destination grants: no change.`,
    );
    expect(both.stdout).toContain(`No job changes for \`${SEED_OTHER}\` (\`${seedNoChange}\`) (1), `);

    await main.apply('main-1.json');
  });

  it('a -target plan is reviewed as partial', async () => {
    main.synth(
      logs([
        logsJob('a', { frequency: 'Weekly' }),
        logsJob('c', { bucket: ARCHIVE, prefix: 'old' }),
        logsJob('d'),
      ]),
    );
    const plan = await main.plan('main-target.json', ['-target=cosinventory_job.Logs_job_a']);
    const { stdout } = await runCli(['review', plan]);
    expect(jobTable(stdout, `### Source bucket \`${LOGS}\``)).toEqual({
      a: { action: 'changed', changes: ['schedule.frequency: Daily -> Weekly'] },
    });
    expect(stdout).toMatch(
      /> \*\*Note:\*\* Partial plan: \d+ resources in state are not in it \(-target\?\)/,
    );
  });

  it('a destination prefix changed: the report location moves and the grant widens', async () => {
    main.synth(
      logs([
        logsJob('a', { frequency: 'Daily' }),
        logsJob('c', { bucket: ARCHIVE, prefix: 'old' }),
        logsJob('d', { prefix: 'inv2' }),
      ]),
    );
    const plan = await main.plan('main-2.json');
    const { stdout } = await runCli(['review', plan]);
    expect(summaryOf(stdout)).toBe(
      `Inventory jobs: ${LOGS} 1 changed. Destination grants: 0 added, 0 narrowed, 0 removed, 1 widened.`,
    );
    expect(jobTable(stdout, `### Source bucket \`${LOGS}\``)).toEqual({
      d: { action: 'changed', changes: ['destination.prefix: "inv" -> "inv2"'] },
    });
    const [[destination, , action, folders]] = markdownTable(stdout, '### Destination grants');
    expect([destination, action, folders]).toEqual([
      [REPORTS],
      ['widened'],
      ['now also inv2/1250000000/logs/*'],
    ]);
    expect(consequenceLines(stdout)).toEqual([
      `Report location moves: job d of ${LOGS} will deliver to cos://${REPORTS}/inv2/1250000000/logs/d/ instead of cos://${REPORTS}/inv/1250000000/logs/d/; whatever reads the old location must follow.`,
    ]);
    await main.apply('main-2.json');
  });

  it('a job changed outside terraform: the refresh shows it, the plan puts it back', async () => {
    const sdk = emulatorSdk(emulator);
    const c = await sdk.getBucketInventory({ Bucket: LOGS, Region: REGION, Id: 'c' });
    await sdk.putBucketInventory({
      Bucket: LOGS,
      Region: REGION,
      Id: 'c',
      InventoryConfiguration: { ...c.InventoryConfiguration, Schedule: { Frequency: 'Weekly' } },
    } as COS.PutBucketInventoryParams);
    const plan = await main.plan('main-drift.json');
    const { stdout } = await runCli(['review', plan]);
    expect(jobTable(stdout, `### Source bucket \`${LOGS}\``)).toEqual({
      c: { action: 'changed', changes: ['schedule.frequency: Weekly -> Daily'] },
    });
    expect(consequenceLines(stdout)).toEqual([
      `Changed outside Terraform: job c of ${LOGS} differs in COS (schedule.frequency); this plan puts back what the code declares.`,
    ]);
    await main.apply('main-drift.json');
  });

  it('the last job of a destination removed: its grant is detached, a foreign statement stays', async () => {
    const sdk = emulatorSdk(emulator);
    // A statement somebody else wrote in the archive's policy must survive the detach.
    const ours = await statementsOf(sdk, ARCHIVE);
    expect(ours).toHaveLength(1);
    await sdk.putBucketPolicy({
      Bucket: ARCHIVE,
      Region: REGION,
      Policy: { version: '2.0', statement: [FOREIGN, ...ours] },
    });

    main.synth(logs([logsJob('a', { frequency: 'Daily' }), logsJob('d', { prefix: 'inv2' })]));
    const plan = await main.plan('main-3.json');
    const { stdout } = await runCli(['review', plan]);
    expect(summaryOf(stdout)).toBe(
      `Inventory jobs: ${LOGS} 1 removed. Destination grants: 0 added, 0 narrowed, 1 removed.`,
    );
    expect(jobTable(stdout, `### Source bucket \`${LOGS}\``)).toEqual({
      c: { action: 'removed', changes: ['deleted in COS'] },
    });
    const sid = String(sidOf(ours[0]));
    expect(markdownTable(stdout, '### Destination grants')).toEqual([
      [
        [ARCHIVE],
        [sid],
        ['removed'],
        ['no longer allows old/1250000000/logs/* (statement detached; other statements stay)'],
      ],
    ]);
    expect(consequenceLines(stdout)).toEqual([
      `Deliveries stop: job c of ${LOGS} is deleted in COS (no longer declared in the code); reports already delivered stay under cos://${ARCHIVE}/old/1250000000/logs/c/.`,
      `Grant removed: ${ARCHIVE} no longer lets COS deliver reports under old/1250000000/logs/* (statement ${sid} is detached; the other statements of the policy stay as they are).`,
    ]);
    expect(stdout).toContain(
      `- \`cosinventory_destination_grant.cos_inventory_policy_${ARCHIVE}\`: delete (destination policy statement)`,
    );
    await main.apply('main-3.json');
    // What the review said is what happens: our statement is gone, the foreign one stays as it was.
    expect(await statementsOf(sdk, ARCHIVE)).toEqual([FOREIGN]);
    expect(await rawPolicy(sdk, ARCHIVE, REGION)).toContain(JSON.stringify(FOREIGN));
  });

  it('a destroy-only plan: every job deleted, every grant detached', async () => {
    const plan = await main.plan('main-destroy.json', ['-destroy']);
    const { stdout } = await runCli(['review', plan]);
    expect(summaryOf(stdout)).toBe(
      `Inventory jobs: ${LOGS} 2 removed. Destination grants: 0 added, 0 narrowed, 1 removed.`,
    );
    expect(jobTable(stdout, `### Source bucket \`${LOGS}\``)).toEqual({
      a: { action: 'removed', changes: ['deleted in COS (terraform destroy)'] },
      d: { action: 'removed', changes: ['deleted in COS (terraform destroy)'] },
    });
    expect(consequenceLines(stdout)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^Grant removed: ${REPORTS} no longer lets COS deliver reports under inv/1250000000/logs/\\*, inv2/1250000000/logs/\\* \\(statement \\S+ is detached`,
        ),
      ),
    );
  });

  it('the whole BucketInventory deleted from the code: its jobs deleted in COS, its grant detached', async () => {
    main.synth(() => undefined);
    const plan = await main.plan('main-removed.json');
    const { stdout } = await runCli(['review', plan]);
    expect(summaryOf(stdout)).toBe(
      `Inventory jobs: ${LOGS} 2 removed. Destination grants: 0 added, 0 narrowed, 1 removed.`,
    );
    expect(jobTable(stdout, `### Source bucket \`${LOGS}\``)).toEqual({
      a: { action: 'removed', changes: ['deleted in COS'] },
      d: { action: 'removed', changes: ['deleted in COS'] },
    });
    const deleted = (id: string, prefix: string) =>
      `Deliveries stop: job ${id} of ${LOGS} is deleted in COS (no longer declared in the code); reports already delivered stay under cos://${REPORTS}/${prefix}/1250000000/logs/${id}/.`;
    expect(consequenceLines(stdout).slice(0, 2)).toEqual([deleted('a', 'inv'), deleted('d', 'inv2')]);
    await main.apply('main-removed.json');
    // What the review said is what happens: no job and no statement of ours is left.
    const sdk = emulatorSdk(emulator);
    const listed = await sdk.listBucketInventory({ Bucket: LOGS, Region: REGION });
    expect(listed.InventoryConfigurations ?? []).toEqual([]);
    expect(await statementsOf(sdk, REPORTS)).toEqual([]);
  });
});
