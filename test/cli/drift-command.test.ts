/**
 * `cos-inventory drift`: the drift check's own read of synthesized stacks, in process against
 * LocalCos (the real SDK over real HTTP), for a stack with its check block and one synthesized
 * with `cdktf-cos-inventory:driftCheck` false in the context (no check block at all).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import COS from 'cos-nodejs-sdk-v5';
import type { DriftReport } from '../../src/cli/drift-command';
import { stackQueries } from '../../src/cli/stack-queries';
import { BucketInventory } from '../../src/construct';
import type { LocalCos } from '../../src/emulator';
import { type Kit, runCli, startKit } from '../kit';
import { putThroughSdk } from './helpers';

const REGION = 'ap-guangzhou';
const SOURCE = 'logs-1250000000';
const DEST = 'reports-1250000000';

let kit: Kit;

let local: LocalCos;
let out: string;

/** Synthesizes one stack with a BucketInventory of two jobs; returns its directory. */
function synthesize(name: string, context: Record<string, unknown> = {}, hclOutput = false): string {
  const app = new App({ outdir: out, context, hclOutput });
  new BucketInventory(new TerraformStack(app, name), 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: '100000000001',
    jobs: [
      { id: 'daily', destination: { bucket: DEST, prefix: 'inv' } },
      // A literal `${` reaches COS as written: the stack holds it escaped for Terraform.
      {
        id: 'weekly',
        destination: { bucket: DEST },
        schedule: { frequency: 'Weekly' },
        filter: { prefix: 'a${b}/' },
      },
    ],
  });
  app.synth();
  return join(out, 'stacks', name);
}

async function drift(dirs: string[], format: 'text' | 'json' = 'text', deliveryCheck?: boolean) {
  const flags = ['--format', format, ...(deliveryCheck ? ['--delivery-check'] : [])];
  return runCli(['drift', ...dirs, ...flags], kit.env(), { cwd: out });
}

const sdk = (): COS => kit.sdk;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'drift-'));
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

beforeEach(async () => {
  kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `${DEST}@${REGION}`] });
  local = kit.cos;
});
afterEach(async () => {
  await kit.close();
});

describe('cos-inventory drift', () => {
  const withCheck = (): string => synthesize('with-check');
  const withoutCheck = (): string => synthesize('no-check', { 'cdktf-cos-inventory:driftCheck': false });

  test('reads the same queries from the check block and, without one, from the job resources', () => {
    const [fromCheck] = stackQueries(withCheck());
    const [fromResources] = stackQueries(withoutCheck());
    expect(fromCheck.origin).toBe('check.logs_drift');
    expect(fromResources.origin).toBe('terraform_data.logs_prune');
    expect(fromResources.query).toEqual(fromCheck.query);
    expect(fromCheck.query.configurations.map((c) => c.Id)).toEqual(['daily', 'weekly']);
    expect(JSON.stringify(fromCheck.query.configurations)).toContain('"a${b}/"');
  });

  test('an hcl synth: the check block written beside cdk.tf gives the same query', () => {
    const dir = synthesize('hcl', {}, true);
    expect(existsSync(join(dir, 'cdk.tf'))).toBe(true);
    expect(existsSync(join(dir, 'cdk.tf.json'))).toBe(false);
    const [fromHcl] = stackQueries(dir);
    expect(fromHcl.origin).toBe('check.logs_drift');
    expect(fromHcl.query).toEqual(stackQueries(withCheck())[0].query);
  });

  test.each([
    ['with its check block', withCheck],
    ['synthesized with driftCheck false in the context', withoutCheck],
  ])(
    'a stack %s: 0 in sync, 1 after an out-of-band change, absence or undeclared job',
    async (_label, make) => {
      const dir = make();
      const [{ query }] = stackQueries(dir);
      await putThroughSdk(local, SOURCE, REGION, query.configurations);

      const inSync = await drift([dir]);
      expect(inSync).toEqual({
        code: 0,
        stdout: `${dir}: bucket ${SOURCE} (${REGION}): in sync (2 declared jobs)\n`,
        stderr: '',
      });

      // Out of band: the console changes a job's prefix and adds one nobody declared.
      const changed = { ...query.configurations[0], Filter: { Prefix: 'other/' } };
      await putThroughSdk(local, SOURCE, REGION, [changed, { ...query.configurations[1], Id: 'extra' }]);
      const drifted = await drift([dir]);
      expect(drifted.code).toBe(1);
      expect(drifted.stdout).toContain(`${dir}: bucket ${SOURCE} (${REGION}): drift\n`);
      expect(drifted.stdout).toMatch(
        / {2}inventory job daily on bucket logs-1250000000 drifted in Filter.*terraform apply -replace=terraform_data.logs_job_daily/,
      );
      expect(drifted.stdout).toContain('holds inventory jobs not declared here: extra');

      await sdk().deleteBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'weekly' });
      const absent = await drift([dir], 'json');
      expect(absent.code).toBe(1);
      const [report] = JSON.parse(absent.stdout) as DriftReport[];
      expect(report).toMatchObject({ bucket: SOURCE, region: REGION, inSync: false });
      expect(report.result['job.weekly']).toBe('absent');
      expect(report.messages).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^inventory job weekly is absent: it is missing from bucket/),
        ]),
      );
    },
  );

  test('--delivery-check: a job never delivered is drift; json lists every stack given', async () => {
    const dirs = [withCheck(), withoutCheck()];
    const [{ query }] = stackQueries(dirs[0]);
    await putThroughSdk(local, SOURCE, REGION, query.configurations);
    expect((await drift(dirs)).code).toBe(0);
    const checked = await drift(dirs, 'json', true);
    expect(checked.code).toBe(1);
    const reports = JSON.parse(checked.stdout) as DriftReport[];
    expect(reports.map((r) => [r.stack, r.inSync, r.result['delivery.daily']])).toEqual([
      [dirs[0], false, 'never'],
      [dirs[1], false, 'never'],
    ]);
  });

  test("a stack's own deliveryCheck (here from the context) is honoured without --delivery-check", async () => {
    const dir = synthesize('delivery', { 'cdktf-cos-inventory:deliveryCheck': true });
    const [{ query }] = stackQueries(dir);
    expect(query.deliveryCheck).toBe(true);
    await putThroughSdk(local, SOURCE, REGION, query.configurations);
    const result = await drift([dir], 'json');
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as DriftReport[])[0].result['delivery.daily']).toBe('never');
  });

  test('no STACK_DIR: every stack under cdktf.out/stacks, each BucketInventory in order', async () => {
    const project = mkdtempSync(join(tmpdir(), 'drift-project-'));
    try {
      const app = new App({ outdir: join(project, 'cdktf.out') });
      const buckets = Array.from({ length: 20 }, (_, i) => `src${String(i).padStart(2, '0')}-1250000000`);
      for (const [n, name] of ['a', 'b'].entries()) {
        const stack = new TerraformStack(app, name);
        for (const bucket of buckets.slice(n * 10, n * 10 + 10)) {
          local.createBucket(bucket, REGION);
          new BucketInventory(stack, bucket.split('-')[0], {
            bucket,
            region: REGION,
            ownerUin: '100000000001',
            jobs: [{ id: 'daily', destination: { bucket: DEST } }],
          });
        }
      }
      app.synth();
      for (const entry of ['a', 'b'].flatMap((name) =>
        stackQueries(join(project, 'cdktf.out', 'stacks', name)),
      )) {
        await putThroughSdk(local, entry.query.bucket, REGION, entry.query.configurations);
      }
      const result = await runCli(['drift', '--format', 'json'], kit.env(), { cwd: project });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const reports = JSON.parse(result.stdout) as DriftReport[];
      expect(reports.map((r) => r.bucket)).toEqual(buckets);
      expect(reports.every((r) => r.inSync)).toBe(true);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test('no STACK_DIR and no cdktf.out/stacks in the working directory: a usage error saying what to do', async () => {
    const result = await runCli(['drift'], kit.env(), { cwd: join(out, 'nowhere') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^cos-inventory drift: no STACK_DIR given and .*cdktf\.out\/stacks does not exist: run cdktf synth first/,
    );
  });

  test('a directory without a json stack is a usage error naming the file and what is expected', async () => {
    const result = await drift([join(out, 'missing')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /missing\/cdk\.tf\.json: cannot read: no such file \(nor a \*\.check\.tf\.json of an hcl synth\); expected a synthesized stack directory/,
    );
  });

  test('a STACK_DIR relative to the working directory is read there and reported as given', async () => {
    const dir = withCheck();
    const [{ query }] = stackQueries(dir);
    await putThroughSdk(local, SOURCE, REGION, query.configurations);
    const relative = dir.slice(out.length + 1);
    const result = await runCli(['drift', relative, '--format', 'json'], kit.env(), { cwd: out });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(result.stdout) as DriftReport[]).map((r) => [r.stack, r.bucket, r.inSync])).toEqual([
      [relative, SOURCE, true],
    ]);
  });

  test('an unreachable endpoint fails with exit 1 and the hint of a network failure', async () => {
    const dir = withCheck();
    const env = {
      ...kit.env(),
      COS_INVENTORY_ENDPOINT: 'http://127.0.0.1:1',
      COS_INVENTORY_RETRY_BUDGET_MS: '1',
    };
    const result = await runCli(['drift', dir], env, { cwd: out });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /cos-inventory drift: bucket=logs-1250000000 .*code=ECONNREFUSED.*hint: cos could not be reached/,
    );
  });

  test('--profile: the named tccli profile is read over the key variables; an unknown one exits 2', async () => {
    const dir = withCheck();
    await putThroughSdk(local, SOURCE, REGION, stackQueries(dir)[0].query.configurations);
    const profiles = mkdtempSync(join(tmpdir(), 'drift-profile-'));
    try {
      writeFileSync(
        join(profiles, 'ops.credential'),
        JSON.stringify({ secretId: local.credentials.secretId, secretKey: local.credentials.secretKey }),
      );
      const env = {
        COS_INVENTORY_ENDPOINT: local.endpoint,
        TENCENTCLOUD_SHARED_CREDENTIALS_DIR: profiles,
        // Keys of no account: only the profile can make the read succeed.
        TENCENTCLOUD_SECRET_ID: 'AKIDwrongwrongwrongwrongwrongwrong00',
        TENCENTCLOUD_SECRET_KEY: 'wrongsecretkeywrongsecretkey0000',
      };
      const read = (profile: string) => runCli(['drift', dir, '--profile', profile], env, { cwd: out });
      expect(await read('ops')).toEqual({
        code: 0,
        stdout: `${dir}: bucket logs-1250000000 (ap-guangzhou): in sync (2 declared jobs)\n`,
        stderr: '',
      });
      const unknown = await read('nope');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toMatch(/^cos-inventory drift: .*code=UnknownProfile .*nope\.credential/);
      expect(unknown.stderr).not.toContain('wrongsecretkeywrongsecretkey0000');
    } finally {
      rmSync(profiles, { recursive: true, force: true });
    }
  });
});
