/**
 * `cos-inventory` in process: `runCli(argv, io)` with captured streams. The bin as a process
 * is test/cli-process.ts's `spawnCli`, for the few tests about the process.
 */
import { EventEmitter } from 'node:events';
import { runCli as runCliInProcess } from '../../src/cli/run-cli';
import type { Clock } from '../../src/cos/retry';
import type { LocalCosClock } from '../../src/emulator';
import { TestClock } from './clock';
import { ROOT } from '../cli-process';
import { Captured, stdinOf } from './streams';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Written to the command's stdin; stdin is closed either way. */
  readonly input?: string;
  /**
   * What `run --wait`, retries and `emulator` use for time; default a fresh TestClock (a live
   * contract run passes the wall clock).
   */
  readonly clock?: Clock & LocalCosClock;
  readonly cwd?: string;
}

/** Runs `cos-inventory <args>` to its end with only `env` (no inherited environment). */
export async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  options: CliOptions = {},
): Promise<CliResult> {
  const stdout = new Captured();
  const stderr = new Captured();
  const code = await runCliInProcess(args, {
    env: { ...env },
    stdout,
    stderr,
    stdin: stdinOf(options.input),
    cwd: options.cwd ?? ROOT,
    clock: options.clock ?? new TestClock(),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A long-running command (`emulator`) in process; `stop()` sends it SIGINT and awaits its end. */
export interface StartedCli {
  readonly stdout: Captured;
  readonly stderr: Captured;
  /** Resolves once stdout contains `text`. */
  waitForStdout(text: string): Promise<void>;
  stop(signal?: 'SIGINT' | 'SIGTERM'): Promise<CliResult>;
}

export function startCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  options: Pick<CliOptions, 'clock'> = {},
): StartedCli {
  const stdout = new Captured();
  const stderr = new Captured();
  const signals = new EventEmitter();
  const done = runCliInProcess(args, {
    env: { ...env },
    stdout,
    stderr,
    stdin: stdinOf(),
    cwd: ROOT,
    signals,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    stdout,
    stderr,
    waitForStdout: async (text) => {
      while (!stdout.text.includes(text)) {
        const ended = await Promise.race([
          done.then(() => true),
          new Promise((r) => stdout.once('written', r)),
        ]);
        if (ended === true && !stdout.text.includes(text)) {
          throw new Error(`command ended without printing ${JSON.stringify(text)}: ${stderr.text}`);
        }
      }
    },
    stop: async (signal = 'SIGINT') => {
      signals.emit(signal);
      const code = await done;
      return { code, stdout: stdout.text, stderr: stderr.text };
    },
  };
}
