import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { HandlerRun } from '../kit';

/** The bundled handler jest's globalSetup builds: the file Terraform runs. */
export const HANDLER = join(__dirname, '..', '..', 'dist', 'handler.js');

interface RunOptions {
  /** Parsed and JSON-encoded into COS_INVENTORY_SPEC; a string is passed verbatim. */
  readonly spec?: unknown;
  /** Written to stdin (the external data source query for `read`). */
  readonly stdin?: string;
  /** Environment on top of PATH; credentials and endpoint go here. */
  readonly env?: Readonly<Record<string, string>>;
  /** Another copy of the bundle to run (default: dist/handler.js). */
  readonly handler?: string;
}

/**
 * Runs `node dist/handler.js <verb>` as a separate process the way local-exec and the
 * external data source do: input in the environment (or stdin), nothing else inherited. For the
 * bundle's own checks; the verbs are tested in process (`runHandler` of test/kit/handler.ts).
 */
export function runHandler(verb: string, options: RunOptions = {}): Promise<HandlerRun> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', ...options.env };
  if (options.spec !== undefined) {
    env.COS_INVENTORY_SPEC = typeof options.spec === 'string' ? options.spec : JSON.stringify(options.spec);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.handler ?? HANDLER, verb], {
      env,
      // A copied bundle runs from its own directory, as from a synthesized stack's assets.
      cwd: options.handler ? dirname(options.handler) : undefined,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
