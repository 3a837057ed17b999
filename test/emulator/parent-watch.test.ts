/**
 * The emulator stops when the process that started it goes (an `npx` wrapper killed), and its
 * banner lists the buckets it serves, including those read back from --data-dir. The one
 * process-level test of this file: it is about the process itself.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onParentExit } from '../../src/cli/parent-watch';
import { LocalCos } from '../../src/emulator';
import { ROOT } from '../cli-process';

describe('onParentExit', () => {
  function harness(): {
    tick: () => void;
    cancelled: () => boolean;
    setPpid: (pid: number) => void;
    gone: number[];
  } {
    let ppid = 100;
    let tick = (): void => undefined;
    let cancelled = false;
    const gone: number[] = [];
    onParentExit((pid) => gone.push(pid), {
      ppid: () => ppid,
      every: (fn) => {
        tick = fn;
        return () => {
          cancelled = true;
        };
      },
    });
    return { tick: () => tick(), cancelled: () => cancelled, setPpid: (pid) => (ppid = pid), gone };
  }

  it('says nothing while the parent stays, then once when it changes, and stops looking', () => {
    const h = harness();
    h.tick();
    h.tick();
    expect(h.gone).toEqual([]);
    h.setPpid(1);
    h.tick();
    expect(h.gone).toEqual([100]);
    expect(h.cancelled()).toBe(true);
  });
});

describe('cos-inventory emulator under a killed parent', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'emulator-parent-'));
    // An earlier run left two buckets in the data directory.
    const earlier = await LocalCos.start({
      dataDir,
      buckets: ['logs-1250000000@ap-guangzhou', 'reports-1250000000@ap-guangzhou'],
    });
    await earlier.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('lists the buckets of --data-dir in its banner, and stops when its parent is SIGKILLed', async () => {
    // The bin as test/cli-process.ts runs it (compiled by jest's globalSetup, or CI's lib/).
    const main = process.env.COS_INVENTORY_TEST_MAIN ?? join(ROOT, '.test-bin', 'cli', 'main.js');
    const args = [main, 'emulator', '--port', '0', '--data-dir', dataDir];
    // The "npx": a parent that starts the emulator with our pipes and is then killed outright.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        `require('node:child_process').spawn(process.execPath, ${JSON.stringify(args)}, { stdio: 'inherit' }); setInterval(() => {}, 60000);`,
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    parent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise<void>((resolve) => parent.stdout.on('close', resolve));
    await new Promise<void>((resolve) => {
      parent.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('handler: ')) resolve();
      });
    });
    expect(stdout).toContain(
      'bucket: logs-1250000000@ap-guangzhou\nbucket: reports-1250000000@ap-guangzhou\n',
    );
    expect(stdout).not.toContain('buckets: none');
    parent.kill('SIGKILL');
    // The pipes close only when the emulator, which holds them too, has exited.
    await closed;
    expect(stderr).toMatch(
      /cos-inventory emulator: the process that started it \(pid \d+\) is gone: stopping\n/,
    );
    expect(stdout.endsWith('stopped\n')).toBe(true);
  });
});
