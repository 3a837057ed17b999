/**
 * The managed-resource plumbing of src/tfplugin under the real `terraform`: a test-only
 * provider (files-provider.ts) installed the way issue 19's provider will be, from
 * `terraform.d/plugins/` in the working directory with no CLI configuration, then planned,
 * applied, refreshed after out-of-band changes, replaced, imported and destroyed.
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';

const terraform = findTerraform([1, 5]);
requireTerraform(terraform, [1, 5], 'files-provider.terraform.test.ts');
if (!terraform.found) console.log(`files-provider.terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const VERSION = '0.0.1';
const PLATFORM = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;

let work: string;
let stackDir: string;
let filesRoot: string;
let callLog: string;

function tf(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      [...args, '-no-color'],
      {
        cwd: stackDir,
        env: {
          ...process.env,
          // No provider_installation: the implied local mirror under terraform.d/plugins applies.
          TF_CLI_CONFIG_FILE: join(work, 'empty.rc'),
          TF_PLUGIN_CACHE_DIR: '',
          TF_IN_AUTOMATION: '1',
          TF_INPUT: '0',
          CHECKPOINT_DISABLE: '1',
          TFPLUGIN_CALL_LOG: callLog,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(args: readonly string[]): Promise<string> {
  const run = await tf(args);
  if (run.code !== 0)
    throw new Error(`terraform ${args.join(' ')} exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  return run.stdout;
}

function configure(body: string): void {
  writeFileSync(
    join(stackDir, 'main.tf'),
    `terraform {
  required_providers {
    files = { source = "tfplugin-test/files", version = "${VERSION}" }
  }
}

provider "files" {
  root = ${JSON.stringify(filesRoot)}
}
${body}`,
  );
}

const file = (name: string) => join(filesRoot, name);
const resource = (name: string, path: string, content: string) =>
  `\nresource "files_file" "${name}" {\n  path    = "${path}"\n  content = "${content}"\n}\n`;

beforeAll(() => {
  if (!terraform.found) return;
  work = mkdtempSync(join(tmpdir(), 'tfplugin-files-'));
  stackDir = join(work, 'stack');
  filesRoot = join(work, 'files');
  callLog = join(work, 'calls.log');
  writeFileSync(join(work, 'empty.rc'), '');
  const packageDir = join(
    stackDir,
    'terraform.d/plugins/registry.terraform.io/tfplugin-test/files',
    VERSION,
    PLATFORM,
  );
  mkdirSync(packageDir, { recursive: true });
  mkdirSync(filesRoot, { recursive: true });
  buildSync({
    entryPoints: [join(__dirname, 'files-provider-main.ts')],
    outfile: join(packageDir, 'provider.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  const executable = join(packageDir, `terraform-provider-files_v${VERSION}`);
  writeFileSync(executable, `#!/bin/sh\nexec '${process.execPath}' "$(dirname "$0")/provider.js" "$@"\n`);
  chmodSync(executable, 0o755);
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describeReal('a managed resource on src/tfplugin under real terraform', () => {
  test('create, refresh drift, in-place update, replace, import, destroy', async () => {
    configure(
      resource('a', 'a.txt', 'alpha') + resource('b', 'b.txt', 'beta') + resource('c', 'c.txt', 'gamma'),
    );
    const init = await ok(['init', '-input=false']);
    expect(init).toContain(`Installing tfplugin-test/files v${VERSION}`);

    const created = await ok(['apply', '-auto-approve', '-input=false']);
    expect(created).toContain('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
    expect(readFileSync(file('a.txt'), 'utf8')).toBe('alpha');

    // Out of band: a's content changes, b disappears, d appears; in the code c moves to another
    // path and an import block adopts d (without writing it: its mtime stays).
    writeFileSync(file('a.txt'), 'tampered');
    rmSync(file('b.txt'));
    writeFileSync(file('d.txt'), 'delta');
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(file('d.txt'), past, past);
    configure(
      resource('a', 'a.txt', 'alpha') +
        resource('b', 'b.txt', 'beta') +
        resource('c', 'sub/c.txt', 'gamma') +
        resource('d', 'd.txt', 'delta') +
        '\nimport {\n  to = files_file.d\n  id = "d.txt"\n}\n',
    );
    const repaired = await ok(['apply', '-auto-approve', '-input=false']);
    expect(repaired).toContain('# files_file.a will be updated in-place');
    expect(repaired).toMatch(/~ content = "tampered" -> "alpha"/);
    expect(repaired).toContain('# files_file.b will be created');
    expect(repaired).toContain('# files_file.c must be replaced');
    expect(repaired).toMatch(/~ path\s+= "c.txt" -> "sub\/c.txt" # forces replacement/);
    expect(repaired).toContain('# files_file.d will be imported');
    expect(repaired).toContain('Apply complete! Resources: 1 imported, 2 added, 1 changed, 1 destroyed.');
    expect(readFileSync(file('a.txt'), 'utf8')).toBe('alpha');
    expect(readFileSync(file('b.txt'), 'utf8')).toBe('beta');
    expect(existsSync(file('c.txt'))).toBe(false);
    expect(readFileSync(file('sub/c.txt'), 'utf8')).toBe('gamma');
    expect(statSync(file('d.txt')).mtime).toEqual(past);

    const settled = await tf(['plan', '-input=false', '-detailed-exitcode']);
    expect({ code: settled.code, stderr: settled.stderr }).toEqual({ code: 0, stderr: '' });
    expect(settled.stdout).toContain('No changes.');

    // A validate hook's diagnostic, with its attribute path, as Terraform shows it.
    configure(resource('e', '/etc/passwd', 'x'));
    const refused = await tf(['validate']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Error: absolute path');
    expect(refused.stderr).toContain('path /etc/passwd must be relative to root');
    expect(refused.stderr).toContain('with files_file.e');

    configure('');
    const destroyed = await ok(['apply', '-auto-approve', '-input=false']);
    expect(destroyed).toContain('Apply complete! Resources: 0 added, 0 changed, 4 destroyed.');
    for (const name of ['a.txt', 'b.txt', 'sub/c.txt', 'd.txt']) expect(existsSync(file(name))).toBe(false);

    const methods = new Set(
      readFileSync(callLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' ')[1]),
    );
    expect([...methods].sort()).toEqual([
      'ApplyResourceChange',
      'ConfigureProvider',
      'GetProviderSchema',
      'ImportResourceState',
      'PlanResourceChange',
      'ReadResource',
      'Shutdown',
      'StartStream',
      'StreamStdio',
      'UpgradeResourceState',
      'ValidateProviderConfig',
      'ValidateResourceConfig',
    ]);
  });
});
