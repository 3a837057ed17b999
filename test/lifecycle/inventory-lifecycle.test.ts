/**
 * The BucketInventory construct through a whole Terraform lifecycle: synthesized with cdktf
 * into a temp directory, applied by the harness exactly as Terraform would run its
 * provisioners, against the local COS endpoint; every step checked remotely through the
 * SDK and by counting the requests the endpoint saw.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';

import { BucketInventory, type InventoryJob } from '../../src/construct';
import { LocalCos } from '../../src/emulator';
import { TerraformWorkspace } from './harness';

const SOURCE = 'logs-1250000000';
const DEST = 'reports-1250000000';
const REGION = 'ap-guangzhou';
const STACK = 'inventory';

let cos: LocalCos;
let sdk: COS;
let outdir: string;
let workspace: TerraformWorkspace;

function job(id: string, frequency: 'Daily' | 'Weekly' = 'Daily'): InventoryJob {
  return { id, destination: { bucket: DEST, prefix: 'inv' }, schedule: { frequency } };
}

/** `cdktf synth` into the same output directory every time, as a user re-running it would. */
function synth(jobs: InventoryJob[]): void {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK);
  new BucketInventory(stack, 'Logs', { bucket: SOURCE, region: REGION, ownerUin: '100000000001', jobs });
  app.synth();
}

async function remoteIds(): Promise<string[]> {
  const listed = await sdk.listBucketInventory({ Bucket: SOURCE, Region: REGION });
  // The SDK gives a lone configuration as an object rather than an array.
  const raw = listed.InventoryConfigurations as unknown;
  const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { Id: string }[];
  return list.map((c) => c.Id).sort();
}

/** Inventory requests that name a job, as `METHOD id`; list calls (the drift check) excluded. */
function jobRequests(): string[] {
  return cos.requestLog
    .filter((e) => e.subresource === 'inventory' && e.id !== undefined)
    .map((e) => `${e.method} ${e.id}`);
}

/** The destination policy exactly as the endpoint returns it. */
async function rawPolicy(): Promise<string> {
  const response = await sdk.request({
    Method: 'GET',
    Bucket: DEST,
    Region: REGION,
    Action: 'policy',
    RawBody: true,
  });
  return (response.Body as Buffer).toString('utf8');
}

function address(id: string): string {
  return `terraform_data.Logs_job_${id}`;
}

beforeAll(async () => {
  // Policies read back as written: the destroy test checks a foreign statement survives byte
  // for byte. COS's normalised reads (the default) are covered by policy-continuity.test.ts.
  cos = await LocalCos.start({ normalizePolicy: false });
  cos.createBucket(SOURCE, REGION);
  cos.createBucket(DEST, REGION);
  sdk = new COS(cos.sdkOptions());
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-inventory-'));
  // Credentials reach the provisioners only through the inherited environment.
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

beforeEach(() => cos.clearRequestLog());

describe('BucketInventory through terraform apply and destroy', () => {
  it('creates a stack of three jobs and the destination policy', async () => {
    synth([job('a'), job('b'), job('c')]);
    const config = JSON.stringify(await workspace.readConfig());
    expect(config).not.toContain(cos.credentials.secretKey);

    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    // Bytewise address order, as Terraform sorts them.
    expect(result.plan.lines).toEqual([
      `create ${address('a')}`,
      `create ${address('b')}`,
      `create ${address('c')}`,
      'create terraform_data.Logs_prune',
      `create terraform_data.cos_inventory_policy_${DEST}`,
      `create terraform_data.cos_inventory_policy_${DEST}_release`,
    ]);
    // The policy comes first: the jobs depend on it.
    expect(result.runs[0].command).toMatch(/handler\.js attach-policy$/);
    // The configuration hands over the spec only; credentials come from the inherited environment.
    expect(new Set(result.runs.flatMap((r) => Object.keys(r.environment)))).toEqual(
      new Set(['COS_INVENTORY_SPEC']),
    );
    // Counted before this test's own SDK calls below add to the log.
    expect(jobRequests().sort()).toEqual(['GET a', 'GET b', 'GET c', 'PUT a', 'PUT b', 'PUT c']);
    expect(await remoteIds()).toEqual(['a', 'b', 'c']);
    const stored = await sdk.getBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'b' });
    expect(stored.InventoryConfiguration?.Destination?.COSBucketDestination?.Bucket).toBe(
      `qcs::cos:${REGION}::${DEST}`,
    );
    const policy = await sdk.getBucketPolicy({ Bucket: DEST, Region: REGION });
    expect(JSON.stringify(policy.Policy)).toContain(`/inv/1250000000/logs/*`);
    expect(result.checks.apply.map((c) => c.status)).toEqual(['pass']);
    expect(result.outputs['Logs_report_a']).toBe(`cos://${DEST}/inv/1250000000/logs/a/`);
  });

  it('touches only the changed job when one field of one job changes: one PUT, no DELETE', async () => {
    synth([job('a'), job('b', 'Weekly'), job('c')]);
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.lines).toEqual([`replace ${address('b')}`]);
    // create_before_destroy: the replaced object's delete-job never runs; PUT overwrites by id.
    expect(jobRequests()).toEqual(['PUT b', 'GET b']);
    const stored = await sdk.getBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'b' });
    expect(stored.InventoryConfiguration?.Schedule?.Frequency).toBe('Weekly');
    expect(await remoteIds()).toEqual(['a', 'b', 'c']);
  });

  it('deletes a removed job through the prune resource, others untouched', async () => {
    synth([job('a'), job('b', 'Weekly')]);
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    // The job's own destroy provisioner cannot run (its block is gone): prune deletes it.
    expect(result.plan.lines).toEqual([`drop ${address('c')}`, 'replace terraform_data.Logs_prune']);
    expect(result.runs.map((r) => r.command.split(' ').pop())).toEqual(['prune']);
    expect(jobRequests()).toEqual(['DELETE c']);
    expect(await remoteIds()).toEqual(['a', 'b']);
  });

  it('renames a job: the new id is put, the old one pruned', async () => {
    synth([job('a2'), job('b', 'Weekly')]);
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.lines).toEqual([
      `drop ${address('a')}`,
      `create ${address('a2')}`,
      'replace terraform_data.Logs_prune',
    ]);
    expect(jobRequests().sort()).toEqual(['DELETE a', 'GET a2', 'PUT a2']);
    expect(await remoteIds()).toEqual(['a2', 'b']);
  });

  it('adds a job without touching the others', async () => {
    synth([job('a2'), job('b', 'Weekly'), job('d')]);
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.lines).toEqual([`create ${address('d')}`, 'replace terraform_data.Logs_prune']);
    expect(jobRequests()).toEqual(['PUT d', 'GET d']);
    expect(await remoteIds()).toEqual(['a2', 'b', 'd']);
  });

  it('warns about a job deleted out of band, naming it and the -replace that repairs it', async () => {
    await sdk.deleteBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'b' });
    cos.clearRequestLog();
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.lines).toEqual([]);
    // Nothing planned, so the check reads at plan time and again after apply.
    expect(result.checks.plan[0].status).toBe('fail');
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0].summary).toBe('Check block assertion failed');
    expect(result.warnings[0].detail).toContain('inventory job b is absent');
    expect(result.warnings[0].detail).toContain(`terraform apply -replace=${address('b')}`);
    expect(jobRequests()).toEqual([]);

    const repaired = await workspace.apply({ replace: [address('b')] });
    expect(repaired.errors).toEqual([]);
    expect(repaired.plan.lines).toEqual([`replace ${address('b')}`]);
    expect(repaired.warnings).toEqual([]);
    expect(await remoteIds()).toEqual(['a2', 'b', 'd']);
  });

  it('destroys every job and our policy statement, leaving a foreign statement byte-for-byte', async () => {
    const before = await sdk.getBucketPolicy({ Bucket: DEST, Region: REGION });
    const foreign = {
      sid: 'someone-else',
      effect: 'allow',
      principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] },
      action: ['name/cos:GetObject'],
      resource: [`qcs::cos:${REGION}:uid/1250000000:${DEST}/public/*`],
    };
    const document = before.Policy as { statement: unknown[] };
    await sdk.putBucketPolicy({
      Bucket: DEST,
      Region: REGION,
      Policy: { ...document, statement: [foreign, ...document.statement] },
    });
    // The statement's exact bytes, as the SDK sent them and the endpoint stores them.
    const foreignBytes = JSON.stringify(foreign);
    expect(await rawPolicy()).toContain(foreignBytes);
    cos.clearRequestLog();

    const result = await workspace.destroy();
    expect(result.errors).toEqual([]);
    expect(result.plan.lines).toEqual([
      `delete ${address('a2')}`,
      `delete ${address('b')}`,
      `delete ${address('d')}`,
      'delete terraform_data.Logs_prune',
      `delete terraform_data.cos_inventory_policy_${DEST}`,
      `delete terraform_data.cos_inventory_policy_${DEST}_release`,
    ]);
    expect(await remoteIds()).toEqual([]);
    expect(jobRequests().sort()).toEqual(['DELETE a2', 'DELETE b', 'DELETE d']);
    const after = await rawPolicy();
    expect(after).toContain(foreignBytes);
    expect((JSON.parse(after) as { statement: unknown[] }).statement).toHaveLength(1);
    expect(workspace.state.resources).toEqual({});
  });
});
