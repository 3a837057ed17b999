/**
 * `deliveryCheck` through the Terraform lifecycle (harness): the check block's third assert
 * warns about jobs never delivered, then about an overdue one, and is quiet once every enabled
 * job delivered in time. The handler, the construct and the endpoint are all real.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, TerraformStack } from 'cdktf';

import { BucketInventory, type InventoryJob } from '../../src/construct';
import { LocalCos } from '../../src/emulator';
import { TerraformWorkspace } from './harness';

const SOURCE = 'app-1250000000';
const DEST = 'reports-1250000000';
const REGION = 'ap-guangzhou';
const STACK = 'delivery';
const DAY = 86_400_000;

let cos: LocalCos;
let outdir: string;
let workspace: TerraformWorkspace;

const jobs: InventoryJob[] = [
  { id: 'daily', destination: { bucket: DEST, prefix: 'inv' } },
  { id: 'weekly', destination: { bucket: DEST, prefix: 'inv' }, schedule: { frequency: 'Weekly' } },
  { id: 'off', destination: { bucket: DEST, prefix: 'inv' }, enabled: false },
];

beforeAll(async () => {
  cos = await LocalCos.start();
  cos.createBucket(SOURCE, REGION);
  cos.createBucket(DEST, REGION);
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-delivery-'));
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK);
  new BucketInventory(stack, 'App', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: '100000000001',
    deliveryCheck: true,
    jobs,
  });
  app.synth();
  workspace = new TerraformWorkspace(path.join(outdir, 'stacks', STACK), {
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

describe('deliveryCheck at plan time', () => {
  it('warns about never-delivered jobs after they are created (not about the disabled one)', async () => {
    const created = await workspace.apply();
    expect(created.errors).toEqual([]);
    expect(created.warnings.map((w) => w.detail)).toEqual([
      [
        `inventory job daily: no report has been delivered yet (bucket ${SOURCE})`,
        `inventory job weekly: no report has been delivered yet (bucket ${SOURCE})`,
      ].join('\n'),
    ]);
  });

  it('warns about an overdue job only', async () => {
    cos.runInventory(SOURCE, 'daily', { date: new Date(Date.now() - 3 * DAY) });
    cos.runInventory(SOURCE, 'weekly', { date: new Date(Date.now() - 3 * DAY) });
    const result = await workspace.apply();
    expect(result.plan.lines).toEqual([]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0].detail).toMatch(
      /^inventory job daily: the newest report is of \d{8}, older than 2 days for a daily schedule: /,
    );
  });

  it('is quiet once every enabled job delivered in time', async () => {
    cos.runInventory(SOURCE, 'daily');
    const result = await workspace.apply();
    expect(result.warnings).toEqual([]);
  });
});
