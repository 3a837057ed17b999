import type { Clock } from '../cos/retry';
import type { LocalCosClock } from '../emulator/types';

/** A stream the CLI writes to; `isTTY` as on `process.stdout`. */
export type CliOutput = NodeJS.WritableStream & { readonly isTTY?: boolean };

/**
 * What a `cos-inventory` command talks to instead of `process`: the bin passes the process's
 * own, tests pass their streams and a clock, so a command runs as a function call.
 */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  /** Relative paths (`--out`, plan files, `--data-dir`) resolve against this; default `process.cwd()`. */
  readonly cwd?: string;
  /**
   * What `run --wait` and retries wait with, and the time of the `emulator`'s lag and delivery
   * delay; default the system clock.
   */
  readonly clock?: Clock & LocalCosClock;
  /** Emits `SIGINT`/`SIGTERM` to stop `emulator`; default `process`. */
  readonly signals?: NodeJS.EventEmitter;
}

/** One invocation: its io and the exit status the command's action sets. */
export interface CliRun {
  readonly io: CliIo;
  exitCode: number;
}
