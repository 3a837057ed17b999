/**
 * Issue 11's "done when" for the local endpoint's data directory, with the REAL `terraform`:
 * `cos-inventory emulator --data-dir DIR` is killed with SIGKILL in the middle of a
 * `terraform apply`, started again on the same port and directory, and answers with every job
 * and the grant whose creation Terraform had reported complete (the provider answers after COS
 * acknowledged the PUT); a second apply then completes the stack and a plan finds it in sync.
 * The emulator runs with its normalised policy answers and no read-after-write lag.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import { createCosClient } from '../../src/cos/client';
import { listAllInventories } from '../../src/cos/inventory';
import { getPolicy } from '../../src/cos/policy';
import { findStatement } from '../../src/model/policy';
import { startEmulatorProcess, type EmulatorProcess } from '../kit';
import { RealTerraform } from './real-terraform';
import { findTerraform, requireTerraform } from './terraform-binary';

const terraform = findTerraform([1, 8]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails this file there.
requireTerraform(terraform, [1, 8], 'data-dir-restart.test.ts');
if (!terraform.found) console.log(`data-dir-restart.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const REGION = 'ap-guangzhou';
const SOURCE = 'killsource-1250000000';
const DEST = 'killreports-1250000000';
const JOBS = 24;

/** `cos-inventory emulator --data-dir DIR` as its own process (the bin), so it can be killed. */
function startEmulator(dataDir: string, port = 0): Promise<EmulatorProcess> {
  return startEmulatorProcess([
    '--port',
    String(port),
    // Not a test of the lag: reads answer what was written.
    '--lag-ms',
    '0',
    '--data-dir',
    dataDir,
    '--bucket',
    `${SOURCE}@${REGION}`,
    '--bucket',
    `${DEST}@${REGION}`,
  ]);
}

describeReal('the emulator data directory under a killed terraform apply', () => {
  let tmp: string;
  let emulator: EmulatorProcess | undefined;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dir-restart-'));
  });
  afterAll(async () => {
    if (emulator && emulator.child.exitCode === null && emulator.child.signalCode === null) {
      await emulator.stop();
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps every job and statement terraform saw created across a SIGKILL; a second apply completes', async () => {
    const dataDir = path.join(tmp, 'data');
    emulator = await startEmulator(dataDir);
    const env = emulator.env;

    const app = new App({ outdir: path.join(tmp, 'cdktf.out') });
    const stack = new TerraformStack(app, 'killed');
    new LocalBackend(stack, { path: path.join(tmp, 'terraform.tfstate') });
    const ids = Array.from({ length: JOBS }, (_, i) => `job-${String(i).padStart(2, '0')}`);
    new BucketInventory(stack, 'Logs', {
      bucket: SOURCE,
      region: REGION,
      ownerUin: '100000000001',
      jobs: ids.map((id) => ({ id, destination: { bucket: DEST, prefix: 'reports' } })),
    });
    app.synth();
    const stackDir = path.join(tmp, 'cdktf.out', 'stacks', 'killed');
    const real = new RealTerraform(
      stackDir,
      path.join(tmp, 'tf'),
      { ...process.env, ...env },
      { parallelism: 4 },
    );
    await real.init();

    // The apply as a child process, so the emulator can be killed while it runs.
    const apply = spawn(
      'terraform',
      ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=4'],
      {
        cwd: stackDir,
        // A provider that loses the endpoint gives up after 1 s instead of the default budget.
        env: { ...real.env, COS_INVENTORY_RETRY_BUDGET_MS: '1000' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const applied = new Promise<number | null>((resolve) => apply.once('exit', (code) => resolve(code)));
    let output = '';
    apply.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const acknowledged = new Set<string>();
    let attached = false;
    const killed = new Promise<void>((resolve) => {
      createInterface({ input: apply.stdout! }).on('line', (line) => {
        output += `${line}\n`;
        const stored = /^cosinventory_job\.Logs_job_(\S+): Creation complete/.exec(line);
        if (stored) acknowledged.add(stored[1]);
        if (/^cosinventory_destination_grant\.\S+: Creation complete/.test(line)) attached = true;
        if (acknowledged.size === 8 && emulator!.child.exitCode === null) {
          emulator!.child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await killed;
    expect((await emulator.exited).signal).toBe('SIGKILL');
    // With its endpoint gone, the apply fails (the provider's remaining PUTs exhaust their retries).
    expect(await applied).not.toBe(0);
    expect(acknowledged.size).toBeGreaterThanOrEqual(8);
    expect(acknowledged.size).toBeLessThan(JOBS);

    // Same port and directory: the endpoint the provider uses is back.
    emulator = await startEmulator(dataDir, emulator.port);
    const client = await createCosClient({
      secretId: env.TENCENTCLOUD_SECRET_ID!,
      secretKey: env.TENCENTCLOUD_SECRET_KEY!,
      endpoint: env.COS_INVENTORY_ENDPOINT,
    });
    const listed = await listAllInventories(client, { bucket: SOURCE, region: REGION });
    const present = new Set(listed.configurations.map((raw) => (raw as { Id: string }).Id));
    for (const id of acknowledged) expect({ id, present: present.has(id) }).toEqual({ id, present: true });
    // The sid is scoped by the first source bucket granted on the destination.
    const sid = `cosInventory-${SOURCE}`;
    // The jobs wait for their destination's grant: it was created before any of them.
    expect(attached).toBe(true);
    expect(findStatement(await getPolicy(client, { bucket: DEST, region: REGION }), sid)).toBeDefined();

    // A second apply finishes the stack against the restarted endpoint.
    await real.run(['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=4']);
    const after = await listAllInventories(client, { bucket: SOURCE, region: REGION });
    expect(after.configurations.map((raw) => (raw as { Id: string }).Id).sort()).toEqual(ids);
    expect(findStatement(await getPolicy(client, { bucket: DEST, region: REGION }), sid)).toBeDefined();
    expect(await real.planExitCode()).toBe(0);
  }, 600_000);
});
