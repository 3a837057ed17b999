/**
 * Figure 3: COS requests per operation, counted from LocalCos's request log and ASSERTED: a
 * count above its expected value is a regression and fails the bench.
 *
 * Terraform is the real binary (when none is on PATH, only the drift-check reads run), at its
 * default parallelism, each provisioner its own `node dist/handler.js` process; the drift
 * check's `hashicorp/external` comes from the terraform-mirror. Apply and destroy of new jobs
 * run at SMALL jobs; the BIG-job rows (nothing changed, one job changed) follow a real apply of
 * BIG jobs over a bucket already holding them (seeded through the SDK for the read rows).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runChild } from '../common/child.mjs';
import { HANDLER, library, requireFromRoot, scratchDir } from '../common/paths.mjs';
import { fmt, table } from '../common/stats.mjs';
import { memoizeTerraformVersionCheck } from '../common/version-check.mjs';
import { compareCounts, countRequests } from './request-counts.mjs';
import { TerraformCli, terraformVersion } from './terraform-cli.mjs';
import { writeMirror } from '../../scripts/terraform-mirror.mjs';

const REGION = 'ap-guangzhou';
const DESTINATION = 'reports-1250000000';
const SMALL_BUCKET = 'small-1250000000';
const BIG_BUCKET = 'big-1250000000';
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

export async function run(ctx) {
  const small = ctx.quick ? 3 : SMALL;
  const big = ctx.quick ? 150 : BIG;
  const readSizes = ctx.quick ? [1, 100, 101, 150] : READ_SIZES;
  const dir = scratchDir('api');
  memoizeTerraformVersionCheck();
  const realVersion = terraformVersion();
  ctx.step('writing the terraform-mirror');
  const cliConfig = await writeMirror(join(dir, 'mirror'));
  const lib = library();
  const { App, LocalBackend, TerraformStack } = requireFromRoot('cdktf');
  const COS = requireFromRoot('cos-nodejs-sdk-v5');

  const constructIds = {
    [SMALL_BUCKET]: 'Small',
    [BIG_BUCKET]: 'Big',
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
    cos.createBucket(DESTINATION, REGION);
    const env = {
      ...process.env,
      TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
      COS_INVENTORY_ENDPOINT: cos.endpoint,
      // Only shortens the wait between the policy read-backs; the requests are the same.
      COS_INVENTORY_POLICY_SETTLE_MS: '50',
    };
    /** Runs a terraform command; its output must carry no warning (the drift check stays quiet). */
    const quiet = async (what, command, processes) => {
      const output = await command();
      if (/^Warning: /m.test(output)) throw new Error(`${what}: terraform warned:\n${output}`);
      return `terraform ${realVersion}, ${processes} provisioner processes`;
    };
    let seeded = 0;

    // Apply and destroy of SMALL jobs, every provisioner run as its own process.
    const smallStack = synth('small', SMALL_BUCKET, jobs(small), {
      statePath: join(dir, 'small-state', 'tfstate'),
    });
    const workspace = new TerraformCli(smallStack.stackDir, join(dir, 'small-private'), env, cliConfig);
    if (realVersion !== undefined) {
      ctx.step(`terraform ${realVersion}: init and apply of ${small} jobs`);
      await workspace.init();
      await record(
        `apply, ${small} new jobs`,
        { put: small, get: small, delete: 0, list: pages(small), policy: { max: POLICY_EDIT_MAX }, other: 0 },
        () => quiet('apply', () => workspace.apply(), small + 1),
        'the drift check reads once, after apply',
      );
    }

    // The same apply against an endpoint with COS's read-after-write lag: every read-back that
    // saw the old state is counted.
    const lagged =
      realVersion === undefined ? undefined : await lib.LocalCos.start({ consistencyLagMs: LAG_MS });
    if (lagged) ctx.step(`apply of ${small} jobs under a ${LAG_MS} ms read-after-write lag`);
    if (lagged)
      try {
        lagged.createBucket(LAGGED_BUCKET, REGION);
        lagged.createBucket(DESTINATION, REGION);
        const laggedStack = synth('lagged', LAGGED_BUCKET, jobs(small), {
          driftCheck: false,
          statePath: join(dir, 'lagged-state', 'tfstate'),
        });
        const laggedWorkspace = new TerraformCli(laggedStack.stackDir, join(dir, 'lagged-private'), {
          ...env,
          COS_INVENTORY_ENDPOINT: lagged.endpoint,
          TENCENTCLOUD_SECRET_ID: lagged.credentials.secretId,
          TENCENTCLOUD_SECRET_KEY: lagged.credentials.secretKey,
        });
        await laggedWorkspace.init();
        lagged.clearRequestLog();
        const started = performance.now();
        const detail = await quiet('apply under lag', () => laggedWorkspace.apply(), small + 1);
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
        if (counts.get <= small)
          regressions.push(`${scenario}: no read-back saw the lag (${counts.get} gets)`);
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

    if (realVersion !== undefined) {
      // The bucket holds the BIG jobs already (seeded above): the first apply puts each again.
      ctx.step(`terraform ${realVersion}: apply of ${big} jobs over a bucket holding them`);
      const statePath = join(dir, 'big-state', 'tfstate');
      const bigStack = synth('big', BIG_BUCKET, jobs(big), { statePath });
      const bigWorkspace = new TerraformCli(bigStack.stackDir, join(dir, 'big-private'), env, cliConfig);
      await bigWorkspace.init();
      await quiet('apply', () => bigWorkspace.apply(), big + 1);
      ctx.step(`plan and apply of ${big} jobs, nothing changed`);
      await record(
        `plan and apply, ${big} jobs, nothing changed`,
        { put: 0, get: 0, delete: 0, list: 2 * pages(big), policy: 0, other: 0 },
        () => quiet('no-op apply', () => bigWorkspace.apply(), 0),
        'the drift check reads at plan and again after apply',
      );
      ctx.step(`apply of one changed job among ${big}`);
      synth('big', BIG_BUCKET, jobs(big, Math.floor(big / 2)), { statePath });
      await record(
        `apply, 1 job changed among ${big}`,
        { put: 1, get: 1, delete: 0, list: pages(big), policy: 0, other: 0 },
        () => quiet('change apply', () => bigWorkspace.apply(), 1),
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
        () => quiet('destroy', () => workspace.destroy(), small + 2),
        'prune finds nothing to delete',
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
    realVersion === undefined
      ? 'No `terraform` binary was found: only the drift-check reads ran (the `read` verb, as the `external` data source runs it).'
      : `Terraform is the real terraform ${realVersion} at its default parallelism (10), each provisioner its own \`node dist/handler.js\``,
    realVersion === undefined
      ? ''
      : `process, the drift check's \`hashicorp/external\` from the terraform-mirror; the plan reads ran the \`read\` verb as that`,
    realVersion === undefined
      ? ''
      : `data source does; the ${big}-job rows follow a real apply of ${big} jobs over a bucket holding them.`,
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
