import { ClientConfigError } from '../cos/client';
import type { Clock } from '../cos/retry';
import { systemClock } from '../cos/retry';

export const ENV_READBACK_MS = 'COS_INVENTORY_READBACK_MS';

/**
 * COS does not promise read-after-write: its own SDK tests wait seconds after a PUT before
 * reading back, and Tencent's Terraform provider sleeps 3 s after a policy write. So a
 * read-back that still sees the old state is repeated with backoff for up to this long
 * before the difference counts as real.
 */
export const DEFAULT_READBACK_MS = 10_000;
export const READBACK_FIRST_DELAY_MS = 100;
export const READBACK_MAX_DELAY_MS = 2_000;

export interface ReadBackOptions {
  /** Total time a read-back may keep waiting for the written state to show. */
  readonly windowMs: number;
  readonly clock: Clock;
}

export function readBackOptions(env: NodeJS.ProcessEnv, clock: Clock = systemClock): ReadBackOptions {
  const raw = env[ENV_READBACK_MS];
  let windowMs = DEFAULT_READBACK_MS;
  if (raw !== undefined && raw !== '') {
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
      throw new ClientConfigError(
        `${ENV_READBACK_MS} must be a whole number of milliseconds, received ${JSON.stringify(raw)}`,
      );
    }
    windowMs = Number(raw);
  }
  return { windowMs, clock };
}

export interface ReadBackResult<T> {
  /** The last state read. */
  readonly value: T;
  /** What still differs in it; `[]` when the written state showed. */
  readonly pending: readonly string[];
  /** How many reads it took. */
  readonly reads: number;
}

/**
 * Reads until `pending(value)` is empty, waiting 100 ms, 200 ms, ... (at most 2 s) between
 * reads, and gives up once the next wait would end past the window. Reads once at least.
 * With `isStale`, it also stops at once when a read is not a stale one (another writer's state
 * rather than the state before our write): waiting would not help then.
 */
export async function readBack<T>(
  read: () => Promise<T>,
  pending: (value: T) => readonly string[],
  options: ReadBackOptions,
  isStale?: (value: T) => boolean,
): Promise<ReadBackResult<T> & { readonly stale: boolean }> {
  const started = options.clock.now();
  let delay = READBACK_FIRST_DELAY_MS;
  let reads = 0;
  for (;;) {
    const value = await read();
    reads++;
    const differing = pending(value);
    if (differing.length === 0) return { value, pending: differing, reads, stale: false };
    if (isStale !== undefined && !isStale(value)) return { value, pending: differing, reads, stale: false };
    const elapsed = options.clock.now() - started;
    if (elapsed + delay > options.windowMs) return { value, pending: differing, reads, stale: true };
    await options.clock.sleep(delay);
    delay = Math.min(delay * 2, READBACK_MAX_DELAY_MS);
  }
}
