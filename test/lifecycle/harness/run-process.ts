/**
 * Runs a child process asynchronously: the local COS endpoint usually lives in the same
 * node process as the harness, so a synchronous spawn would deadlock it.
 */

import { spawn } from 'node:child_process';

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived, as Terraform shows local-exec output. */
  readonly output: string;
  /** Set when the program could not be started at all. */
  readonly spawnError: string | undefined;
}

export function runProcess(
  argv: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly stdin?: string },
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let output = '';
    let spawnError: string | undefined;
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env, stdio: 'pipe' });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      output += chunk;
    });
    child.on('error', (error) => {
      spawnError = error.message;
    });
    child.on('close', (exitCode, signal) =>
      resolve({ exitCode, signal, stdout, stderr, output, spawnError }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');
  });
}
