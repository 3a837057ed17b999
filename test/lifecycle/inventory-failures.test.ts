/**
 * Failures and drift through the Terraform lifecycle: a failed create provisioner taints the
 * job, a failed destroy provisioner keeps it in state, and jobs created outside Terraform are
 * reported by the drift check. The handler, the construct and the endpoint are all real.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';

import { BucketInventory, type InventoryJob } from '../../src/construct';
import { LocalCos } from '../../src/emulator';
import { TerraformWorkspace } from './harness';

const SOURCE = 'app-1250000000';
const DEST = 'reports-1250000000';
const REGION = 'ap-guangzhou';
const STACK = 'failures';

let cos: LocalCos;
let sdk: COS;
let outdir: string;
let workspace: TerraformWorkspace;

const job = (id: string): InventoryJob => ({ id, destination: { bucket: DEST } });
const address = (id: string): string => `terraform_data.App_job_${id}`;

function synth(jobs: InventoryJob[]): void {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK);
  new BucketInventory(stack, 'App', { bucket: SOURCE, region: REGION, ownerUin: '100000000001', jobs });
  app.synth();
}

function jobRequests(): string[] {
  return cos.requestLog
    .filter((e) => e.subresource === 'inventory' && e.id !== undefined)
    .map((e) => `${e.method} ${e.id} ${e.status}`);
}

async function remoteIds(): Promise<string[]> {
  const raw = (await sdk.listBucketInventory({ Bucket: SOURCE, Region: REGION }))
    .InventoryConfigurations as unknown;
  return ((Array.isArray(raw) ? raw : raw ? [raw] : []) as { Id: string }[]).map((c) => c.Id).sort();
}

beforeAll(async () => {
  cos = await LocalCos.start();
  cos.createBucket(SOURCE, REGION);
  cos.createBucket(DEST, REGION);
  sdk = new COS(cos.sdkOptions());
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-failures-'));
  workspace = new TerraformWorkspace(path.join(outdir, 'stacks', STACK), {
    ...process.env,
    TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
    TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
    COS_INVENTORY_ENDPOINT: cos.endpoint,
    COS_INVENTORY_RETRY_BUDGET_MS: '2000',
  });
});

afterAll(async () => {
  await cos.close();
  fs.rmSync(outdir, { recursive: true, force: true });
});

beforeEach(() => {
  cos.clearRequestLog();
  cos.clearFaults();
});

describe('failed provisioners and drift', () => {
  it('taints a job whose put-job failed; the next apply replaces it without running delete-job', async () => {
    synth([job('one'), job('two')]);
    cos.injectFault({
      method: 'PUT',
      subresource: 'inventory',
      id: 'two',
      status: 403,
      code: 'AccessDenied',
    });
    const failed = await workspace.apply();
    expect(failed.ok).toBe(false);
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toContain(`${address('two')}: local-exec provisioner error`);
    expect(failed.errors[0]).toMatch(/cos-inventory put-job: bucket=app-1250000000 id=two code=AccessDenied/);
    expect(failed.errors[0]).not.toContain(cos.credentials.secretKey);
    expect(workspace.state.resources[address('two')].tainted).toBe(true);
    expect(workspace.state.resources[address('one')].tainted).toBe(false);
    expect(await remoteIds()).toEqual(['one']);

    cos.clearRequestLog();
    const retried = await workspace.apply();
    expect(retried.errors).toEqual([]);
    expect(retried.plan.lines).toEqual([`replace ${address('two')}`]);
    // A tainted object's destroy provisioner is skipped: no DELETE before the PUT.
    expect(jobRequests()).toEqual(['PUT two 200', 'GET two 200']);
    expect(await remoteIds()).toEqual(['one', 'two']);
    expect(retried.warnings).toEqual([]);
  });

  it('reports jobs created outside Terraform as undeclared', async () => {
    const stored = await sdk.getBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'one' });
    await sdk.putBucketInventory({
      Bucket: SOURCE,
      Region: REGION,
      Id: 'stray',
      InventoryConfiguration: { ...stored.InventoryConfiguration, Id: 'stray' },
    } as COS.PutBucketInventoryParams);
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.lines).toEqual([]);
    expect(result.warnings.map((w) => w.detail)).toEqual([
      `bucket ${SOURCE} holds inventory jobs not declared here: stray (import them with cos-inventory import --bucket ${SOURCE} --region ${REGION}, or delete them if unwanted)`,
    ]);
    await sdk.deleteBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'stray' });
  });

  it('warns about a job changed out of band, naming the differing field', async () => {
    const stored = await sdk.getBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'one' });
    await sdk.putBucketInventory({
      Bucket: SOURCE,
      Region: REGION,
      Id: 'one',
      InventoryConfiguration: { ...stored.InventoryConfiguration, IsEnabled: 'false' },
    } as COS.PutBucketInventoryParams);
    const result = await workspace.apply();
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0].detail).toContain('IsEnabled');
    expect(result.warnings[0].detail).toContain(`terraform apply -replace=${address('one')}`);
    const repaired = await workspace.apply({ replace: [address('one')] });
    expect(repaired.warnings).toEqual([]);
  });

  it('keeps a job whose delete-job failed in state, skips the policy detach, and finishes on retry', async () => {
    cos.injectFault({
      method: 'DELETE',
      subresource: 'inventory',
      id: 'one',
      status: 403,
      code: 'AccessDenied',
    });
    const failed = await workspace.destroy();
    expect(failed.ok).toBe(false);
    expect(failed.errors[0]).toMatch(
      /cos-inventory delete-job: bucket=app-1250000000 id=one code=AccessDenied/,
    );
    expect(Object.keys(workspace.state.resources)).toEqual([
      address('one'),
      `terraform_data.cos_inventory_policy_${DEST}`,
      `terraform_data.cos_inventory_policy_${DEST}_release`,
    ]);
    const policyStep = failed.steps.find((s) => s.address === `terraform_data.cos_inventory_policy_${DEST}`);
    expect(policyStep?.status).toBe('skipped');
    const releaseStep = failed.steps.find(
      (s) => s.address === `terraform_data.cos_inventory_policy_${DEST}_release`,
    );
    expect(releaseStep?.status).toBe('skipped');
    expect(await remoteIds()).toEqual(['one']);
    const policy = await sdk.getBucketPolicy({ Bucket: DEST, Region: REGION });
    expect(JSON.stringify(policy.Policy)).toContain('cosInventory-app-1250000000');

    const retried = await workspace.destroy();
    expect(retried.errors).toEqual([]);
    expect(retried.plan.lines).toEqual([
      `delete ${address('one')}`,
      `delete terraform_data.cos_inventory_policy_${DEST}`,
      `delete terraform_data.cos_inventory_policy_${DEST}_release`,
    ]);
    expect(await remoteIds()).toEqual([]);
    await expect(sdk.getBucketPolicy({ Bucket: DEST, Region: REGION })).rejects.toMatchObject({
      statusCode: 404,
    });
    expect(workspace.state.resources).toEqual({});
  });
});
