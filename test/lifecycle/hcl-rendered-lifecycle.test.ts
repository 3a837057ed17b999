/**
 * HashiCorp's way off CDKTF is `cdktf synth --hcl`, then plain Terraform on the `.tf` files.
 * The same lifecycle must hold on that rendering: the stack is synthesized as HCL (plus the
 * check block's JSON companion), read back as Terraform would read the directory, and applied.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';

import { BucketInventory, type InventoryJob } from '../../src/construct';
import { LocalCos } from '../../src/emulator';
import { TerraformWorkspace } from './harness';

const SOURCE = 'hcl-1250000000';
const DEST = 'reports-1250000000';
const REGION = 'ap-guangzhou';

let cos: LocalCos;
let sdk: COS;
let outdir: string;
let workspace: TerraformWorkspace;

/** `cdktf synth --hcl`: the CLI sets SYNTH_HCL_OUTPUT for the app. */
function synthHcl(jobs: InventoryJob[]): void {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  process.env.SYNTH_HCL_OUTPUT = 'true';
  try {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'hcl');
    new BucketInventory(stack, 'Hcl', { bucket: SOURCE, region: REGION, ownerUin: '100000000001', jobs });
    app.synth();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
}

const job = (id: string): InventoryJob => ({ id, destination: { bucket: DEST, prefix: 'inv' } });

async function remoteIds(): Promise<string[]> {
  const raw = (await sdk.listBucketInventory({ Bucket: SOURCE, Region: REGION }))
    .InventoryConfigurations as unknown;
  return ((Array.isArray(raw) ? raw : raw ? [raw] : []) as { Id: string }[]).map((c) => c.Id).sort();
}

function jobRequests(): string[] {
  return cos.requestLog
    .filter((e) => e.subresource === 'inventory' && e.id !== undefined)
    .map((e) => `${e.method} ${e.id}`);
}

beforeAll(async () => {
  cos = await LocalCos.start();
  cos.createBucket(SOURCE, REGION);
  cos.createBucket(DEST, REGION);
  sdk = new COS(cos.sdkOptions());
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-hcl-'));
  workspace = new TerraformWorkspace(path.join(outdir, 'stacks', 'hcl'), {
    ...process.env,
    TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
    TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
    COS_INVENTORY_ENDPOINT: cos.endpoint,
  });
});

afterAll(async () => {
  await cos.close();
  fs.rmSync(outdir, { recursive: true, force: true });
});

beforeEach(() => cos.clearRequestLog());

describe('the HCL rendering through terraform apply and destroy', () => {
  it('is what Terraform would load: cdk.tf plus JSON companions, no cdk.tf.json', () => {
    synthHcl([job('one'), job('two')]);
    const files = fs.readdirSync(workspace.stackDir).filter((f) => /\.tf(\.json)?$/.test(f));
    expect(files).toContain('cdk.tf');
    expect(files).not.toContain('cdk.tf.json');
  });

  it('creates, changes one job, drift-checks and destroys as the JSON rendering does', async () => {
    const created = await workspace.apply();
    expect(created.errors).toEqual([]);
    expect(created.plan.lines).toEqual([
      'create terraform_data.Hcl_job_one',
      'create terraform_data.Hcl_job_two',
      'create terraform_data.Hcl_prune',
      `create terraform_data.cos_inventory_policy_${DEST}`,
      `create terraform_data.cos_inventory_policy_${DEST}_release`,
    ]);
    expect(created.checks.apply.map((c) => c.status)).toEqual(['pass']);
    expect(await remoteIds()).toEqual(['one', 'two']);

    synthHcl([job('one'), { ...job('two'), enabled: false }]);
    cos.clearRequestLog();
    const changed = await workspace.apply();
    expect(changed.errors).toEqual([]);
    expect(changed.plan.lines).toEqual(['replace terraform_data.Hcl_job_two']);
    // create_before_destroy: one PUT (and its read-back), no DELETE.
    expect(jobRequests()).toEqual(['PUT two', 'GET two']);
    const stored = await sdk.getBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'two' });
    expect(stored.InventoryConfiguration?.IsEnabled).toBe('false');

    await sdk.deleteBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'one' });
    const drift = await workspace.apply();
    expect(drift.warnings.map((w) => w.detail).join('\n')).toContain(
      'terraform apply -replace=terraform_data.Hcl_job_one',
    );

    const destroyed = await workspace.destroy();
    expect(destroyed.errors).toEqual([]);
    expect(await remoteIds()).toEqual([]);
    await expect(sdk.getBucketPolicy({ Bucket: DEST, Region: REGION })).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});
