import { ClientConfigError } from '../cos/client';
import type { Clock } from '../cos/retry';
import { systemClock } from '../cos/retry';

export const ENV_READBACK_MS = 'COS_INVENTORY_READBACK_MS';

/**
 * COS does not promise read-after-write: its own SDK tests wait seconds after a PUT before
 * reading back, and Tencent's Terraform provider sleeps 3 s after a policy write. So a
 * provider refresh that does not yet see what the same process wrote re-reads with backoff
 * (100 ms doubling up to 2 s) for up to this long before the difference counts as real.
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
