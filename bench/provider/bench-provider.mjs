/**
 * Figure 8: the `cosinventory` provider under the real `terraform`, against LocalCos with the
 * CLI emulator's default read-after-write lag (1 s). In one run:
 *
 * - the floor: apply + destroy of 10 bare `terraform_data` whose create and destroy
 *   provisioners run `node -e ''` (median of a few cycles);
 * - Terraform alone: apply + destroy of one `terraform_data` per job holding its attributes;
 * - BUCKETS × PER_BUCKET jobs (one prefix per source bucket, one shared destination), as
 *   `BucketInventory` synthesizes them: apply, `terraform plan` (refresh), an apply changing
 *   every job, an apply changing one job, destroy; each command's time, COS requests and Node
 *   processes (a `node` shim first on PATH logs every start).
 *
 * Targets: apply + destroy <= 3 x floor + lag (reported, not enforced); Node processes of the
 * apply changing every job = those of the apply changing one (Terraform's own plugin starts),
 * all of them the provider (reported); list requests per bucket at plan <= ceil(N/100)
 * (asserted: a regression fails the bench).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { library, requireFromRoot, scratchDir } from '../common/paths.mjs';
import { fmt, fmtSummary, summarize, table } from '../common/stats.mjs';
import { memoizeTerraformVersionCheck } from '../common/version-check.mjs';
import { countRequests } from '../api/request-counts.mjs';
import { TerraformCli, terraformVersion } from '../api/terraform-cli.mjs';
import { countStarts, writeNodeShim } from './node-shim.mjs';
import {
  DESTINATION,
  REGION,
  resynthJobsStack,
  sourceBucket,
  synthJobsStack,
  writeFloorStack,
  writeTerraformAloneStack,
} from './stacks.mjs';

/** The CLI emulator's default read-after-write lag. */
const LAG_MS = 1000;
const FLOOR_RESOURCES = 10;
const FLOOR_RUNS = 5;
const BUCKETS = 10;
const PER_BUCKET = 100;
/** COS pages an inventory listing by 100. */
const PAGE = 100;
/**
 * A node started from the provider's install directory (its source address is part of the path,
 * `.terraform/providers/<source>/<version>/<platform>/`) is the provider, whatever file it runs.
 */
const PROVIDER_PATH = `/${requireFromRoot('./lib/provider/names.js').PROVIDER_SOURCE}/`;

const seconds = (ms) => ms / 1000;

/** Runs `action`, returns `{ s, result }`. */
async function timed(action) {
  const started = performance.now();
  const result = await action();
  return { s: seconds(performance.now() - started), result };
}

export async function run(ctx) {
  const version = terraformVersion();
  if (version === undefined) throw new Error('no `terraform` on PATH: this figure runs the real binary');
  const quick = ctx.quick;
  const buckets = quick ? 2 : BUCKETS;
  const perBucket = quick ? 120 : PER_BUCKET;
  const floorRuns = quick ? 1 : FLOOR_RUNS;
  const jobs = buckets * perBucket;
  const pagesPerBucket = Math.max(1, Math.ceil(perBucket / PAGE));
  const dir = scratchDir('provider');
  memoizeTerraformVersionCheck();
  const lib = library();
  const { createCosClient } = requireFromRoot('./lib/cos/index.js');
  const { listAllInventories } = requireFromRoot('./lib/cos/inventory.js');

  // The floor, first: nothing else runs meanwhile.
  ctx.step(`floor: ${floorRuns} apply + destroy cycles of ${FLOOR_RESOURCES} bare terraform_data`);
  const floorDir = writeFloorStack(join(dir, 'floor'), FLOOR_RESOURCES);
  const floor = new TerraformCli(floorDir, join(dir, 'floor-private'), process.env);
  await floor.init();
  const floorSamples = { apply: [], destroy: [], cycle: [] };
  for (let i = 0; i < floorRuns; i++) {
    const apply = await timed(() => floor.apply());
    const destroy = await timed(() => floor.destroy());
    floorSamples.apply.push(apply.s);
    floorSamples.destroy.push(destroy.s);
    floorSamples.cycle.push(apply.s + destroy.s);
  }
  const floorStats = {
    apply: summarize(floorSamples.apply),
    destroy: summarize(floorSamples.destroy),
    cycle: summarize(floorSamples.cycle),
  };

  ctx.step(`starting LocalCos with a ${LAG_MS} ms read-after-write lag`);
  const cos = await lib.LocalCos.start({ consistencyLagMs: LAG_MS });
  const rows = [];
  const regressions = [];
  const errors = [];
  const figures = {};
  try {
    for (let b = 0; b < buckets; b++) cos.createBucket(sourceBucket(b), REGION);
    cos.createBucket(DESTINATION, REGION);
    const env = {
      ...process.env,
      TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
      COS_INVENTORY_ENDPOINT: cos.endpoint,
    };
    const client = await createCosClient({
      endpoint: cos.endpoint,
      secretId: cos.credentials.secretId,
      secretKey: cos.credentials.secretKey,
    });
    /** Jobs per source bucket as COS lists them once the lag has passed (requests not counted). */
    const jobsInCos = async () => {
      await sleep(LAG_MS + 100);
      const counts = [];
      for (let b = 0; b < buckets; b++) {
        const listing = await listAllInventories(client, { bucket: sourceBucket(b), region: REGION });
        counts.push(listing.configurations.length);
      }
      cos.clearRequestLog();
      return counts;
    };
    const expectJobs = async (when, want) => {
      const counts = await jobsInCos();
      if (counts.some((n) => n !== want)) {
        throw new Error(`${when}: COS holds ${counts.join(', ')} jobs per bucket, expected ${want} in each`);
      }
    };

    const shim = writeNodeShim(join(dir, 'shim'));
    const frequencyOf = (changed) => (b, i) => (changed(b, i) ? 'Weekly' : 'Daily');
    const options = (changed) => ({
      buckets,
      perBucket,
      frequency: frequencyOf(changed),
      statePath: join(dir, 'state', 'terraform.tfstate'),
    });
    ctx.step(`synthesizing ${buckets} BucketInventory × ${perBucket} jobs`);
    const synthStarted = performance.now();
    const stackDir = synthJobsStack(
      join(dir, 'app'),
      options(() => false),
    );
    const synthSeconds = seconds(performance.now() - synthStarted);
    const workspace = new TerraformCli(stackDir, join(dir, 'jobs-private'), env);

    // Terraform alone: the same number of resources with the same attributes in state, no
    // provider and no provisioner (the bound no provider can go below).
    ctx.step(`Terraform alone: apply + destroy of ${jobs} terraform_data carrying the jobs' attributes`);
    const alone = new TerraformCli(
      writeTerraformAloneStack(join(dir, 'alone'), stackDir),
      join(dir, 'alone-private'),
      process.env,
    );
    await alone.init();
    figures.aloneApply = (await timed(() => alone.apply())).s;
    figures.aloneDestroy = (await timed(() => alone.destroy())).s;

    /** Runs one terraform command with the shim and a fresh request log; records its row. */
    const measure = async (label, action) => {
      const log = join(dir, `node-${rows.length}.log`);
      cos.clearRequestLog();
      const { s, result } = await timed(() => action(shim.env(log)));
      const counts = countRequests(cos.requestLog);
      const starts = countStarts(log, PROVIDER_PATH);
      if (counts.errors.length > 0) errors.push(`${label}: ${counts.errors.slice(0, 5).join(', ')}`);
      const listsPerBucket = new Map();
      for (const entry of cos.requestLog) {
        if (entry.subresource === 'inventory' && entry.method === 'GET' && entry.id === undefined) {
          listsPerBucket.set(entry.bucket, (listsPerBucket.get(entry.bucket) ?? 0) + 1);
        }
      }
      rows.push([
        label,
        fmt(s, 1),
        workspace.lastCpuSeconds === undefined ? 'n/a' : fmt(workspace.lastCpuSeconds - starts.cpuSeconds, 1),
        `${starts.total} (${starts.provider} provider)`,
        fmt(starts.cpuSeconds, 1),
        String(counts.put),
        String(counts.get),
        String(counts.list),
        String(counts.delete),
        String(counts.policy),
        String(counts.total),
      ]);
      return { s, counts, starts, listsPerBucket, result };
    };

    ctx.step('terraform init (installs the provider from terraform.d/plugins)');
    await measure('`terraform init`', (extra) => workspace.init(extra));

    ctx.step(`apply of ${jobs} new jobs`);
    const create = await measure(`apply, ${jobs} new jobs`, (extra) => workspace.apply(extra));
    if (create.starts.total === 0) {
      throw new Error('the apply logged no node start: the provider wrapper does not run `node` from PATH');
    }
    await expectJobs('after the apply', perBucket);

    ctx.step(`terraform plan of ${jobs} jobs (refresh; the lag has passed)`);
    const plan = await measure(`\`terraform plan\`, ${jobs} jobs, nothing changed`, (extra) =>
      workspace.plan(extra),
    );
    if (plan.result.changes) {
      throw new Error(
        `terraform plan right after the apply shows changes:\n${plan.result.output.slice(-1500)}`,
      );
    }
    for (let b = 0; b < buckets; b++) {
      const lists = plan.listsPerBucket.get(sourceBucket(b)) ?? 0;
      if (lists > pagesPerBucket) {
        regressions.push(
          `provider: terraform plan of ${jobs} jobs: ${lists} list requests for ${sourceBucket(b)}, expected at most ${pagesPerBucket}`,
        );
      }
    }
    if (plan.counts.put + plan.counts.delete > 0) {
      regressions.push(
        `provider: terraform plan wrote to COS (${plan.counts.put} puts, ${plan.counts.delete} deletes)`,
      );
    }

    ctx.step(`apply changing every job (frequency Daily -> Weekly)`);
    resynthJobsStack(
      stackDir,
      join(dir, 'app-next'),
      options(() => true),
    );
    const changeAll = await measure(`apply, every job changed (${jobs})`, (extra) => workspace.apply(extra));
    if (changeAll.counts.put !== jobs) {
      throw new Error(`the apply changing every job sent ${changeAll.counts.put} PUTs, expected ${jobs}`);
    }

    await sleep(LAG_MS + 100);
    ctx.step('apply changing one job (Terraform\u2019s own plugin starts)');
    resynthJobsStack(
      stackDir,
      join(dir, 'app-next'),
      options((b, i) => !(b === 0 && i === 0)),
    );
    const changeOne = await measure('apply, 1 job changed', (extra) => workspace.apply(extra));
    if (changeOne.counts.put !== 1) {
      throw new Error(`the apply changing one job sent ${changeOne.counts.put} PUTs, expected 1`);
    }

    await sleep(LAG_MS + 100);
    ctx.step(`destroy of ${jobs} jobs`);
    const destroy = await measure(`destroy, ${jobs} jobs`, (extra) => workspace.destroy(extra));
    await expectJobs('after the destroy', 0);

    figures.synthSeconds = synthSeconds;
    figures.create = create;
    figures.plan = plan;
    figures.changeAll = changeAll;
    figures.changeOne = changeOne;
    figures.destroy = destroy;
  } finally {
    await cos.close();
  }

  ctx.step('writing the results');
  const { create, plan, changeAll, changeOne, destroy } = figures;
  const floorS = floorStats.cycle.median;
  const lagS = seconds(LAG_MS);
  const total = create.s + destroy.s;
  const aloneTotal = figures.aloneApply + figures.aloneDestroy;
  const limit = 3 * floorS + lagS;
  const factor = (total - lagS) / floorS;
  const timeMet = total <= limit;
  const protocolStarts = changeOne.starts.total;
  const processesMet = changeAll.starts.other === 0 && changeAll.starts.total <= protocolStarts;
  const maxLists = Math.max(...[...plan.listsPerBucket.values()], 0);
  const listsMet = maxLists <= pagesPerBucket;
  const lines = [
    '## 8. Terraform provider',
    '',
    `Real terraform ${version} at its default parallelism (10) against LocalCos in the bench process, with a`,
    `${LAG_MS} ms read-after-write lag (the CLI emulator's default). *Floor*: ${floorRuns} apply + destroy cycles of`,
    `${FLOOR_RESOURCES} bare \`terraform_data\` whose create and destroy \`local-exec\` provisioners run \`node -e ''\`.`,
    `*Jobs*: ${buckets} \`BucketInventory\` × ${perBucket} jobs (one destination prefix per source bucket, one shared`,
    `destination) as a user's app synthesizes them (synth: ${fmt(figures.synthSeconds, 1)} s, not counted), the provider installed by`,
    '`terraform init` from the stack directory. Each command waits out the lag after the previous one wrote.',
    '*Node processes*: starts of `node` logged by a shim first on PATH (the provider wrapper runs `node` from PATH);',
    '*CPU s*: user + system time of terraform itself (GNU time, minus its children) and of those node processes.',
    '',
    table(
      ['floor', 'runs', 'apply s', 'destroy s', 'cycle s'],
      [
        [
          `${FLOOR_RESOURCES} \`terraform_data\`, \`node -e ''\` provisioners`,
          String(floorRuns),
          fmtSummary(floorStats.apply, 2),
          fmtSummary(floorStats.destroy, 2),
          fmtSummary(floorStats.cycle, 2),
        ],
      ],
    ),
    '',
    table(
      [
        'command',
        's',
        'CPU s, terraform',
        'node processes',
        'CPU s, node',
        'put',
        'get',
        'list',
        'delete',
        'policy',
        'total requests',
      ],
      rows,
    ),
    '',
    `- **Apply + destroy of ${jobs} jobs**: ${fmt(create.s, 1)} + ${fmt(destroy.s, 1)} = ${fmt(total, 1)} s against`,
    `  3 × floor + lag = 3 × ${fmt(floorS, 2)} + ${fmt(lagS, 0)} = ${fmt(limit, 1)} s: (apply + destroy − lag) / floor =`,
    `  **${fmt(factor, 1)}x** (target at most 3x): ${timeMet ? 'met' : '**missed**'}. Terraform alone, with as many`,
    `  \`terraform_data\` holding the same attributes and no provisioner, took ${fmt(aloneTotal, 1)} s, itself`,
    `  ${fmt(aloneTotal / floorS, 1)}x the floor${aloneTotal > limit ? ' (above the target before any provider work)' : ''}:` +
      ` ours is ${fmt(total / aloneTotal, 2)}x Terraform alone; the provider processes used ${fmt(create.starts.cpuSeconds + destroy.starts.cpuSeconds, 1)} s of CPU.`,
    `- **Node processes** of the apply changing every job: ${changeAll.starts.total}, of them ${changeAll.starts.provider} the provider;`,
    `  the apply changing one job started ${protocolStarts}: that many are Terraform's own plugin starts (it starts a provider`,
    `  several times per command). Target one provider process plus those restarts: ${processesMet ? 'met' : '**missed**'}.`,
    `- **List requests per bucket** at \`terraform plan\` of ${jobs} jobs: at most ${maxLists} (target ceil(${perBucket}/${PAGE}) =`,
    `  ${pagesPerBucket}, asserted): ${listsMet ? 'met' : '**missed**'}.`,
    '',
  ];
  if (errors.length > 0) {
    lines.push(
      'Error answers seen (expected: the first policy read of a destination without a policy is 404):',
      '',
      ...errors.map((e) => `- ${e}`),
      '',
    );
  }
  const readme = [
    `| provider: apply + destroy, ${jobs} jobs, ${LAG_MS} ms lag | ${fmt(create.s, 1)} + ${fmt(destroy.s, 1)} s | ${fmt(floorS, 2)} s: ${FLOOR_RESOURCES} bare \`terraform_data\` cycle | ${fmt(factor, 1)}x + lag (target 3x) |`,
    `| provider: apply + destroy against Terraform alone | ${fmt(total, 1)} s | ${fmt(aloneTotal, 1)} s: ${jobs} \`terraform_data\` holding the same attributes | ${fmt(total / aloneTotal, 2)}x |`,
    `| provider: node processes, apply changing every job | ${changeAll.starts.total} | ${protocolStarts}: apply changing one job | ${processesMet ? 'target met' : 'target missed'} |`,
    `| provider: list requests per bucket, plan of ${jobs} jobs | ${maxLists} | ceil(${perBucket}/${PAGE}) = ${pagesPerBucket} | asserted |`,
  ];
  return { markdown: lines.join('\n'), readme, regressions };
}
