import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The stack's Terraform version need (moved blocks across resource types, import blocks) is
// checked with `terraform version` once per stack, not once per job: a fake `terraform` on PATH
// counts its own invocations. The program uses the
// package as JavaScript, as a user's does: the sources as jest's globalSetup transpiled them.
const root = join(__dirname, '..', '..');

function synthWithFakeTerraform(
  version: string | undefined,
  jobs: number,
  options: { upgradeBlocks?: boolean; importJobs?: boolean } = {},
): { count: number; status: number; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tf-version-'));
  try {
    const counter = join(dir, 'calls');
    writeFileSync(counter, '');
    const fake = join(dir, 'terraform');
    // No version: a PATH holding no terraform at all (only node, by absolute path).
    if (version !== undefined) {
      writeFileSync(fake, `#!/bin/sh\necho x >> "${counter}"\necho "Terraform v${version}"\n`);
      chmodSync(fake, 0o755);
    }
    const program = `
      const { App, TerraformStack } = require('cdktf');
      const { BucketInventory } = require('./.test-bin');
      const app = new App({ outdir: ${JSON.stringify(join(dir, 'out'))} });
      const stack = new TerraformStack(app, 'stack');
      const inventory = new BucketInventory(stack, 'logs', {
        bucket: 'logs-1250000000', region: 'ap-guangzhou', ownerUin: '100000000001',
        upgradeBlocks: ${options.upgradeBlocks !== false},
        jobs: Array.from({ length: ${jobs} }, (_, i) => ({ id: 'job' + i, destination: { bucket: 'dest-1250000000' } })),
      });
      if (${options.importJobs === true}) for (const id of inventory.jobIds) inventory.importJob(id);
      app.synth();`;
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['-e', program], {
        cwd: root,
        env: {
          ...process.env,
          PATH: version === undefined ? dir : `${dir}:${process.env.PATH}`,
          CHECKPOINT_DISABLE: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const failed = error as { status: number; stderr: Buffer };
      status = failed.status;
      stderr = failed.stderr.toString();
    }
    return { count: readFileSync(counter, 'utf8').split('\n').filter(Boolean).length, status, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('terraform version check at synth', () => {
  test('runs terraform once per stack, whatever the number of jobs and imports', () => {
    const result = synthWithFakeTerraform('1.11.4', 25, { importJobs: true });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.count).toBe(1);
  });

  test('an old terraform fails the synth with the reason', () => {
    const result = synthWithFakeTerraform('1.7.5', 2, { importJobs: true });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(
      'terraform 1.7.5 is installed, but this stack needs 1.8 or later: import blocks (terraform 1.5), moved blocks between resource types (terraform 1.8)',
    );
  });

  test('without upgrade blocks and imports the stack states no need', () => {
    const result = synthWithFakeTerraform('1.4.7', 2, { upgradeBlocks: false });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.count).toBe(0);
  });

  test('synthesizing needs no terraform at all', () => {
    const result = synthWithFakeTerraform(undefined, 3, { importJobs: true });
    expect(result.stderr).not.toContain('terraform');
    expect(result.status).toBe(0);
  });
});
