/**
 * Figure 1: synth time and peak memory of BucketInventory stacks against the same number of
 * bare terraform_data resources (the floor), each measurement in a fresh child process.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from '../common/child.mjs';
import { scratchDir } from '../common/paths.mjs';
import { fmt, fmtRatio, fmtSummary, summarize, table } from '../common/stats.mjs';

const CHILD = fileURLToPath(new URL('./stack-child.mjs', import.meta.url));

/** Sizes measured with the version check memoized; fewer runs for the big ones. */
const SIZES = [
  { buckets: 1, jobs: 1, runs: 7 },
  { buckets: 1, jobs: 100, runs: 5 },
  { buckets: 1, jobs: 1000, runs: 3 },
  { buckets: 10, jobs: 1000, runs: 3 },
];
/** Sizes measured as a user runs them: cdktf's `terraform version` check not memoized. */
const AS_SHIPPED = [{ buckets: 1, jobs: 100, runs: 3 }];

const plural = (n, word) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
const label = (size) =>
  size.buckets === 1 ? plural(size.jobs, 'job') : `${size.buckets} buckets × ${plural(size.jobs, 'job')}`;

const KINDS = ['inventory', 'floor', 'equivalent'];

async function measure(ctx, size, versionCheck) {
  const dir = scratchDir('synth');
  const samples = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  // Interleaved, so a slowdown of the machine meanwhile hits every kind alike.
  for (let run = 0; run < size.runs; run++) {
    for (const kind of KINDS) {
      const outdir = join(dir, `${kind}-${run}`);
      ctx.step(`synth ${label(size)} (${kind}, version check ${versionCheck}, run ${run + 1}/${size.runs})`);
      const result = await runJsonChild(
        CHILD,
        [kind, String(size.buckets), String(size.jobs), outdir, versionCheck],
        { env: { ...process.env, CHECKPOINT_DISABLE: '1' } },
      );
      // One job resource per job; the construct adds a destination grant (one destination here).
      const expected = size.buckets * size.jobs;
      const grants = kind === 'inventory' ? 1 : 0;
      if (result.resources !== expected || result.grants !== grants) {
        throw new Error(
          `${kind} stack of ${label(size)} synthesized ${result.resources} job resources and ${result.grants} grants, expected ${expected} and ${grants}`,
        );
      }
      samples[kind].push(result);
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  const pick = (field) =>
    Object.fromEntries(KINDS.map((kind) => [kind, summarize(samples[kind].map((s) => s[field]))]));
  return { size, synth: pick('synthMs'), wall: pick('wallMs'), rss: pick('maxRssKiB') };
}

const TIME_HEADER = [
  'stack',
  'runs',
  'synth ms, ours',
  'synth ms, floor',
  'ours / floor',
  'ms/job, ours',
  'ms/job, floor',
  'synth ms, hand-written',
  'ours / hand-written',
  'process ms, ours',
  'process ms, floor',
];

function timeRows(results) {
  return results.map((r) => {
    const jobs = r.size.buckets * r.size.jobs;
    return [
      label(r.size),
      String(r.size.runs),
      fmtSummary(r.synth.inventory, 0),
      fmtSummary(r.synth.floor, 0),
      fmtRatio(r.synth.inventory.median / r.synth.floor.median),
      fmt(r.synth.inventory.median / jobs, 2),
      fmt(r.synth.floor.median / jobs, 2),
      fmtSummary(r.synth.equivalent, 0),
      fmtRatio(r.synth.inventory.median / r.synth.equivalent.median),
      fmtSummary(r.wall.inventory, 0),
      fmtSummary(r.wall.floor, 0),
    ];
  });
}

const MEMORY_HEADER = [
  'stack',
  'peak RSS MiB, ours',
  'floor',
  'ours / floor',
  'hand-written',
  'ours / hand-written',
];

function memoryRows(results) {
  return results.map((r) => [
    label(r.size),
    fmtSummary(r.rss.inventory, 0, 1 / 1024),
    fmtSummary(r.rss.floor, 0, 1 / 1024),
    fmtRatio(r.rss.inventory.median / r.rss.floor.median),
    fmtSummary(r.rss.equivalent, 0, 1 / 1024),
    fmtRatio(r.rss.inventory.median / r.rss.equivalent.median),
  ]);
}

export async function run(ctx) {
  const memo = [];
  for (const size of ctx.quick ? SIZES.slice(0, 2).map((s) => ({ ...s, runs: 1 })) : SIZES) {
    memo.push(await measure(ctx, size, 'memo'));
  }
  const shipped = [];
  for (const size of ctx.quick ? [{ buckets: 1, jobs: 1, runs: 1 }] : AS_SHIPPED)
    shipped.push(await measure(ctx, size, 'each'));

  // Time ∝ jobs^k between the two 1000-job-per-bucket sizes; k = 1 is linear.
  const big = memo.filter((r) => r.size.jobs === 1000);
  const exponent = (kind) =>
    Math.log(big[1].synth[kind].median / big[0].synth[kind].median) /
    Math.log((big[1].size.buckets * big[1].size.jobs) / (big[0].size.buckets * big[0].size.jobs));
  const growth =
    big.length === 2 ? { inventory: exponent('inventory'), floor: exponent('floor') } : undefined;
  const worst = Math.max(...memo.map((r) => r.synth.inventory.median / r.synth.floor.median));
  const lines = [
    '## 1. Synth',
    '',
    'Each cell is the median (min–max) of fresh `node` processes synthesizing one stack into a',
    'temporary directory. *Ours*: `BucketInventory` constructs (jobs with a filter prefix and a',
    'schedule as `cosinventory_job` resources, the destination grant, the provider block and files, report',
    'outputs). *Floor*: the',
    'same number of bare `terraform_data` resources (cdktf `DataResource`). *Synth ms*: building the',
    'construct tree and `app.synth()`, module loading excluded; *process ms*: spawn to exit as seen',
    "by the parent; *peak RSS*: the child's `VmHWM` (/proc/self/status) at exit.",
    '*Hand-written*: not a target, but what the same jobs cost written directly as generic cdktf',
    '`cosinventory_job` resources with their flat attributes, one output per job (no grant, no provider',
    "files): it separates the price of what a job must carry from the construct's own overhead.",
    '',
    "### With cdktf's terraform version check memoized",
    '',
    "cdktf's `DataResource` adds to each resource a validation that runs `terraform version` in a",
    'child process during synth. These runs answer it once per process and reuse the answer, for',
    'every kind alike, so the figures show the work of building and synthesizing the resources;',
    'the next table shows the check as shipped.',
    '',
    table(TIME_HEADER, timeRows(memo)),
    '',
    table(MEMORY_HEADER, memoryRows(memo)),
    '',
  ];
  if (growth !== undefined) {
    lines.push(
      `Growth from 1000 to 10 000 jobs: time ∝ jobs^${growth.inventory.toFixed(2)} for ours, ` +
        `jobs^${growth.floor.toFixed(2)} for the floor (1.00 is linear). ` +
        `Worst ratio to the floor: ${fmtRatio(worst)} (target: at most 1.5x).`,
      '',
    );
  }
  if (shipped.length > 0) {
    // The spawns' price per terraform_data: the same size with and without the memo.
    const perResource = (kind) =>
      shipped
        .map((r) => {
          const same = memo.find((m) => m.size.buckets === r.size.buckets && m.size.jobs === r.size.jobs);
          const resources = r.size.buckets * r.size.jobs;
          return same ? `${fmt((r.synth[kind].median - same.synth[kind].median) / resources, 1)} ms` : 'n/a';
        })
        .join(', ');
    lines.push(
      "### As a user runs it (cdktf's terraform version check not memoized)",
      '',
      table(TIME_HEADER, timeRows(shipped)),
      '',
      "cdktf's `DataResource` adds the check to every resource, so the floor starts `terraform version`",
      `once per job: here ${perResource('floor')} per job for the floor, ${perResource('equivalent')} for hand-written,`,
      `${perResource('inventory')} for ours (the difference to the memoized run of the same size, per job; the`,
      '`cosinventory` resources carry no per-resource check).',
      '',
    );
  }
  const readme = memo.map(
    (r) =>
      `| synth, ${label(r.size)} | ${fmt(r.synth.inventory.median, 0)} ms, ${fmt(r.rss.inventory.median / 1024, 0)} MiB | ` +
      `${fmt(r.synth.floor.median, 0)} ms, ${fmt(r.rss.floor.median / 1024, 0)} MiB | ` +
      `${fmtRatio(r.synth.inventory.median / r.synth.floor.median)} time, ${fmtRatio(r.rss.inventory.median / r.rss.floor.median)} memory |`,
  );
  return { markdown: lines.join('\n'), readme, regressions: [] };
}
