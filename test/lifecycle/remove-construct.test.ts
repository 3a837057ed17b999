/**
 * Removing a whole BucketInventory from a stack (docs/terraform.md, "Removing a whole
 * BucketInventory"): what Terraform does when its blocks simply disappear (nothing: jobs and
 * statement stay), and the two documented ways to really delete them: `jobs: []` first, or
 * `RemovedBucketInventory` in the same change.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';

import { BucketInventory, RemovedBucketInventory, type InventoryJob } from '../../src/construct';
import { LocalCos } from '../../src/emulator';
import { TerraformWorkspace } from './harness';

const REGION = 'ap-guangzhou';

let cos: LocalCos;
let sdk: COS;
let tmp: string;
let counter = 0;

beforeAll(async () => {
  cos = await LocalCos.start();
  sdk = new COS(cos.sdkOptions());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-remove-'));
});

afterAll(async () => {
  await cos.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Setup {
  readonly dest: string;
  readonly logs: string;
  readonly audit: string;
  readonly workspace: TerraformWorkspace;
  synth(options: { auditJobs?: InventoryJob[] | 'removed' | 'removed-construct' }): void;
}

const jobs = (dest: string, ...ids: string[]): InventoryJob[] =>
  ids.map((id) => ({ id, destination: { bucket: dest } }));

/** Two constructs delivering to one destination, in a stack of their own. */
async function setup(): Promise<Setup> {
  counter++;
  const logs = `logs${counter}-1250000000`;
  const audit = `audit${counter}-1250000000`;
  // A destination per stack, so one test's policy statements never show in another's.
  const dest = `reports${counter}-1250000000`;
  cos.createBucket(dest, REGION);
  cos.createBucket(logs, REGION);
  cos.createBucket(audit, REGION);
  const outdir = path.join(tmp, `app${counter}`);
  const workspace = new TerraformWorkspace(path.join(outdir, 'stacks', 'main'), {
    ...process.env,
    TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
    TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
    COS_INVENTORY_ENDPOINT: cos.endpoint,
  });
  const synth: Setup['synth'] = ({ auditJobs = jobs(dest, 'x', 'y') }) => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'main');
    new BucketInventory(stack, 'Logs', {
      bucket: logs,
      region: REGION,
      ownerUin: '100000000001',
      jobs: jobs(dest, 'l'),
    });
    if (auditJobs === 'removed-construct') new RemovedBucketInventory(stack, 'Audit');
    else if (auditJobs !== 'removed') {
      new BucketInventory(stack, 'Audit', {
        bucket: audit,
        region: REGION,
        ownerUin: '100000000001',
        jobs: auditJobs,
      });
    }
    app.synth();
  };
  synth({});
  const created = await workspace.apply();
  expect(created.errors).toEqual([]);
  return { dest, logs, audit, workspace, synth };
}

async function remoteIds(bucket: string): Promise<string[]> {
  const raw = (await sdk.listBucketInventory({ Bucket: bucket, Region: REGION }))
    .InventoryConfigurations as unknown;
  return ((Array.isArray(raw) ? raw : raw ? [raw] : []) as { Id: string }[]).map((c) => c.Id).sort();
}

// COS (and LocalCos by default) answers `Statement`/`Sid` capitalised.
async function statementSids(dest: string): Promise<string[]> {
  const policy = (await sdk.getBucketPolicy({ Bucket: dest, Region: REGION })).Policy as Record<
    string,
    unknown
  >;
  const statements = (policy.Statement ?? policy.statement) as Record<string, unknown>[];
  return statements.map((s) => (s.Sid ?? s.sid) as string).sort();
}

describe('removing a whole BucketInventory', () => {
  it('deleting the construct drops its resources without running provisioners: jobs and statement stay', async () => {
    const { dest, logs, audit, workspace, synth } = await setup();
    cos.clearRequestLog();
    synth({ auditJobs: 'removed' });
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.lines).toEqual([
      'drop terraform_data.Audit_job_x',
      'drop terraform_data.Audit_job_y',
      'drop terraform_data.Audit_prune',
      // The shared attacher is replaced create-before-destroy (upserting the statements still
      // configured, running no destroy provisioner); the guard's sids are updated in place.
      `replace terraform_data.cos_inventory_policy_${dest}`,
      `update terraform_data.cos_inventory_policy_${dest}_release`,
    ]);
    expect(cos.requestLog.filter((e) => e.subresource === 'inventory' && e.bucket === audit)).toEqual([]);
    expect(await remoteIds(audit)).toEqual(['x', 'y']);
    // What the plan calls destroyed is still there: the README says so, loudly.
    expect(await statementSids(dest)).toEqual([`cosInventory-${audit}`, `cosInventory-${logs}`].sort());
  });

  it('emptying jobs first lets prune delete the jobs and detach the statement; then the construct can go', async () => {
    const { dest, logs, audit, workspace, synth } = await setup();
    synth({ auditJobs: [] });
    const emptied = await workspace.apply();
    expect(emptied.errors).toEqual([]);
    expect(emptied.plan.lines).toEqual([
      'drop terraform_data.Audit_job_x',
      'drop terraform_data.Audit_job_y',
      'replace terraform_data.Audit_prune',
      `replace terraform_data.cos_inventory_policy_${dest}`,
      `update terraform_data.cos_inventory_policy_${dest}_release`,
    ]);
    expect(await remoteIds(audit)).toEqual([]);
    expect(await statementSids(dest)).toEqual([`cosInventory-${logs}`]);

    synth({ auditJobs: 'removed' });
    const removed = await workspace.apply();
    expect(removed.errors).toEqual([]);
    expect(await remoteIds(audit)).toEqual([]);
    expect(await remoteIds(logs)).toEqual(['l']);
    expect(await statementSids(dest)).toEqual([`cosInventory-${logs}`]);
  });

  it('RemovedBucketInventory (a removed block, Terraform >= 1.9) deletes the jobs and the statement in the same apply', async () => {
    const { dest, logs, audit, workspace, synth } = await setup();
    cos.clearRequestLog();
    synth({ auditJobs: 'removed-construct' });
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.summary['terraform_data.Audit_job_x']).toBe('drop');
    expect(result.plan.summary['terraform_data.Audit_job_y']).toBe('drop');
    // Governed by the removed block: destroyed WITH its prune provisioner, nothing desired.
    expect(result.plan.summary['terraform_data.Audit_prune']).toBe('delete');
    const deletes = cos.requestLog
      .filter((e) => e.subresource === 'inventory' && e.method === 'DELETE')
      .map((e) => `${e.bucket} ${e.id}`);
    expect(deletes.sort()).toEqual([`${audit} x`, `${audit} y`]);
    expect(await remoteIds(audit)).toEqual([]);
    expect(await remoteIds(logs)).toEqual(['l']);
    expect(await statementSids(dest)).toEqual([`cosInventory-${logs}`]);
    expect(Object.keys(workspace.state.resources).filter((a) => a.includes('Audit'))).toEqual([]);

    // Left in the code, the removed block does nothing more.
    cos.clearRequestLog();
    const again = await workspace.apply();
    expect(again.errors).toEqual([]);
    expect(again.runs).toEqual([]);
  });

  it('the last construct delivering to a destination removed: its statement goes and the policy with it', async () => {
    const { dest, audit, workspace } = await setup();
    const app = new App({ outdir: path.dirname(path.dirname(workspace.stackDir)) });
    const stack = new TerraformStack(app, 'main');
    new RemovedBucketInventory(stack, 'Logs');
    new RemovedBucketInventory(stack, 'Audit');
    app.synth();
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(await remoteIds(audit)).toEqual([]);
    // No statement of ours and nothing foreign: the policy is deleted.
    await expect(sdk.getBucketPolicy({ Bucket: dest, Region: REGION })).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(workspace.state.resources).toEqual({});
  });
});
