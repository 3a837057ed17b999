/**
 * `cos-inventory review` through `runCli` in process: input from a file or stdin, formats, and
 * the exit status and message of each kind of bad input.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { runCli } from '../kit';
import { ONE_JOB_CREATE_PLAN as PLAN } from './plan-builder';

describe('cos-inventory review', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-cli-'));
    fs.writeFileSync(path.join(dir, 'plan.json'), PLAN);
    fs.writeFileSync(
      path.join(dir, 'state.json'),
      '{"format_version":"1.0","terraform_version":"1.11.4","values":{}}',
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads stdin when no file is given, and - as stdin among files', async () => {
    const fromStdin = await runCli(['review'], {}, { input: PLAN });
    expect(fromStdin).toMatchObject({ code: 0, stderr: '' });
    expect(fromStdin.stdout).toContain('**Inventory jobs: `logs-1250000000` 1 added.');
    const dash = await runCli(['review', '--format', 'text', '-'], {}, { input: PLAN });
    expect(dash.code).toBe(0);
    expect(dash.stdout).toContain('Inventory jobs: logs-1250000000 1 added.');
    const json = await runCli(['review', '--format', 'json', path.join(dir, 'plan.json')]);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ jobCount: 1, buckets: [{ bucket: 'logs-1250000000' }] });
  });

  it('exits 1 naming the command, the input, what was received and what is allowed', async () => {
    const state = await runCli(['review', path.join(dir, 'state.json')]);
    expect(state.code).toBe(1);
    expect(state.stdout).toBe('');
    expect(state.stderr).toBe(
      `cos-inventory review: ${path.join(dir, 'state.json')}: received terraform state json, not a plan: ` +
        'run `terraform plan -out=PLANFILE` and review `terraform show -json PLANFILE`\n',
    );
    const text = await runCli(['review'], {}, { input: 'Plan: 1 to add, 0 to change, 0 to destroy.\n' });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(
      /^cos-inventory review: stdin: received text that is not json \(.*\): expected the output of `terraform show -json PLANFILE` \(terraform >= 1\.0\)\n$/,
    );
    const future = await runCli(['review'], {}, { input: '{"format_version":"2.0","planned_values":{}}' });
    expect(future.stderr).toBe(
      'cos-inventory review: stdin: format_version "2.0" is not supported: expected 1.x, as terraform 1.x writes\n',
    );
    const missing = await runCli(['review', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cos-inventory review: .*nope\.json: cannot read: ENOENT/);
  });

  it('exits 2 on bad arguments', async () => {
    const format = await runCli(['review', '--format', 'html', path.join(dir, 'plan.json')]);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      "option '--format <format>' argument 'html' is invalid. Allowed choices are markdown, text, json.",
    );
    const twice = await runCli(['review', '-', '-'], {}, { input: PLAN });
    expect(twice).toMatchObject({
      code: 2,
      stderr: 'cos-inventory review: stdin (-) given more than once: expected it at most once\n',
    });
  });

  it('documents its exit status in --help', async () => {
    const help = await runCli(['review', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit status: 0 review printed');
  });
});
