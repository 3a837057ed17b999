/**
 * `cos-inventory` as a separate process, as a user runs it: the sources as jest's globalSetup
 * transpiles them into .test-bin/ (lib/'s layout), or the entry point named by
 * `COS_INVENTORY_TEST_MAIN` (CI: the built `lib/cli/main.js`). The child sees only PATH and the
 * variables a test passes, never the test runner's environment. Most CLI tests call `runCli`
 * in process instead (test/kit/cli.ts).
 */
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export const ROOT = join(__dirname, '..');
const MAIN = process.env.COS_INVENTORY_TEST_MAIN ?? join(ROOT, '.test-bin', 'cli', 'main.js');
const NODE_ARGS = [MAIN];

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  /** Written to the command's stdin; stdin is closed either way. */
  readonly input?: string;
}

/** Runs `cos-inventory <args>` to its end with `env` on top of PATH. */
export function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  options: CliOptions = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...NODE_ARGS, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.input);
  });
}

/** Starts `cos-inventory <args>` (e.g. the long-running emulator) with stdout and stderr piped. */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
