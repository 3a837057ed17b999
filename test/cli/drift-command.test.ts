/**
 * `cos-inventory drift`: the jobs a synthesized stack declares (`cosinventory_job` resources of
 * its cdk.tf.json) compared with COS, in process against LocalCos (the real SDK over real HTTP).
 * One stack is synthesized by BucketInventory itself; the others by cdktf with job resources
 * written as the construct writes them (the model's attributes, src/model/job-attributes.ts,
 * user text escaped for Terraform), so a case can hold what the construct never writes.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import COS from 'cos-nodejs-sdk-v5';
import type { DriftReport } from '../../src/cli/drift-command';
import { stackQueries } from '../../src/cli/stack-queries';
import { BucketInventory, type InventoryJob } from '../../src/construct';
import { jobsFromConfigurations } from '../../src/construct/job-from-configuration';
import { diffConfigurations } from '../../src/model/compare';
import { generateConfigurations } from '../fixtures/generated-configurations';
import { jobConfiguration } from '../../src/construct/job-configuration';
import { escapeTemplate, escapeTemplates } from '../../src/construct/template-escape';
import type { LocalCos } from '../../src/emulator';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { jobAttributes } from '../../src/model/job-attributes';
import { JOB_RESOURCE_TYPE } from '../../src/provider/names';
import { type Kit, runCli, startKit } from '../kit';
import { putThroughSdk } from './helpers';

const REGION = 'ap-guangzhou';
const SOURCE = 'logs-1250000000';
const DEST = 'reports-1250000000';

/** A `cosinventory_job` with the given attributes, at `cosinventory_job.<name>`. */
class JobResource extends TerraformResource {
  constructor(
    scope: Construct,
    name: string,
    private readonly attributes: Record<string, unknown>,
  ) {
    super(scope, name, { terraformResourceType: JOB_RESOURCE_TYPE });
    this.overrideLogicalId(name);
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return this.attributes;
  }
}

/** The attributes as the construct writes them: user text escaped, in map keys too. */
function escaped(attributes: Record<string, unknown>): Record<string, unknown> {
  const tags = attributes.filter_tags as Record<string, string> | null;
  return {
    ...escapeTemplates(attributes),
    filter_tags:
      tags === null
        ? null
        : Object.fromEntries(Object.entries(tags).map(([k, v]) => [escapeTemplate(k), escapeTemplate(v)])),
  };
}

/** Declares the jobs of `bucket` as `<construct>_job_<id>` resources; returns their configurations. */
function declare(
  stack: TerraformStack,
  construct: string,
  bucket: string,
  jobs: readonly InventoryJob[],
  override: (job: InventoryJob) => Record<string, unknown> = () => ({}),
): InventoryConfiguration[] {
  return jobs.map((job) => {
    const configuration = jobConfiguration(job, REGION);
    new JobResource(stack, `${construct}_job_${job.id}`, {
      ...escaped({ ...jobAttributes(configuration, bucket, REGION) }),
      ...override(job),
    });
    return configuration;
  });
}

const JOBS: InventoryJob[] = [
  { id: 'daily', destination: { bucket: DEST, prefix: 'inv' } },
  // A literal `${` or `%{` reaches COS as written: the stack holds it escaped for Terraform,
  // in values and in the keys of the tag map alike.
  {
    id: 'weekly',
    destination: { bucket: DEST },
    schedule: { frequency: 'Weekly' },
    filter: { prefix: 'a${b}/', tags: { tier: 'cold', '%{directive}': '${value}' } },
  },
];

let kit: Kit;
let local: LocalCos;
let out: string;

/** Synthesizes one stack declaring JOBS on SOURCE; returns its directory and the configurations. */
function synthesize(
  name: string,
  extra?: (stack: TerraformStack) => void,
): { dir: string; configurations: InventoryConfiguration[] } {
  const app = new App({ outdir: out });
  const stack = new TerraformStack(app, name);
  const configurations = declare(stack, 'logs', SOURCE, JOBS);
  extra?.(stack);
  app.synth();
  return { dir: join(out, 'stacks', name), configurations };
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
  test("reads the declared jobs from the stack's cosinventory_job resources, as cos would hold them", () => {
    const { dir, configurations } = synthesize('read');
    const { queries, skipped } = stackQueries(dir);
    expect(skipped).toEqual([]);
    expect(queries).toHaveLength(1);
    const [entry] = queries;
    expect(entry.origin).toBe('cosinventory_job.logs_job_*');
    expect(entry.query).toEqual({ bucket: SOURCE, region: REGION, configurations, addresses: {} });
    expect(entry.addresses).toEqual({
      daily: 'cosinventory_job.logs_job_daily',
      weekly: 'cosinventory_job.logs_job_weekly',
    });
    expect(JSON.stringify(entry.query.configurations)).toContain('"a${b}/"');
    expect(entry.query.configurations[1].Filter?.And?.Tag).toEqual([
      { Key: '%{directive}', Value: '${value}' },
      { Key: 'tier', Value: 'cold' },
    ]);
  });

  test('what BucketInventory synthesizes reads back as the configurations of its jobs, tricky text included', () => {
    const configurations = generateConfigurations(200, 11, { region: REGION, destinations: [DEST] });
    const { jobs } = jobsFromConfigurations(configurations, REGION, 'logs');
    const app = new App({ outdir: out });
    new BucketInventory(new TerraformStack(app, 'construct'), 'logs', {
      bucket: SOURCE,
      region: REGION,
      managePolicy: false,
      jobs,
    });
    app.synth();
    const { queries, skipped } = stackQueries(join(out, 'stacks', 'construct'));
    expect(skipped).toEqual([]);
    expect(queries).toHaveLength(1);
    const read = new Map(queries[0].query.configurations.map((c) => [c.Id, c]));
    expect([...read.keys()].sort()).toEqual(jobs.map((job) => job.id).sort());
    const differing = jobs
      .map((job) => [job.id, diffConfigurations(jobConfiguration(job, REGION), read.get(job.id)!)])
      .filter(([, fields]) => fields.length > 0);
    expect(differing).toEqual([]);
  });

  test('0 in sync, 1 after an out-of-band change, an undeclared job or an absent one', async () => {
    const { dir, configurations } = synthesize('sync');
    await putThroughSdk(local, SOURCE, REGION, configurations);

    expect(await drift([dir])).toEqual({
      code: 0,
      stdout: `${dir}: bucket ${SOURCE} (${REGION}): in sync (2 declared jobs)\n`,
      stderr: '',
    });

    // Out of band: the console changes a job's prefix and adds one nobody declared.
    const changed = { ...configurations[0], Filter: { Prefix: 'other/' } };
    await putThroughSdk(local, SOURCE, REGION, [changed, { ...configurations[1], Id: 'extra' }]);
    const drifted = await drift([dir]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toBe(
      `${dir}: bucket ${SOURCE} (${REGION}): drift\n` +
        `  inventory job daily on bucket ${SOURCE} drifted in Filter\n` +
        `  bucket ${SOURCE} holds inventory jobs not declared here: extra (adopt them with cos-inventory import --bucket ${SOURCE} --region ${REGION}, or delete them if unwanted)\n` +
        '  terraform plan shows cosinventory_job.logs_job_daily as a change; terraform apply restores it\n',
    );

    await sdk().deleteBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'weekly' });
    const absent = await drift([dir], 'json');
    expect(absent.code).toBe(1);
    const [report] = JSON.parse(absent.stdout) as DriftReport[];
    expect(report).toMatchObject({
      origin: 'cosinventory_job.logs_job_*',
      bucket: SOURCE,
      region: REGION,
      inSync: false,
      skipped: [],
    });
    expect(report.result['job.weekly']).toBe('absent');
    expect(report.messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^inventory job weekly is absent: it is missing from bucket/),
        'terraform plan shows cosinventory_job.logs_job_daily, cosinventory_job.logs_job_weekly as changes; terraform apply restores them',
      ]),
    );
  });

  test('a job holding a reference only terraform resolves is named on stderr, not compared, never undeclared', async () => {
    const { dir, configurations } = synthesize('reference', (stack) => {
      const destination = new TerraformVariable(stack, 'destination', { type: 'string' });
      declare(stack, 'logs', SOURCE, [{ id: 'later', destination: { bucket: DEST } }], () => ({
        destination_bucket: destination.stringValue,
      }));
    });
    const { queries, skipped } = stackQueries(dir);
    expect(skipped).toEqual([
      {
        stack: dir,
        address: 'cosinventory_job.logs_job_later',
        attributes: ['destination_bucket'],
        bucket: SOURCE,
        region: REGION,
        jobId: 'later',
      },
    ]);
    expect(queries[0].skippedIds).toEqual(['later']);
    // COS holds it too: declared, so not "undeclared".
    await putThroughSdk(local, SOURCE, REGION, [...configurations, { ...configurations[0], Id: 'later' }]);
    const result = await drift([dir]);
    expect(result).toEqual({
      code: 0,
      stdout: `${dir}: bucket ${SOURCE} (${REGION}): in sync (2 declared jobs, 1 not compared)\n`,
      stderr: `cos-inventory drift: ${dir}: cosinventory_job.logs_job_later not compared: destination_bucket holds a reference only terraform resolves; terraform plan compares it\n`,
    });
  });

  test('--delivery-check: a job never delivered is drift; json lists every stack given', async () => {
    const dirs = [synthesize('first').dir, synthesize('second').dir];
    const { configurations } = synthesize('first');
    await putThroughSdk(local, SOURCE, REGION, configurations);
    expect((await drift(dirs)).code).toBe(0);
    const checked = await drift(dirs, 'json', true);
    expect(checked.code).toBe(1);
    const reports = JSON.parse(checked.stdout) as DriftReport[];
    expect(reports.map((r) => [r.stack, r.inSync, r.result['delivery.daily']])).toEqual([
      [dirs[0], false, 'never'],
      [dirs[1], false, 'never'],
    ]);
  });

  test('no STACK_DIR: every stack under cdktf.out/stacks, each source bucket in order', async () => {
    const project = mkdtempSync(join(tmpdir(), 'drift-project-'));
    try {
      const app = new App({ outdir: join(project, 'cdktf.out') });
      const buckets = Array.from({ length: 20 }, (_, i) => `src${String(i).padStart(2, '0')}-1250000000`);
      const declared: [string, InventoryConfiguration[]][] = [];
      for (const [n, name] of ['a', 'b'].entries()) {
        const stack = new TerraformStack(app, name);
        for (const bucket of buckets.slice(n * 10, n * 10 + 10)) {
          local.createBucket(bucket, REGION);
          const jobs = [{ id: 'daily', destination: { bucket: DEST } }];
          declared.push([bucket, declare(stack, bucket.split('-')[0], bucket, jobs)]);
        }
      }
      app.synth();
      for (const [bucket, configurations] of declared) {
        await putThroughSdk(local, bucket, REGION, configurations);
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

  test('a directory without a json stack, an hcl stack or a stack without jobs is a usage error saying what is expected', async () => {
    const missing = await drift([join(out, 'missing')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /missing\/cdk\.tf\.json: cannot read: no such file; expected a stack directory of `cdktf synth` \(json\)/,
    );
    const hcl = join(out, 'hcl');
    mkdirSync(hcl, { recursive: true });
    writeFileSync(join(hcl, 'cdk.tf'), '');
    expect((await drift([hcl])).stderr).toContain(
      'cannot read: no such file (a stack synthesized with --hcl has only cdk.tf)',
    );
    const app = new App({ outdir: out });
    new TerraformStack(app, 'empty');
    app.synth();
    const empty = await drift([join(out, 'stacks', 'empty')]);
    expect(empty).toMatchObject({
      code: 2,
      stderr: `cos-inventory drift: no inventory job (cosinventory_job resource) in ${join(out, 'stacks', 'empty')}\n`,
    });
  });

  test('a job resource with a bad attribute is a usage error naming the stack, address, field and value', async () => {
    const { dir } = synthesize('bad', (stack) => {
      declare(stack, 'other', 'other-1250000000', [{ id: 'x', destination: { bucket: DEST } }], () => ({
        frequency: 'Hourly',
      }));
    });
    const result = await drift([dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^cos-inventory drift: ${dir}: cosinventory_job\\.other_job_x: .*Schedule\\.Frequency.*Hourly`,
      ),
    );
    const typed = synthesize('typed', (stack) => {
      declare(stack, 'third', 'third-1250000000', [{ id: 'y', destination: { bucket: DEST } }], () => ({
        enabled: 'yes',
      }));
    });
    expect(() => stackQueries(typed.dir)).toThrow(
      `${typed.dir}: cosinventory_job.third_job_y: attribute enabled: expected a boolean (received "yes")`,
    );
  });

  test('a STACK_DIR relative to the working directory is read there and reported as given', async () => {
    const { dir, configurations } = synthesize('relative');
    await putThroughSdk(local, SOURCE, REGION, configurations);
    const relative = dir.slice(out.length + 1);
    const result = await runCli(['drift', relative, '--format', 'json'], kit.env(), { cwd: out });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(result.stdout) as DriftReport[]).map((r) => [r.stack, r.bucket, r.inSync])).toEqual([
      [relative, SOURCE, true],
    ]);
  });

  test('an unreachable endpoint fails with exit 1 and the hint of a network failure', async () => {
    const { dir } = synthesize('unreachable');
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
    const { dir, configurations } = synthesize('profile');
    await putThroughSdk(local, SOURCE, REGION, configurations);
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
