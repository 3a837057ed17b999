/**
 * `cos-inventory emulator` as its own process, as a user starts it (the bin: test/cli-process.ts),
 * for the tests where the process is the point: signals, a killed process, Terraform talking to
 * the endpoint a user runs. Everything else starts LocalCos in process (`startKit`) or runs the
 * command through `startCli`.
 */
import type { ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { spawnCli } from '../cli-process';

export interface EmulatorProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** The banner, line by line (`endpoint: ...` first). */
  readonly banner: readonly string[];
  readonly endpoint: string;
  readonly port: number;
  /** The environment a user points at it: the banner's key pair and endpoint. */
  readonly env: Record<string, string>;
  /** stderr lines so far (one per request with `--log`). */
  readonly stderr: readonly string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `cos-inventory emulator <args>`; resolves once the banner (ending with `handler:`) is out. */
export function startEmulatorProcess(args: readonly string[]): Promise<EmulatorProcess> {
  const child = spawnCli(['emulator', ...args]);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  const banner: string[] = [];
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      banner.push(line);
      if (!line.startsWith('handler:')) return;
      const field = (name: string): string =>
        banner.find((l) => l.startsWith(`${name}: `))?.split(' ')[1] ?? '';
      const endpoint = field('endpoint');
      resolve({
        child,
        banner,
        endpoint,
        port: Number(new URL(endpoint).port),
        env: {
          TENCENTCLOUD_SECRET_ID: field('secret-id'),
          TENCENTCLOUD_SECRET_KEY: field('secret-key'),
          COS_INVENTORY_ENDPOINT: endpoint,
        },
        stderr,
        exited,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`emulator exited (${code ?? signal}) before its banner: ${stderr.join('\n')}`)),
    );
  });
}
