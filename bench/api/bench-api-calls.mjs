/**
 * Figure 3: COS requests per operation, counted from LocalCos's request log and ASSERTED: a
 * count above its expected value is a regression and fails the bench.
 *
 * Terraform is played by the project's lifecycle harness (test/lifecycle/harness, bundled here
 * with esbuild), which runs each provisioner as its own `node dist/handler.js` process, as
 * Terraform does. Applying and destroying 1000 jobs that way would take minutes, so apply and
 * destroy run at SMALL jobs; the 1000-job figures start from a state the harness derives from
 * the previous configuration (as if it had been applied) over a bucket seeded through the SDK.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runChild } from '../common/child.mjs';
import { HANDLER, ROOT, library, requireFromRoot, scratchDir } from '../common/paths.mjs';
import { fmt, table } from '../common/stats.mjs';
import { memoizeTerraformVersionCheck } from '../common/version-check.mjs';
import { compareCounts, countRequests } from './request-counts.mjs';
import { TerraformCli, terraformVersion } from './terraform-cli.mjs';

const REGION = 'ap-guangzhou';
const DESTINATION = 'reports-1250000000';
const SMALL_BUCKET = 'small-1250000000';
const BIG_BUCKET = 'big-1250000000';
const REAL_BUCKET = 'real-1250000000';
const LAGGED_BUCKET = 'lagged-1250000000';
/** Read-after-write lag of the second endpoint, as the CLI emulator's default. */
const LAG_MS = 1000;
/**
 * Under that lag a read-back polls at 0, 100, 300, 700, 1500 ms: at most this many GETs per
 * job (the window is 10 s; more would mean the backoff is broken).
 */
const LAGGED_GETS_PER_JOB = 6;
/** attach-policy under lag: read, write, up to 6 read-backs, read after the settle delay. */
const LAGGED_POLICY_EDIT_MAX = 9;
const OWNER_UIN = '100000000001';
const SMALL = 20;
/** Jobs applied by the real terraform binary, at its default parallelism. */
const REAL = 100;
const BIG = 1000;
const READ_SIZES = [1, 100, 101, 1000];
const PAGE = 100;
/** attach-policy: read, write, read back, read after the settle delay; detach likewise. */
const POLICY_EDIT_MAX = 4;

const pad = (n) => String(n).padStart(4, '0');
/** List requests to read N jobs: one page per 100, and one for an empty bucket. */
const pages = (n) => Math.max(1, Math.ceil(n / PAGE));

function jobs(count, changed) {
  return Array.from({ length: count }, (_, i) => ({
    id: `job-${pad(i)}`,
    destination: { bucket: DESTINATION, prefix: 'inv', accountId: OWNER_UIN },
    schedule: { frequency: i === changed ? 'Weekly' : 'Daily' },
  }));
}

async function bundleHarness(dir) {
  const { build } = requireFromRoot('esbuild');
  const outfile = join(dir, 'harness.cjs');
  await build({
    entryPoints: [join(ROOT, 'test', 'lifecycle', 'harness', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Dependencies (e.g. @cdktf/hcl2json and its wasm) load from node_modules at run time.
    packages: 'external',
    logLevel: 'warning',
  });
  return requireFromRoot(outfile);
}

export async function run(ctx) {
  const small = ctx.quick ? 3 : SMALL;
  const big = ctx.quick ? 150 : BIG;
  const readSizes = ctx.quick ? [1, 100, 101, 150] : READ_SIZES;
  const dir = scratchDir('api');
  ctx.step('bundling the lifecycle harness');
  const harness = await bundleHarness(dir);
  memoizeTerraformVersionCheck();
  const lib = library();
  const { App, LocalBackend, TerraformStack } = requireFromRoot('cdktf');
  const COS = requireFromRoot('cos-nodejs-sdk-v5');

  const constructIds = {
    [SMALL_BUCKET]: 'Small',
    [BIG_BUCKET]: 'Big',
    [REAL_BUCKET]: 'Real',
    [LAGGED_BUCKET]: 'Lagged',
  };
  const synth = (name, bucket, jobList, options = {}) => {
    const outdir = join(dir, name);
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'stack');
    // Kept outside the stack directory, which every synth rewrites.
    if (options.statePath) new LocalBackend(stack, { path: options.statePath });
    new lib.BucketInventory(stack, constructIds[bucket], {
      bucket,
      region: REGION,
      ownerUin: OWNER_UIN,
      jobs: jobList,
      ...(options.driftCheck === false ? { driftCheck: false } : {}),
    });
    app.synth();
    const stackDir = join(outdir, 'stacks', 'stack');
    return {
      stackDir,
      config: JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')),
    };
  };

  ctx.step('starting LocalCos');
  const cos = await lib.LocalCos.start();
  let realVersion;
  const rows = [];
  const regressions = [];
  const unexpected = [];
  const record = async (scenario, expected, action, note = '') => {
    cos.clearRequestLog();
    const started = performance.now();
    const detail = await action();
    const seconds = (performance.now() - started) / 1000;
    const counts = countRequests(cos.requestLog);
    regressions.push(...compareCounts(scenario, counts, expected));
    const shown = (field) =>
      typeof expected[field] === 'object'
        ? `${counts[field]} (≤ ${expected[field].max})`
        : String(counts[field]);
    rows.push([
      scenario,
      shown('put'),
      shown('get'),
      shown('list'),
      shown('delete'),
      shown('policy'),
      String(counts.total),
      fmt(seconds, 1),
      [note, detail].filter(Boolean).join('; '),
    ]);
    if (counts.errors.length > 0) unexpected.push(`${scenario}: ${counts.errors.join(', ')}`);
  };
  try {
    cos.createBucket(SMALL_BUCKET, REGION);
    cos.createBucket(BIG_BUCKET, REGION);
    cos.createBucket(REAL_BUCKET, REGION);
    cos.createBucket(DESTINATION, REGION);
    const env = {
      ...process.env,
      TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
      COS_INVENTORY_ENDPOINT: cos.endpoint,
      // Only shortens the wait between the policy read-backs; the requests are the same.
      COS_INVENTORY_POLICY_SETTLE_MS: '50',
    };
    const expectNoErrors = (result, what) => {
      if (!result.ok || result.errors.length > 0) throw new Error(`${what}: ${result.errors.join(' | ')}`);
      if (result.warnings.length > 0)
        throw new Error(`${what}: check warnings: ${result.warnings.map((w) => w.detail).join(' | ')}`);
      return `${result.runs.length} provisioner processes`;
    };

    // Apply and destroy of SMALL jobs, every provisioner run as its own process.
    ctx.step(`synth and apply of ${small} jobs`);
    const smallStack = synth('small', SMALL_BUCKET, jobs(small));
    const workspace = new harness.TerraformWorkspace(smallStack.stackDir, env);
    await record(
      `apply, ${small} new jobs`,
      { put: small, get: small, delete: 0, list: pages(small), policy: { max: POLICY_EDIT_MAX }, other: 0 },
      async () => expectNoErrors(await workspace.apply(), 'apply'),
      'the drift check reads once, after apply',
    );

    // The same apply against an endpoint with COS's read-after-write lag: every read-back that
    // saw the old state is counted.
    ctx.step(`apply of ${small} jobs under a ${LAG_MS} ms read-after-write lag`);
    const lagged = await lib.LocalCos.start({ consistencyLagMs: LAG_MS });
    try {
      lagged.createBucket(LAGGED_BUCKET, REGION);
      lagged.createBucket(DESTINATION, REGION);
      const laggedStack = synth('lagged', LAGGED_BUCKET, jobs(small), { driftCheck: false });
      const laggedWorkspace = new harness.TerraformWorkspace(laggedStack.stackDir, {
        ...env,
        COS_INVENTORY_ENDPOINT: lagged.endpoint,
        TENCENTCLOUD_SECRET_ID: lagged.credentials.secretId,
        TENCENTCLOUD_SECRET_KEY: lagged.credentials.secretKey,
      });
      lagged.clearRequestLog();
      const started = performance.now();
      const detail = expectNoErrors(await laggedWorkspace.apply(), 'apply under lag');
      const seconds = (performance.now() - started) / 1000;
      const counts = countRequests(lagged.requestLog);
      const expected = {
        put: small,
        get: { max: small * LAGGED_GETS_PER_JOB },
        delete: 0,
        list: 0,
        policy: { max: LAGGED_POLICY_EDIT_MAX },
        other: 0,
      };
      const scenario = `apply, ${small} new jobs, ${LAG_MS} ms lag`;
      regressions.push(...compareCounts(scenario, counts, expected));
      if (counts.get <= small) regressions.push(`${scenario}: no read-back saw the lag (${counts.get} gets)`);
      rows.push([
        scenario,
        String(counts.put),
        `${counts.get} (≤ ${expected.get.max})`,
        String(counts.list),
        String(counts.delete),
        `${counts.policy} (≤ ${expected.policy.max})`,
        String(counts.total),
        fmt(seconds, 1),
        `${detail}; read-backs that saw the old state are counted (404s expected)`,
      ]);
    } finally {
      await lagged.close();
    }

    // The drift check's read (the external data source, at every plan) for growing buckets.
    const sdk = new COS(cos.sdkOptions());
    const all = jobs(big);
    let seeded = 0;
    for (const size of readSizes) {
      ctx.step(`seeding the bucket up to ${size} jobs through the SDK`);
      for (; seeded < size; seeded++) {
        await sdk.putBucketInventory({
          Bucket: BIG_BUCKET,
          Region: REGION,
          Id: all[seeded].id,
          InventoryConfiguration: lib.jobConfiguration(all[seeded], REGION),
        });
      }
      ctx.step(`read of ${size} jobs`);
      const query = {
        bucket: BIG_BUCKET,
        region: REGION,
        configurations: JSON.stringify(all.slice(0, size).map((job) => lib.jobConfiguration(job, REGION))),
        addresses: '{}',
      };
      await record(
        `plan: drift-check read of ${size} job${size === 1 ? '' : 's'}`,
        { put: 0, get: 0, delete: 0, list: pages(size), policy: 0, other: 0 },
        async () => {
          const result = await runChild([process.execPath, HANDLER, 'read'], {
            env,
            input: JSON.stringify(query),
          });
          if (result.code !== 0) throw new Error(`read exited with ${result.code}: ${result.stderr.trim()}`);
          const answer = JSON.parse(result.stdout);
          if (answer.in_sync !== 'true' || answer.remote_count !== String(size)) {
            throw new Error(
              `read of ${size} jobs answered in_sync=${answer.in_sync} remote_count=${answer.remote_count}`,
            );
          }
          return 'one `node dist/handler.js read`';
        },
      );
    }

    ctx.step(`synth of ${big} jobs, before and after changing one`);
    const before = synth('big-before', BIG_BUCKET, jobs(big));
    const after = synth('big-after', BIG_BUCKET, jobs(big, Math.floor(big / 2)));
    writeFileSync(join(dir, 'big-before.tf.json'), JSON.stringify(before.config));
    await record(
      `plan and apply, ${big} jobs, nothing changed`,
      { put: 0, get: 0, delete: 0, list: 2 * pages(big), policy: 0, other: 0 },
      async () =>
        expectNoErrors(
          await harness.terraformApply({
            stackDir: before.stackDir,
            config: before.config,
            previous: before.config,
            env,
          }),
          'no-op apply',
        ),
      'the drift check reads at plan and after apply',
    );
    ctx.step(`apply of one changed job among ${big}`);
    await record(
      `apply, 1 job changed among ${big}`,
      { put: 1, get: 1, delete: 0, list: pages(big), policy: 0, other: 0 },
      async () =>
        expectNoErrors(
          await harness.terraformApply({
            stackDir: after.stackDir,
            config: after.config,
            previous: before.config,
            env,
          }),
          'change apply',
        ),
      'replace, create_before_destroy: put-job only (PUT overwrites by id)',
    );

    ctx.step(`destroy of ${small} jobs`);
    await record(
      `destroy, ${small} jobs`,
      {
        put: 0,
        get: 0,
        delete: small,
        list: { max: pages(small) },
        policy: { max: POLICY_EDIT_MAX },
        other: 0,
      },
      async () => expectNoErrors(await workspace.destroy(), 'destroy'),
      'prune finds nothing to delete',
    );

    // The same operations with the real terraform binary, when there is one. Its drift check
    // is off: the `hashicorp/external` provider cannot be installed offline.
    realVersion = terraformVersion();
    if (realVersion !== undefined) {
      const real = ctx.quick ? 5 : REAL;
      const statePath = join(dir, 'real-state', 'terraform.tfstate');
      const options = { statePath, driftCheck: false };
      ctx.step(`real terraform ${realVersion}: init and apply of ${real} jobs`);
      const first = synth('real', REAL_BUCKET, jobs(real), options);
      const terraform = new TerraformCli(first.stackDir, join(dir, 'real-private'), env);
      await terraform.init();
      const processes = (n) => `terraform ${realVersion}, ${n} provisioner processes`;
      await record(
        `terraform apply, ${real} new jobs`,
        { put: real, get: real, delete: 0, list: 0, policy: { max: POLICY_EDIT_MAX }, other: 0 },
        async () => (await terraform.apply(), processes(real + 1)),
      );
      ctx.step(`real terraform: apply of one changed job among ${real}`);
      synth('real', REAL_BUCKET, jobs(real, Math.floor(real / 2)), options);
      await record(
        `terraform apply, 1 job changed among ${real}`,
        { put: 1, get: 1, delete: 0, list: 0, policy: 0, other: 0 },
        async () => (await terraform.apply(), processes(2)),
      );
      ctx.step(`real terraform: destroy of ${real} jobs`);
      await record(
        `terraform destroy, ${real} jobs`,
        { put: 0, get: 0, delete: real, list: 0, policy: { max: POLICY_EDIT_MAX }, other: 0 },
        async () => (await terraform.destroy(), processes(real + 2)),
      );
    }
  } finally {
    await cos.close();
  }

  ctx.step('writing the results');
  const lines = [
    '## 3. COS API calls per operation',
    '',
    "Counted from LocalCos's request log. *put*, *get*, *delete*: inventory calls naming one job;",
    '*list*: `GET /?inventory` pages (100 jobs each); *policy*: destination-policy calls (GET, PUT,',
    'DELETE `/?policy`). Expected values are asserted: `(≤ n)` is a ceiling, any other value exact.',
    `Terraform is played by test/lifecycle/harness: apply and destroy ran ${small} jobs, each`,
    'provisioner its own `node dist/handler.js` process; the plan reads ran the `read` verb as the',
    `\`external\` data source does; the ${big}-job rows started from a state derived from the`,
    'previous configuration (as if applied) over a bucket seeded with the same jobs through the SDK.',
    realVersion === undefined
      ? 'No `terraform` binary was found, so the counts were not checked against real Terraform.'
      : `Rows starting with \`terraform\` ran the real terraform ${realVersion} (default parallelism 10,`,
    realVersion === undefined
      ? ''
      : 'drift check off: its `hashicorp/external` provider cannot be installed offline).',
    'Per job, an apply costs 1 put + 1 get; a destroy 1 delete; a plan ceil(N/100) lists whatever',
    'N; the destination policy a constant few per apply or destroy.',
    '',
    table(['operation', 'put', 'get', 'list', 'delete', 'policy', 'total', 's', 'notes'], rows),
    '',
    regressions.length === 0
      ? 'Every count is as expected.'
      : `**${regressions.length} count(s) regressed** (listed at the top).`,
    '',
  ];
  if (unexpected.length > 0) {
    lines.push(
      'Error answers seen (expected ones: a first policy read of a bucket without a policy is 404):',
      '',
      ...unexpected.map((u) => `- ${u}`),
      '',
    );
  }
  const readme = [
    `| COS calls: apply of N jobs | N puts + N gets + ≤ ${POLICY_EDIT_MAX} policy | 2 per job | asserted |`,
    `| COS calls: plan of N jobs | ceil(N/100) lists (10 for 1000) | 1 per 100 jobs | asserted |`,
    `| COS calls: change 1 job of ${big} | 1 put + 1 get, no delete (+ ${pages(big)} lists, drift check) | 2 | asserted |`,
  ];
  return { markdown: lines.join('\n'), readme, regressions };
}
