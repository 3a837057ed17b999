/**
 * The handler in process: `runHandler(args, io)` from src/handler/main.ts with the input and
 * environment a Terraform provisioner would give `node handler.js <verb>`, and the same result
 * shape as test/handler/run-handler.ts (kept for the bundle's smoke tests).
 */
import { runHandler as runHandlerInProcess } from '../../src/handler/main';
import type { Clock } from '../../src/cos/retry';
import { TestClock } from './clock';

/** The result of `runHandler` here and of test/handler/run-handler.ts's process run. */
export interface HandlerRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface HandlerOptions {
  /** Parsed and JSON-encoded into COS_INVENTORY_SPEC; a string is passed verbatim. */
  readonly spec?: unknown;
  /** Written to stdin (the external data source query for `read`). */
  readonly stdin?: string;
  /** The environment, credentials and endpoint included; nothing else is inherited. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * What retries, read-backs and policy edits wait with; default a fresh TestClock. Share the
   * endpoint's clock when its lag or delivery delay matters.
   */
  readonly clock?: Clock;
}

export async function runHandler(verb: string, options: HandlerOptions = {}): Promise<HandlerRun> {
  const env: Record<string, string> = { ...options.env };
  if (options.spec !== undefined) {
    env.COS_INVENTORY_SPEC = typeof options.spec === 'string' ? options.spec : JSON.stringify(options.spec);
  }
  let stdout = '';
  let stderr = '';
  const code = await runHandlerInProcess([verb], {
    env,
    readStdin: () => Promise.resolve(options.stdin ?? ''),
    writeStdout: (text) => {
      stdout += text;
    },
    writeStderr: (text) => {
      stderr += text;
    },
    clock: options.clock ?? new TestClock(),
  });
  return { code, stdout, stderr };
}
