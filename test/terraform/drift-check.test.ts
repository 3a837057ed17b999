/**
 * The drift check (`check` block + `data "external"`) under the REAL `terraform` binary, its
 * `hashicorp/external` provider installed offline from `npm run terraform-mirror`: what
 * `terraform plan` prints when COS is in sync, when a job changed, went missing or appeared
 * outside Terraform, and when `deliveryCheck` finds a report overdue; each warning names its
 * repair, and the repair, run, clears it. One stack, one local endpoint, successive applies.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { TerraformStack } from 'cdktf';
import type COS from 'cos-nodejs-sdk-v5';

import { BucketInventory, type InventoryJob } from '../../src/construct';
import { endpointEnv, runCli } from '../kit';
import { writeTerraformMirror } from './mirror';
import { planWarnings, type PlanWarning } from './plan-warnings';
import { RealStack } from './real-stack';
import { jobRequests } from './request-digest';
import { findTerraform, requireTerraform } from './terraform-binary';

const terraform = findTerraform([1, 5]);
requireTerraform(terraform, [1, 9], 'drift-check.test.ts');
if (!terraform.found) console.log(`drift-check.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const REGION = 'ap-guangzhou';
const LOGS = 'logs-1250000000';
const APP = 'app-1250000000';
const DEST = 'reports-1250000000';
const DAY = 86_400_000;

const logsJob = (id: string): InventoryJob => ({ id, destination: { bucket: DEST, prefix: 'inv' } });
const appJobs: InventoryJob[] = [
  { id: 'daily', destination: { bucket: DEST, prefix: 'app' } },
  { id: 'weekly', destination: { bucket: DEST, prefix: 'app' }, schedule: { frequency: 'Weekly' } },
  { id: 'off', destination: { bucket: DEST, prefix: 'app' }, enabled: false },
];
const address = (id: string): string => `terraform_data.Logs_job_${id}`;

/** The `terraform apply -replace=...` a drift warning names, as arguments. */
function replaceCommand(detail: string): string[] {
  const command = /run (terraform apply -replace=\S+) to restore it/.exec(detail)?.[1];
  if (command === undefined) throw new Error(`no -replace command in: ${detail}`);
  return command.split(' ').slice(1);
}

describeReal('the drift check under real terraform', () => {
  let real: RealStack;
  let tmp: string;
  let logs: InventoryJob[] = [logsJob('a'), logsJob('b'), logsJob('c')];
  const synth = (): void =>
    real.synth((stack: TerraformStack) => {
      new BucketInventory(stack, 'Logs', {
        bucket: LOGS,
        region: REGION,
        ownerUin: '100000000001',
        jobs: logs,
      });
      new BucketInventory(stack, 'App', {
        bucket: APP,
        region: REGION,
        ownerUin: '100000000001',
        deliveryCheck: true,
        jobs: appJobs,
      });
    });
  const sdk = (): COS => real.sdk;
  const planWarningsNow = async (): Promise<ReturnType<typeof planWarnings>> =>
    planWarnings((await real.plan()).planText);
  /** The one warning a plan now shows (failing if it shows another). */
  const soleWarningNow = async (): Promise<PlanWarning> => {
    const [warning, ...others] = await planWarningsNow();
    expect(others).toEqual([]);
    return warning;
  };
  /** Puts, outside Terraform, a copy of LOGS's job `id` with `changes` (an `Id` among them: a new job). */
  const putCopyOf = async (id: string, changes: Partial<COS.InventoryConfiguration>): Promise<void> => {
    const stored = await sdk().getBucketInventory({ Bucket: LOGS, Region: REGION, Id: id });
    await sdk().putBucketInventory({
      Bucket: LOGS,
      Region: REGION,
      Id: changes.Id ?? id,
      InventoryConfiguration: { ...stored.InventoryConfiguration, ...changes },
    } as COS.PutBucketInventoryParams);
  };

  /** Runs a command the way its words say: `terraform ...` in the stack directory, `cos-inventory ...` in process. */
  async function run(words: readonly string[]): Promise<string> {
    if (words[0] === 'terraform') {
      return real.terraform.run([...words.slice(1), '-auto-approve', '-input=false', '-no-color']);
    }
    expect(words[0]).toBe('cos-inventory');
    // The command's own words with only the credentials a user sets; the bin as a process is
    // covered by the CLI's smoke tests.
    const result = await runCli(words.slice(1), endpointEnv(real.cos));
    expect({ code: result.code, stderr: result.stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('imported') as unknown as string,
    });
    return result.stdout;
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drift-check-'));
    const cliConfig = writeTerraformMirror(path.join(tmp, 'mirror'));
    real = await RealStack.start({ region: REGION, sources: [LOGS, APP], destinations: [DEST], cliConfig });
  });
  afterAll(async () => {
    await real?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is read after the apply while the jobs are pending; deliveryCheck then warns about jobs never delivered, not the disabled one', async () => {
    synth();
    await real.terraform.init();
    const created = await real.step();
    expect({ ok: created.ok, stderr: created.stderr }).toEqual({ ok: true, stderr: '' });
    // Deferred: the data source depends on the jobs, which have changes pending.
    expect(created.planRequests).toEqual([]);
    expect(created.planText).toContain('# data.external.Logs_drift will be read during apply');
    expect(created.planText).toContain('# (depends on a resource or a module with changes pending)');
    expect(new Set(planWarnings(created.planText).map((w) => w.summary))).toEqual(
      new Set(['Check block assertion known after apply']),
    );
    // Read again after the apply: a warning, never an error.
    expect(planWarnings(created.stdout)).toEqual([
      {
        summary: 'Check block assertion failed',
        detail: `inventory job daily: no report has been delivered yet (bucket ${APP}) inventory job weekly: no report has been delivered yet (bucket ${APP})`,
      },
    ]);
    expect(created.stdout).toContain('Apply complete! Resources: 10 added, 0 changed, 0 destroyed.');
  });

  it('warns about an overdue delivery at plan time; a delivery in time clears it, and the plan is silent when all is in sync', async () => {
    real.cos.runInventory(APP, 'daily', { date: new Date(Date.now() - 3 * DAY) });
    real.cos.runInventory(APP, 'weekly', { date: new Date(Date.now() - 3 * DAY) });
    const overdue = await real.plan();
    // Nothing pending: the check reads COS while planning.
    expect(overdue.planRequests.filter((e) => e.subresource === 'inventory').length).toBeGreaterThan(0);
    const [warning, ...others] = planWarnings(overdue.planText);
    expect(others).toEqual([]);
    expect(warning.summary).toBe('Check block assertion failed');
    expect(warning.detail).toMatch(
      new RegExp(
        `^inventory job daily: the newest report is of \\d{8}, older than 2 days for a daily schedule: check that cos may write to the destination \\(its bucket policy\\) \\(bucket ${APP}\\)$`,
      ),
    );

    // What clears it is COS delivering again (the policy was never broken here).
    real.cos.runInventory(APP, 'daily');
    const inSync = await real.plan();
    expect(planWarnings(inSync.planText)).toEqual([]);
    expect(inSync.planText).not.toContain('Warning');
    expect(Object.values(inSync.plan).filter((action) => action !== 'no-op')).toEqual([]);
    // Never "No changes.": Terraform plans to read a check block's data source again at apply.
    expect(inSync.planText).toContain('# (config will be reloaded to verify a check block)');
    expect(inSync.planText).toContain('Plan: 0 to add, 0 to change, 0 to destroy.');
  });

  it('warns about a changed field, names the job and the -replace that repairs it; running it clears the warning', async () => {
    await putCopyOf('b', { IsEnabled: 'false' });
    const warning = await soleWarningNow();
    expect(warning).toEqual({
      summary: 'Check block assertion failed',
      detail: `inventory job b on bucket ${LOGS} drifted in IsEnabled; run terraform apply -replace=${address('b')} to restore it`,
    });
    real.cos.clearRequestLog();
    const repaired = await run(['terraform', ...replaceCommand(warning.detail)]);
    expect(jobRequests(real.cos.requestLog)).toEqual(['PUT b', 'GET b']);
    // The check waits for the replaced job, is read after it, and is quiet.
    expect(repaired).toContain('data.external.Logs_drift: Read complete');
    expect(
      planWarnings(repaired).filter((w) => w.summary !== 'Check block assertion known after apply'),
    ).toEqual([]);
  });

  it('warns about an absent job, names it and the -replace that repairs it; running it clears the warning', async () => {
    await sdk().deleteBucketInventory({ Bucket: LOGS, Region: REGION, Id: 'a' });
    const warning = await soleWarningNow();
    expect(warning).toEqual({
      summary: 'Check block assertion failed',
      detail: `inventory job a is absent: it is missing from bucket ${LOGS}; run terraform apply -replace=${address('a')} to restore it`,
    });
    await run(['terraform', ...replaceCommand(warning.detail)]);
    expect(await planWarningsNow()).toEqual([]);
  });

  it('warns about a job created outside terraform, naming the import command; the job declared as imported clears it', async () => {
    await putCopyOf('c', { Id: 'stray' });
    const warning = await soleWarningNow();
    expect(warning).toEqual({
      summary: 'Check block assertion failed',
      detail: `bucket ${LOGS} holds inventory jobs not declared here: stray (import them with cos-inventory import --bucket ${LOGS} --region ${REGION}, or delete them if unwanted)`,
    });
    const command = /import them with (cos-inventory import [^,]+),/.exec(warning.detail)![1];
    const printed = await run(command.split(' '));
    expect(printed).toMatch(/id: ['"]stray['"]/);

    // Declared as printed (the same configuration as c under its own id): nothing left to warn.
    logs = [...logs, logsJob('stray')];
    synth();
    const declared = await real.step();
    expect({ ok: declared.ok, stderr: declared.stderr }).toEqual({ ok: true, stderr: '' });
    expect(jobRequests(declared.requests)).toEqual(['PUT stray', 'GET stray']);
    // Read again after the apply: quiet.
    expect(declared.stdout).toContain('data.external.Logs_drift: Read complete');
    expect(planWarnings(declared.stdout)).toEqual([]);
  });

  it('a job removed from the code: the plan waits for the prune instead of calling it undeclared, then all is quiet', async () => {
    logs = logs.filter((job) => job.id !== 'stray');
    synth();
    const removed = await real.step();
    expect({ ok: removed.ok, stderr: removed.stderr }).toEqual({ ok: true, stderr: '' });
    expect(removed.plan['terraform_data.Logs_prune']).toBe('replace');
    // Deferred: the data source depends on the prune resource, which is being replaced (App's
    // check, with nothing pending, still reads while planning).
    expect(removed.planRequests.filter((request) => request.bucket === LOGS)).toEqual([]);
    expect(removed.planText).toContain('# data.external.Logs_drift will be read during apply');
    expect(removed.planText).not.toContain('not declared here');
    expect(new Set(planWarnings(removed.planText).map((w) => w.summary))).toEqual(
      new Set(['Check block assertion known after apply']),
    );
    expect(jobRequests(removed.requests)).toEqual(['DELETE stray']);
    // Read after the prune: quiet.
    expect(removed.stdout).toContain('data.external.Logs_drift: Read complete');
    expect(planWarnings(removed.stdout)).toEqual([]);
  });

  it('terraform destroy reads the check while planning but prints no warning, even with a job gone', async () => {
    await sdk().deleteBucketInventory({ Bucket: LOGS, Region: REGION, Id: 'a' });
    const destroyed = await real.step('destroy');
    expect({ ok: destroyed.ok, stderr: destroyed.stderr }).toEqual({ ok: true, stderr: '' });
    expect(destroyed.planText).toContain('data.external.Logs_drift: Read complete');
    expect(planWarnings(destroyed.planText)).toEqual([]);
    expect(planWarnings(destroyed.stdout)).toEqual([]);
    expect(destroyed.stdout).toContain('Apply complete! Resources: 0 added, 0 changed, 10 destroyed.');
    const remote = await real.remote();
    expect(remote.inventories).toEqual({ [LOGS]: [], [APP]: [] });
    expect(remote.policies[DEST]).toBeNull();
  });
});
