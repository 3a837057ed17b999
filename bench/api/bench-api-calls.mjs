/**
 * Figure 3: COS requests per operation, counted from LocalCos's request log and ASSERTED: a
 * count other than expected (or above its ceiling) is a regression and fails the bench.
 *
 * Terraform is the real binary at its default parallelism, running the `cosinventory` provider
 * that `BucketInventory` ships in the stack directory (one provider process serves every job of
 * a command). Apply and destroy of new jobs run at SMALL jobs, also under COS's read-after-write
 * lag; the plan rows follow applies growing one bucket to 1, 100, 101 and BIG jobs.
 */
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { library, requireFromRoot, scratchDir } from '../common/paths.mjs';
import { fmt, table } from '../common/stats.mjs';
import { memoizeTerraformVersionCheck } from '../common/version-check.mjs';
import { countStarts, writeNodeShim } from '../provider/node-shim.mjs';
import { compareCounts, countRequests } from './request-counts.mjs';
import { TerraformCli, terraformVersion } from './terraform-cli.mjs';

const REGION = 'ap-guangzhou';
const DESTINATION = 'reports-1250000000';
const SMALL_BUCKET = 'small-1250000000';
const BIG_BUCKET = 'big-1250000000';
const LAGGED_BUCKET = 'lagged-1250000000';
/** Read-after-write lag of the second endpoint, as the CLI emulator's default. */
const LAG_MS = 1000;
const OWNER_UIN = '100000000001';
const SMALL = 20;
const BIG = 1000;
const READ_SIZES = [1, 100, 101, 1000];
const PAGE = 100;
/** Attaching the statement to one destination's policy: read the document, write it back. */
const POLICY_ATTACH_MAX = 2;
/** Refreshing the destination grant: one policy read. */
const POLICY_READ_MAX = 1;
/** Destroy: the grant's refresh, then read and write (or delete) the document without our statement. */
const POLICY_DETACH_MAX = 3;
/**
 * A node started from the provider's install directory (its source address is part of the path,
 * `.terraform/providers/<source>/<version>/<platform>/`) is the provider, whatever file it runs.
 */
const PROVIDER_PATH = `/${requireFromRoot('./lib/provider/names.js').PROVIDER_SOURCE}/`;

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

export async function run(ctx) {
  const realVersion = terraformVersion();
  if (realVersion === undefined) {
    throw new Error('no `terraform` on PATH: the request counts are of the real binary running the provider');
  }
  const small = ctx.quick ? 3 : SMALL;
  const big = ctx.quick ? 150 : BIG;
  const readSizes = ctx.quick ? [1, 100, 101, 150] : READ_SIZES;
  const dir = scratchDir('api');
  memoizeTerraformVersionCheck();
  const lib = library();
  const { App, LocalBackend, TerraformStack } = requireFromRoot('cdktf');
  const shim = writeNodeShim(join(dir, 'shim'));

  const constructIds = {
    [SMALL_BUCKET]: 'Small',
    [BIG_BUCKET]: 'Big',
    [LAGGED_BUCKET]: 'Lagged',
  };
  /**
   * Synthesizes one `BucketInventory` into `<dir>/<name>`; a later synth of the same name only
   * replaces the configuration, keeping the lock file and the provider `terraform init` used.
   */
  const synthesized = new Map();
  const synth = (name, bucket, jobList) => {
    // The first synth is the working directory; later ones go beside it.
    const outdir = join(dir, synthesized.has(name) ? `${name}-next` : `${name}-synth`);
    rmSync(outdir, { recursive: true, force: true });
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'stack');
    // Kept outside the stack directory, which every synth rewrites.
    new LocalBackend(stack, { path: join(dir, `${name}-state`, 'terraform.tfstate') });
    new lib.BucketInventory(stack, constructIds[bucket], {
      bucket,
      region: REGION,
      ownerUin: OWNER_UIN,
      jobs: jobList,
    });
    app.synth();
    const fresh = join(outdir, 'stacks', 'stack');
    const config = JSON.parse(readFileSync(join(fresh, 'cdk.tf.json'), 'utf8'));
    const count = Object.keys(config.resource?.cosinventory_job ?? {}).length;
    if (count !== jobList.length) {
      throw new Error(
        `${name}: the stack has ${count} cosinventory_job resources, expected ${jobList.length}`,
      );
    }
    if (!synthesized.has(name)) {
      synthesized.set(name, fresh);
      return fresh;
    }
    const stackDir = synthesized.get(name);
    copyFileSync(join(fresh, 'cdk.tf.json'), join(stackDir, 'cdk.tf.json'));
    return stackDir;
  };

  ctx.step('starting LocalCos');
  const cos = await lib.LocalCos.start();
  const rows = [];
  const regressions = [];
  const unexpected = [];
  /** Runs one terraform command against `endpoint`, counting its requests and node starts. */
  const record = async (endpoint, scenario, expected, action, note = '') => {
    const log = join(dir, `node-${rows.length}.log`);
    endpoint.clearRequestLog();
    const started = performance.now();
    await action(shim.env(log));
    const seconds = (performance.now() - started) / 1000;
    const counts = countRequests(endpoint.requestLog);
    const starts = countStarts(log, PROVIDER_PATH);
    regressions.push(...compareCounts(scenario, counts, expected));
    if (starts.other > 0) {
      regressions.push(`${scenario}: ${starts.other} node processes other than the provider`);
    }
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
      [`${starts.total} node processes, all the provider`, note].filter(Boolean).join('; '),
    ]);
    if (counts.errors.length > 0) unexpected.push(`${scenario}: ${counts.errors.join(', ')}`);
  };
  const envFor = (endpoint) => ({
    ...process.env,
    TENCENTCLOUD_SECRET_ID: endpoint.credentials.secretId,
    TENCENTCLOUD_SECRET_KEY: endpoint.credentials.secretKey,
    COS_INVENTORY_ENDPOINT: endpoint.endpoint,
  });
  const newJobs = (n) => ({
    put: n,
    get: 0,
    delete: 0,
    list: 0,
    policy: { max: POLICY_ATTACH_MAX },
    other: 0,
  });
  try {
    cos.createBucket(SMALL_BUCKET, REGION);
    cos.createBucket(BIG_BUCKET, REGION);
    cos.createBucket(DESTINATION, REGION);
    const env = envFor(cos);

    // Apply and destroy of SMALL new jobs: one PUT each, no read-back.
    const smallStack = synth('small', SMALL_BUCKET, jobs(small));
    const workspace = new TerraformCli(smallStack, join(dir, 'small-private'), env);
    ctx.step(`terraform ${realVersion}: init and apply of ${small} jobs`);
    await workspace.init();
    await record(cos, `apply, ${small} new jobs`, newJobs(small), (extra) => workspace.apply(extra));

    // The same apply against an endpoint with COS's read-after-write lag: still no read.
    ctx.step(`apply of ${small} jobs under a ${LAG_MS} ms read-after-write lag`);
    const lagged = await lib.LocalCos.start({ consistencyLagMs: LAG_MS });
    try {
      lagged.createBucket(LAGGED_BUCKET, REGION);
      lagged.createBucket(DESTINATION, REGION);
      const laggedStack = synth('lagged', LAGGED_BUCKET, jobs(small));
      const laggedWorkspace = new TerraformCli(laggedStack, join(dir, 'lagged-private'), envFor(lagged));
      await laggedWorkspace.init();
      await record(
        lagged,
        `apply, ${small} new jobs, ${LAG_MS} ms lag`,
        newJobs(small),
        (extra) => laggedWorkspace.apply(extra),
        'no read-back wait: apply trusts the PUT',
      );
    } finally {
      await lagged.close();
    }

    // `terraform plan` over a bucket grown by applies: one listing of the bucket per plan.
    const bigWorkspace = new TerraformCli(
      join(dir, 'big-synth', 'stacks', 'stack'),
      join(dir, 'big-private'),
      env,
    );
    let initialized = false;
    for (const size of readSizes) {
      ctx.step(`apply of ${size} jobs, then plan`);
      synth('big', BIG_BUCKET, jobs(size));
      if (!initialized) await bigWorkspace.init();
      initialized = true;
      await bigWorkspace.apply();
      await record(
        cos,
        `plan, ${size} job${size === 1 ? '' : 's'}`,
        { put: 0, get: 0, delete: 0, list: pages(size), policy: { max: POLICY_READ_MAX }, other: 0 },
        async (extra) => {
          const plan = await bigWorkspace.plan(extra);
          if (plan.changes) throw new Error(`plan of ${size} jobs after their apply shows changes`);
        },
      );
    }

    ctx.step(`apply of ${big} jobs, nothing changed`);
    await record(
      cos,
      `apply, ${big} jobs, nothing changed`,
      { put: 0, get: 0, delete: 0, list: pages(big), policy: { max: POLICY_READ_MAX }, other: 0 },
      (extra) => bigWorkspace.apply(extra),
      'the refresh only',
    );
    ctx.step(`apply of one changed job among ${big}`);
    synth('big', BIG_BUCKET, jobs(big, Math.floor(big / 2)));
    await record(
      cos,
      `apply, 1 job changed among ${big}`,
      { put: 1, get: 0, delete: 0, list: pages(big), policy: { max: POLICY_READ_MAX }, other: 0 },
      (extra) => bigWorkspace.apply(extra),
      'in-place update: one PUT',
    );

    ctx.step(`destroy of ${small} jobs`);
    await record(
      cos,
      `destroy, ${small} jobs`,
      {
        put: 0,
        get: 0,
        delete: small,
        list: { max: pages(small) },
        policy: { max: POLICY_DETACH_MAX },
        other: 0,
      },
      (extra) => workspace.destroy(extra),
    );
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
    `Terraform is the real terraform ${realVersion} at its default parallelism (10), running the \`cosinventory\``,
    'provider `BucketInventory` ships in the stack directory; node processes are counted by a `node` shim on PATH.',
    `The plan rows follow applies growing one bucket to each size; the ${big}-job rows follow them.`,
    'Per job, an apply of a new job costs 1 put, a change 1 put, a destroy 1 delete; a refresh ceil(N/100)',
    'lists per bucket whatever N; the destination policy a constant few per apply or destroy.',
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
    `| COS calls: apply of N new jobs | N puts, no get, ≤ ${POLICY_ATTACH_MAX} policy | 1 per job | asserted, also under a ${LAG_MS} ms lag |`,
    `| COS calls: plan of N jobs | ceil(N/100) lists per bucket (10 for 1000) | 1 per 100 jobs | asserted |`,
    `| COS calls: change 1 job of ${big} | 1 put (+ ${pages(big)} lists, refresh) | 1 | asserted |`,
  ];
  return { markdown: lines.join('\n'), readme, regressions };
}
