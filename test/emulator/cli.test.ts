import COS from 'cos-nodejs-sdk-v5';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { sampleConfiguration } from './helpers';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const NODE_ARGS = ['-r', 'ts-node/register/transpile-only', MAIN];

interface Started {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `cos-inventory emulator` and resolves once it has printed its banner (ending with `handler:`). */
function startEmulator(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [...NODE_ARGS, 'emulator', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const reader = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    reader.on('line', (line) => {
      lines.push(line);
      if (line.startsWith('handler:')) resolve({ child, lines, exited });
    });
    void exited.then(({ code }) =>
      reject(new Error(`emulator exited with ${code} before its banner: ${stderr}`)),
    );
  });
}

function runCli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr });
    });
  });
}

describe('cos-inventory emulator', () => {
  it('prints the endpoint first, serves the sdk, and exits 0 on SIGTERM', async () => {
    const { child, lines, exited } = await startEmulator([
      '--port',
      '0',
      '--bucket',
      'src-1250000000@ap-guangzhou',
      '--bucket',
      'dst-1250000000@ap-guangzhou',
    ]);
    try {
      expect(lines[0]).toMatch(/^endpoint: http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines).toContain(`secret-id: ${DEFAULT_CREDENTIALS.secretId} (default)`);
      expect(lines).toContain('bucket: src-1250000000@ap-guangzhou');
      const port = Number(/:(\d+)$/.exec(lines[0])?.[1]);
      const cos = new COS({
        SecretId: DEFAULT_CREDENTIALS.secretId,
        SecretKey: DEFAULT_CREDENTIALS.secretKey,
        Protocol: 'http:',
        Ip: `127.0.0.1:${port}`,
      });
      const B = { Bucket: 'src-1250000000', Region: 'ap-guangzhou' };
      const config = {
        ...sampleConfiguration('cli'),
        Destination: {
          COSBucketDestination: { Format: 'CSV' as const, Bucket: 'qcs::cos:ap-guangzhou::dst-1250000000' },
        },
        Filter: undefined,
      };
      await cos.putBucketInventory({ ...B, Id: 'cli', InventoryConfiguration: config });
      expect((await cos.getBucketInventory({ ...B, Id: 'cli' })).InventoryConfiguration.Id).toBe('cli');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('uses the given key pair and says it is not the default', async () => {
    const { child, lines, exited } = await startEmulator([
      '--port',
      '0',
      '--secret-id',
      'AKIDmine',
      '--secret-key',
      'mine',
    ]);
    child.kill('SIGINT');
    expect(lines).toContain('secret-id: AKIDmine');
    expect(lines).toContain('buckets: none (add with --bucket <name>-<appid>@<region>)');
    expect((await exited).code).toBe(0);
  });

  it.each([
    [['--port', '70000'], "--port <port>' argument '70000' is invalid"],
    [['--host', '0.0.0.0'], "--host <address>' argument '0.0.0.0' is invalid"],
    [['--bucket', 'nobucket'], "--bucket <name-appid@region>' argument 'nobucket' is invalid"],
    [['--secret-id', 'AKIDonly'], "'--secret-key' is required"],
  ])('exits 2 naming the flag for %j', async (args, message) => {
    const result = await runCli(['emulator', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
