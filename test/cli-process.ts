/**
 * `cos-inventory` as a separate process, as a user runs it: the sources as jest's globalSetup
 * transpiles them into .test-bin/ (lib/'s layout), or the entry point named by
 * `COS_INVENTORY_TEST_MAIN` (CI: the built `lib/cli/main.js`). The child sees only PATH and the
 * variables a test passes, never the test runner's environment. Only the tests where the
 * process is the point start it (the emulator's signals and banner, Terraform's endpoint, a
 * report piped to a closed reader); every other command runs in process (`runCli` of
 * test/kit/cli.ts).
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

export const ROOT = join(__dirname, '..');
const MAIN = process.env.COS_INVENTORY_TEST_MAIN ?? join(ROOT, '.test-bin', 'cli', 'main.js');
const NODE_ARGS = [MAIN];

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
