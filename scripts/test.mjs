#!/usr/bin/env node
// `npm test`: the whole suite with cdktf 0.21, then the construct tests and one real-Terraform
// apply again with `cdktf` resolved to cdktn 0.24 (jest.cdktn.config.js; why no more: its header
// and docs/testing.md). Extra arguments go to both runs (a path filter that selects nothing in the
// second run is fine). Each run's JSON results land in .jest-results*.json, and the last line is
// the plain count of both runs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const extra = process.argv.slice(2);
const runs = [
  { label: 'cdktf 0.21', config: 'jest.config.js', results: '.jest-results.json' },
  { label: 'cdktn 0.24', config: 'jest.cdktn.config.js', results: '.jest-cdktn-results.json' },
];

let failed = false;
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const run of runs) {
  process.stderr.write(`--- jest (${run.label}): ${run.config}\n`);
  const args = [
    jest,
    '-c',
    run.config,
    '--json',
    `--outputFile=${run.results}`,
    '--passWithNoTests',
    ...extra,
  ];
  const child = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (child.status !== 0) failed = true;
  try {
    const result = JSON.parse(readFileSync(join(root, run.results), 'utf8'));
    totals.passed += result.numPassedTests;
    totals.failed += result.numFailedTests;
    totals.skipped += result.numPendingTests;
  } catch {
    failed = true; // jest died before writing its results
  }
}
console.log(`jest: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failed ? 1 : 0);
