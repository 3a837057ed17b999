/**
 * Figure 5: the require time of the package's root entry, `require('cdktf-cos-inventory')`,
 * in fresh `node` processes (resolved by the package's own name, through `exports`, to lib/).
 * Baselines, interleaved with it: `require('cdktf')` alone (the framework a user's app loads
 * anyway), and every entry at once (root, /local-cos, /report, /cos: what the root loaded
 * before the entry points were split).
 */
import { runJsonChild } from '../common/child.mjs';
import { ROOT, scratchDir } from '../common/paths.mjs';
import { fmt, fmtRatio, fmtSummary, summarize, table } from '../common/stats.mjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RUNS = 21;

// Prints the wall and CPU time of the requires alone (node's own start excluded) and the modules
// they loaded. CPU time (user + system) is the steadier figure on a shared machine: waiting for
// a core does not count.
const PROBE = `
const { performance } = require('node:perf_hooks');
const before = Object.keys(require.cache).length;
const cpu = process.cpuUsage();
const started = performance.now();
for (const id of process.argv.slice(2)) require(id);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
const cpuMs = (used.user + used.system) / 1000;
console.log(JSON.stringify({ ms, cpuMs, modules: Object.keys(require.cache).length - before }));
`;

const KINDS = {
  framework: ['cdktf'],
  root: ['cdktf-cos-inventory'],
  all: [
    'cdktf-cos-inventory',
    'cdktf-cos-inventory/local-cos',
    'cdktf-cos-inventory/report',
    'cdktf-cos-inventory/cos',
  ],
};

export async function run(ctx) {
  const runs = ctx.quick ? 1 : RUNS;
  const dir = scratchDir('entry');
  const probe = join(dir, 'probe.cjs');
  writeFileSync(probe, PROBE);
  const samples = { framework: [], root: [], all: [] };
  const cpuSamples = { framework: [], root: [], all: [] };
  const modules = {};
  ctx.step(`requiring each entry in ${runs} fresh processes per kind, interleaved`);
  for (let i = 0; i <= runs; i += 1) {
    for (const [kind, ids] of Object.entries(KINDS)) {
      // cwd = the project: the package name resolves to itself through package.json `exports`.
      const result = await runJsonChild(probe, ids, { cwd: ROOT });
      if (i === 0) continue; // warm-up round (file system cache)
      samples[kind].push(result.ms);
      cpuSamples[kind].push(result.cpuMs);
      modules[kind] = result.modules;
    }
  }
  const s = Object.fromEntries(Object.entries(samples).map(([kind, list]) => [kind, summarize(list)]));
  const c = Object.fromEntries(Object.entries(cpuSamples).map(([kind, list]) => [kind, summarize(list)]));
  const ours = c.root.median - c.framework.median;
  const ratio = c.root.median / c.framework.median;
  const lines = [
    '## 5. Root entry require time',
    '',
    `Time of the \`require\` calls alone (node's start excluded) in fresh processes, ${runs} runs`,
    'each, interleaved (one warm-up round not counted): wall time, and CPU time (user + system, the',
    'steadier figure when other work shares the cores); modules: entries added to `require.cache`.',
    '',
    table(
      ['require', 'wall ms', 'CPU ms', 'modules'],
      [
        [
          "`require('cdktf')` (the framework alone)",
          fmtSummary(s.framework, 1),
          fmtSummary(c.framework, 1),
          String(modules.framework),
        ],
        [
          "`require('cdktf-cos-inventory')`",
          fmtSummary(s.root, 1),
          fmtSummary(c.root, 1),
          String(modules.root),
        ],
        [
          'root + `/local-cos` + `/report` + `/cos` (the old single entry)',
          fmtSummary(s.all, 1),
          fmtSummary(c.all, 1),
          String(modules.all),
        ],
      ],
    ),
    '',
    `CPU time, medians: the root entry minus the framework alone is ${fmt(ours, 1)} ms (**${fmtRatio(ratio)}** of`,
    `\`require('cdktf')\`); loading every entry takes ${fmtRatio(c.all.median / c.root.median)} the root's time.`,
    '',
  ];
  const readme = [
    `| \`require('cdktf-cos-inventory')\`, CPU | ${fmt(c.root.median, 0)} ms | ${fmt(c.framework.median, 0)} ms: \`require('cdktf')\` | ${fmtRatio(ratio)} (all entries: ${fmt(c.all.median, 0)} ms) |`,
  ];
  return { markdown: lines.join('\n'), readme, regressions: [] };
}
