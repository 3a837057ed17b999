import { ClientConfigError } from '../cos/client';
import type { Clock } from '../cos/retry';
import { systemClock } from '../cos/retry';
import { readBackOptions, type ReadBackOptions } from './read-back';

export const ENV_POLICY_SETTLE_MS = 'COS_INVENTORY_POLICY_SETTLE_MS';

/**
 * How a policy edit guards against concurrent writers. COS has no conditional PUT, so after
 * writing we wait `settleMs` (jittered) and read again: a writer that read the old policy
 * before our write has usually written by then, and if it dropped our change we redo it.
 */
export interface PolicyWriteOptions {
  readonly settleMs: number;
  readonly maxAttempts: number;
  readonly clock: Clock;
  readonly random: () => number;
  /** How long a read-back waits for a write to show (COS may serve the old policy meanwhile). */
  readonly readBack: ReadBackOptions;
}

export const DEFAULT_POLICY_SETTLE_MS = 1000;
export const DEFAULT_POLICY_ATTEMPTS = 10;

export function policyWriteOptions(env: NodeJS.ProcessEnv, clock: Clock = systemClock): PolicyWriteOptions {
  const raw = env[ENV_POLICY_SETTLE_MS];
  let settleMs = DEFAULT_POLICY_SETTLE_MS;
  if (raw !== undefined && raw !== '') {
    if (!/^\d+$/.test(raw)) {
      throw new ClientConfigError(
        `${ENV_POLICY_SETTLE_MS} must be a whole number of milliseconds, received ${JSON.stringify(raw)}`,
      );
    }
    settleMs = Number(raw);
  }
  return {
    settleMs,
    maxAttempts: DEFAULT_POLICY_ATTEMPTS,
    clock,
    random: Math.random,
    readBack: readBackOptions(env, clock),
  };
}

/** Waits between half and all of `ms`, so concurrent writers spread out. */
export function jitteredWait(options: PolicyWriteOptions, ms: number): Promise<void> {
  return options.clock.sleep(Math.floor(ms / 2 + (options.random() * ms) / 2));
}
