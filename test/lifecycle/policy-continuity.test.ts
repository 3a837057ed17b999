/**
 * A shared destination policy gaining and losing a source (docs/terraform.md, "Destination
 * policy"): the attacher is replaced create-before-destroy and only upserts, so a continuing
 * source's statement is never missing; a source that stops delivering here has its statement
 * detached by its own prune resource; the release guard detaches all of ours on destroy.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { App, TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';

import { BucketInventory } from '../../src/construct';
import { LocalCos, type RequestLogEntry } from '../../src/emulator';
import { TerraformWorkspace } from './harness';

const REGION = 'ap-guangzhou';
const A = 'alpha-1250000000';
const B = 'beta-1250000000';
const DEST = 'reports-1250000000';
const POLICY = `terraform_data.cos_inventory_policy_${DEST}`;
const RELEASE = `${POLICY}_release`;
const FOREIGN = {
  sid: 'someone-else',
  effect: 'allow',
  principal: { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] },
  action: ['name/cos:GetObject'],
  resource: [`qcs::cos:${REGION}:uid/1250000000:${DEST}/public/*`],
};

let cos: LocalCos;
let sdk: COS;
let tmp: string;
let workspace: TerraformWorkspace;

beforeAll(async () => {
  cos = await LocalCos.start();
  sdk = new COS(cos.sdkOptions());
  for (const bucket of [A, B, DEST]) cos.createBucket(bucket, REGION);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-policy-'));
  workspace = new TerraformWorkspace(path.join(tmp, 'stacks', 'main'), {
    ...process.env,
    TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
    TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
    COS_INVENTORY_ENDPOINT: cos.endpoint,
    COS_INVENTORY_POLICY_SETTLE_MS: '20',
  });
});

afterAll(async () => {
  await cos.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Each source a BucketInventory; a source mapped to `[]` keeps its construct with no jobs. */
function synth(sources: readonly string[], emptied: readonly string[] = []): void {
  const app = new App({ outdir: tmp });
  const stack = new TerraformStack(app, 'main');
  for (const bucket of [...sources, ...emptied]) {
    new BucketInventory(stack, bucket.slice(0, bucket.indexOf('-')), {
      bucket,
      region: REGION,
      ownerUin: '100000000001',
      driftCheck: false,
      jobs: emptied.includes(bucket) ? [] : [{ id: 'daily', destination: { bucket: DEST, prefix: 'inv' } }],
    });
  }
  app.synth();
}

/** The policy's statements; COS (and LocalCos by default) answers `Statement`/`Sid` capitalised. */
async function statements(): Promise<Record<string, unknown>[]> {
  const policy = (await sdk.getBucketPolicy({ Bucket: DEST, Region: REGION })).Policy as Record<
    string,
    unknown
  >;
  return (policy.Statement ?? policy.statement) as Record<string, unknown>[];
}

async function sids(): Promise<string[]> {
  return (await statements()).map((s) => (s.Sid ?? s.sid) as string);
}

/** `METHOD` of each policy request on the destination. */
const policyWrites = (log: readonly RequestLogEntry[]): string[] =>
  log
    .filter((e) => e.subresource === 'policy' && e.bucket === DEST && e.method !== 'GET')
    .map((e) => e.method);

describe('a shared destination policy gaining and losing a source', () => {
  it('creates the attacher and the release guard with the first source', async () => {
    synth([A]);
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.summary[POLICY]).toBe('create');
    expect(result.plan.summary[RELEASE]).toBe('create');
    // The guard has no create provisioner.
    expect(result.runs.filter((r) => r.address === RELEASE)).toEqual([]);
    await sdk.putBucketPolicy({
      Bucket: DEST,
      Region: REGION,
      Policy: { version: '2.0', statement: [FOREIGN, ...(await statements())] },
    });
    expect(await sids()).toEqual(['someone-else', `cosInventory-${A}`]);
  });

  it("adding a source never writes a policy without A's statement", async () => {
    synth([A, B]);
    cos.clearRequestLog();
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.summary[POLICY]).toBe('replace');
    expect(result.plan.summary[RELEASE]).toBe('update');
    // Replaced create-before-destroy: the old attacher runs no provisioner at all.
    expect(result.runs.filter((r) => r.address === POLICY && r.when === 'destroy')).toEqual([]);
    // The only write is the attach's one read-modify-write PUT of [foreign, A, B], upserting A
    // in place: no DELETE, no PUT from a detach, so A is present after every request.
    expect(policyWrites(cos.requestLog)).toEqual(['PUT']);
    expect(await sids()).toEqual(['someone-else', `cosInventory-${A}`, `cosInventory-${B}`]);
    expect(workspace.state.resources[RELEASE].input).toMatchObject({
      sids: [`cosInventory-${A}`, `cosInventory-${B}`],
    });
  });

  it("a source with no job left here loses its statement through its prune; A's stays", async () => {
    synth([A], [B]);
    cos.clearRequestLog();
    const result = await workspace.apply();
    expect(result.errors).toEqual([]);
    expect(result.plan.summary[POLICY]).toBe('replace');
    expect(result.plan.summary[RELEASE]).toBe('update');
    expect(result.plan.summary['terraform_data.beta_prune']).toBe('replace');
    // B's prune deletes B's job, then detaches B's sid: PUT [foreign, A]; the attach finds A
    // unchanged and writes nothing. No DELETE of the policy.
    const prune = result.runs.filter((r) => r.address === 'terraform_data.beta_prune');
    expect(prune.map((r) => r.ok)).toEqual([true]);
    expect(prune[0].output).toContain(`detached policy statements cosInventory-${B} from ${DEST}`);
    expect(policyWrites(cos.requestLog)).toEqual(['PUT']);
    expect(await sids()).toEqual(['someone-else', `cosInventory-${A}`]);
    expect(workspace.state.resources[RELEASE].input).toMatchObject({ sids: [`cosInventory-${A}`] });
  });

  it('terraform destroy: the guard detaches all of ours, the foreign statement stays', async () => {
    cos.clearRequestLog();
    const result = await workspace.destroy();
    expect(result.errors).toEqual([]);
    expect(result.plan.summary[POLICY]).toBe('delete');
    expect(result.plan.summary[RELEASE]).toBe('delete');
    const detaches = result.runs.filter((r) => r.when === 'destroy' && /detach-policy$/.test(r.command));
    expect(detaches.map((r) => r.address)).toEqual([RELEASE]);
    expect(await sids()).toEqual(['someone-else']);
    expect(workspace.state.resources).toEqual({});
  });
});
