/**
 * `npm run bench`: builds the library and the bundles (`npm run build`), runs every figure and writes
 * bench/RESULTS.md. Exits non-zero when a section fails (naming the step it was at) or when an
 * asserted API-call count regresses.
 *
 *   node bench/run.mjs [--only synth,start,api,reports,entry,credentials,plugin,provider] [--quick] [--out FILE]
 *
 * `--quick` runs tiny sizes once each, to check the bench itself; its figures mean nothing.
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { machineDescription } from './common/machine.mjs';
import { ROOT, TMP } from './common/paths.mjs';
import { fmt } from './common/stats.mjs';

const SECTIONS = {
  synth: () => import('./synth/bench-synth.mjs'),
  start: () => import('./start/bench-provider-start.mjs'),
  api: () => import('./api/bench-api-calls.mjs'),
  reports: () => import('./reports/bench-reports.mjs'),
  entry: () => import('./entry/bench-entry.mjs'),
  credentials: () => import('./credentials/bench-credentials.mjs'),
  plugin: () => import('./plugin/bench-plugin-start.mjs'),
  provider: () => import('./provider/bench-provider.mjs'),
};

const program = new Command()
  .name('bench')
  .option('--only <sections>', `comma-separated subset of ${Object.keys(SECTIONS).join(',')}`)
  .option('--quick', 'tiny sizes, one run each: checks the bench, not the code')
  .option('--out <file>', 'where to write the results', join(ROOT, 'bench', 'RESULTS.md'))
  .parse();
const options = program.opts();
const chosen = options.only ? options.only.split(',').map((s) => s.trim()) : Object.keys(SECTIONS);
for (const name of chosen) {
  if (!(name in SECTIONS)) {
    console.error(
      `bench: --only: unknown section ${JSON.stringify(name)}; allowed: ${Object.keys(SECTIONS).join(', ')}`,
    );
    process.exit(2);
  }
}

function log(message) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/**
 * Runs package.json's `build` script step by step: the tsc step tolerates type errors elsewhere
 * in the project (it still emits, and the bench needs only the output); every other step (the
 * provider bundle, dist/provider.js) must succeed.
 */
function build() {
  const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.build;
  for (const command of script.split('&&').map((part) => part.trim())) {
    log(`building: ${command}`);
    if (command.startsWith('tsc ')) {
      try {
        execFileSync(
          process.execPath,
          [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), ...command.split(/\s+/).slice(1)],
          { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
        );
      } catch (error) {
        log(
          `tsc reported errors (output still emitted): ${String(error.stdout ?? '')
            .split('\n')
            .slice(0, 3)
            .join(' | ')}`,
        );
      }
    } else {
      execSync(command, { cwd: ROOT, stdio: 'inherit' });
    }
  }
}

const started = performance.now();
mkdirSync(TMP, { recursive: true });
try {
  build();
} catch (error) {
  log(`failed at building (npm run build): ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const results = [];
const failures = [];
const regressions = [];
for (const name of chosen) {
  let step = 'loading the section';
  const ctx = {
    quick: options.quick === true,
    log,
    step(description) {
      step = description;
      log(`${name}: ${description}`);
    },
  };
  const sectionStart = performance.now();
  try {
    const section = await SECTIONS[name]();
    const result = await section.run(ctx);
    results.push({ name, ...result, seconds: (performance.now() - sectionStart) / 1000 });
    regressions.push(...result.regressions);
  } catch (error) {
    const message = `bench ${name}: failed at ${step}: ${error instanceof Error ? error.stack : String(error)}`;
    log(message);
    failures.push({ name, step, message: error instanceof Error ? error.message : String(error) });
  }
}

const machine = machineDescription();
const lines = [
  '# Benchmark results',
  '',
  'Written by `npm run bench` (bench/run.mjs); docs/benchmarks.md explains each figure.',
  options.quick ? '\n**Quick mode: tiny sizes, one run each. These figures mean nothing.**\n' : '',
  `- date: ${new Date().toISOString()}`,
  `- machine: ${machine.cpu}, ${machine.cores} cores, ${fmt(machine.memoryGiB, 1)} GiB memory, ${machine.os}`,
  `- node: ${machine.node}`,
  `- sections: ${chosen.join(', ')}; total ${fmt((performance.now() - started) / 1000, 0)} s`,
  '- figures: median (min–max) over the stated number of runs; ratios are of medians, against a baseline',
  '  measured in the same run. Other work on the machine during the run shows up as spread.',
  '',
];
for (const failure of failures) {
  lines.push(`**Section ${failure.name} FAILED at ${failure.step}:** ${failure.message.split('\n')[0]}`, '');
}
if (regressions.length > 0) {
  lines.push('**API-call counts regressed:**', '', ...regressions.map((r) => `- ${r}`), '');
}
for (const result of results) lines.push(result.markdown, `(section took ${fmt(result.seconds, 0)} s)`, '');
lines.push(
  '## README excerpt',
  '',
  '| figure | ours | baseline | ratio |',
  '| --- | --- | --- | --- |',
  ...results.flatMap((r) => r.readme),
  '',
);
writeFileSync(options.out, lines.join('\n'));
log(`wrote ${options.out}`);

if (failures.length > 0 || regressions.length > 0) {
  log(`${failures.length} section(s) failed, ${regressions.length} count regression(s)`);
  process.exit(1);
}
