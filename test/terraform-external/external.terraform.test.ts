/**
 * The `hashicorp/external` stand-in under the real `terraform`: installed offline from the
 * mirror `npm run terraform-mirror` writes, read at plan and apply, its failures shown as
 * Terraform diagnostics. Only scripts/upgrade-smoke.mjs needs it now: it applies a stack of the
 * provisioner release (0.1.x), whose drift check reads through `hashicorp/external`.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';
import { RELEASE_0_1_EXTERNAL_REQUIREMENT as EXTERNAL_PROVIDER } from './external-provider';

const terraform = findTerraform([1, 5]);
requireTerraform(terraform, [1, 5], 'external.terraform.test.ts');
if (!terraform.found) console.log(`external.terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const ROOT = join(__dirname, '..', '..');
const VERSION = '2.3.5';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

let work: string;
let cliConfig: string;
let callLog: string;

function tf(dir: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'terraform',
      // Plain text: terraform ignores NO_COLOR.
      [...args, '-no-color'],
      {
        cwd: dir,
        env: {
          ...process.env,
          TF_CLI_CONFIG_FILE: cliConfig,
          TF_PLUGIN_CACHE_DIR: '',
          TF_DATA_DIR: join(dir, '.terraform'),
          TF_IN_AUTOMATION: '1',
          TF_INPUT: '0',
          CHECKPOINT_DISABLE: '1',
          TFPLUGIN_CALL_LOG: callLog,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(dir: string, args: readonly string[]): Promise<Run> {
  const run = await tf(dir, args);
  if (run.code !== 0)
    throw new Error(`terraform ${args.join(' ')} exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  return run;
}

function stack(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

const REQUIRED = `terraform {
  required_providers {
    external = { source = "${EXTERNAL_PROVIDER.source}", version = "${EXTERNAL_PROVIDER.version}" }
  }
}
`;
const node = JSON.stringify(process.execPath);

/** RPC methods per plugin process, in order, from the call log. */
function callsByProcess(): string[][] {
  const byPid = new Map<string, string[]>();
  for (const line of readFileSync(callLog, 'utf8').trim().split('\n')) {
    const [pid, method] = line.split(' ');
    byPid.set(pid, [...(byPid.get(pid) ?? []), method]);
  }
  return [...byPid.values()];
}

beforeAll(() => {
  if (!terraform.found) return;
  work = mkdtempSync(join(tmpdir(), 'external-terraform-'));
  callLog = join(work, 'calls.log');
  cliConfig = execFileSync(
    process.execPath,
    [join(ROOT, 'scripts/terraform-mirror.mjs'), join(work, 'mirror')],
    {
      encoding: 'utf8',
    },
  ).trim();
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describeReal('hashicorp/external stand-in under real terraform', () => {
  test('init offline from the mirror; plan and apply read the program result; a failing read in a check block warns', async () => {
    const dir = stack('echo', {
      'echo.js': `let input = '';
process.stdin.on('data', (chunk) => (input += chunk)).on('end', () => {
  process.stdout.write(JSON.stringify({ ...JSON.parse(input), cwd: process.cwd() }));
});
`,
      'fail.js': `process.stderr.write('scoped read failed on purpose'); process.exit(4);\n`,
      'main.tf': `${REQUIRED}
data "external" "echo" {
  program = [${node}, "echo.js"]
  query   = { bucket = "logs-1250000000", empty = "" }
}

check "scoped" {
  data "external" "failing" {
    program = [${node}, "fail.js"]
  }
  assert {
    condition     = data.external.failing.result.ok == "true"
    error_message = "unreachable"
  }
}

output "result" { value = data.external.echo.result }
output "id" { value = data.external.echo.id }
`,
    });
    const init = await ok(dir, ['init', '-input=false']);
    expect(init.stdout).toContain(`Installing hashicorp/external v${VERSION}`);
    const lock = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toContain('provider "registry.terraform.io/hashicorp/external"');
    expect(lock).toContain(`version     = "${VERSION}"`);

    const plan = await ok(dir, ['plan', '-input=false']);
    expect(plan.stdout).toContain('data.external.echo: Read complete after');
    expect(plan.stdout).toMatch(/Warning: External Program Execution Failed/);
    expect(plan.stdout).toContain('scoped read failed on purpose');
    expect(plan.stdout).toContain('State: exit status 4');

    await ok(dir, ['apply', '-auto-approve', '-input=false']);
    const outputs = JSON.parse((await ok(dir, ['output', '-json'])).stdout) as Record<
      string,
      { value: unknown }
    >;
    expect(outputs.result.value).toEqual({ bucket: 'logs-1250000000', empty: '', cwd: dir });
    expect(outputs.id.value).toBe('-');

    // What Terraform 1.11 asks of each plugin process: stdio and broker streams, work, then Shutdown.
    const processes = callsByProcess();
    // The two streams are opened concurrently with the first calls, so only their presence is fixed.
    for (const calls of processes) {
      expect(calls).toEqual(expect.arrayContaining(['StreamStdio', 'StartStream']));
      expect(calls[calls.length - 1]).toBe('Shutdown');
    }
    // The schema is optional (server capability): Terraform asks once per command, here `plan`
    // and `apply` (init and output start no provider), not once per process.
    expect(processes.length).toBeGreaterThan(2);
    expect(processes.flat().filter((method) => method === 'GetProviderSchema')).toHaveLength(2);
    const all = processes.flat();
    expect(all).toEqual(
      expect.arrayContaining([
        'ValidateDataResourceConfig',
        'ValidateProviderConfig',
        'ConfigureProvider',
        'ReadDataSource',
      ]),
    );
  });

  test('a non-zero exit is an error carrying stderr; stdout that is not an object of strings is an error', async () => {
    const dir = stack('failing', {
      'fail.js': `process.stderr.write('bucket logs-1250000000 is unreachable'); process.exit(3);\n`,
      'list.js': `process.stdout.write('["not", "an", "object"]');\n`,
      'main.tf': `${REQUIRED}
data "external" "fails" {
  program = [${node}, "fail.js"]
}

data "external" "not_object" {
  program = [${node}, "list.js"]
}
`,
    });
    await ok(dir, ['init', '-input=false']);
    const plan = await tf(dir, ['plan', '-input=false']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('Error: External Program Execution Failed');
    expect(plan.stderr).toContain('with data.external.fails');
    expect(plan.stderr).toContain('Error Message: bucket logs-1250000000 is unreachable');
    expect(plan.stderr).toContain('State: exit status 3');
    expect(plan.stderr).toContain('Error: Unexpected External Program Results');
    expect(plan.stderr).toContain('with data.external.not_object');
    expect(plan.stderr).toContain('Result Error: expected a JSON object, got an array');
  });

  test('the provider executable refuses to run outside terraform', () => {
    const executable = join(
      work,
      'mirror/registry.terraform.io/hashicorp/external',
      VERSION,
      'linux_amd64',
      `terraform-provider-external_v${VERSION}`,
    );
    let failure: { status?: number; stderr?: string; stdout?: string } = {};
    try {
      execFileSync(executable, [], { encoding: 'utf8', env: { PATH: process.env.PATH }, stdio: 'pipe' });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.status).toBe(1);
    expect(failure.stdout).toBe('');
    expect(failure.stderr).toMatch(
      /^this program is a terraform provider plugin and runs only when terraform starts it/,
    );
  });
});
