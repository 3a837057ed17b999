import { CosError } from './errors';

/** Default total time one operation may spend retrying. */
export const DEFAULT_RETRY_BUDGET_MS = 60_000;
export const DEFAULT_BASE_DELAY_MS = 200;
export const DEFAULT_MAX_DELAY_MS = 10_000;

/** Time source, replaceable in unit tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RetryOptions {
  /** Total time, from the first attempt, after which no new attempt starts. */
  readonly budgetMs: number;
  /** First backoff ceiling; doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly clock?: Clock;
  /** Uniform [0, 1); replaceable so tests can pin the jitter. */
  readonly random?: () => number;
  /** Told before each wait: a caller prints it so a long outage is not silent. */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** One retry about to happen. */
export interface RetryNotice {
  /** The retry's number, from 1. */
  readonly retry: number;
  readonly delayMs: number;
  readonly elapsedMs: number;
  readonly budgetMs: number;
  readonly error: CosError;
}

/** Error codes COS uses for throttling, whatever the status. */
const THROTTLING_CODES = new Set([
  'SlowDown',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'TooManyRequests',
  'Throttling',
]);

/**
 * Throttling, 5xx, timeouts and network failures are worth another try; any other 4xx
 * (bad input, denied, missing) will fail the same way again.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof CosError)) return false;
  if (THROTTLING_CODES.has(error.code)) return true;
  // No status: a socket-level failure (ECONNRESET, ETIMEDOUT, ...) is transient; anything
  // else (the SDK rejecting its parameters) would fail the same way again.
  if (error.statusCode === undefined) return /^E[A-Z_]+$/.test(error.code);
  return error.statusCode === 429 || error.statusCode >= 500;
}

/** Full jitter: uniform in [0, min(max, base * 2^attempt)). `attempt` counts from 0. */
export function backoffDelay(
  attempt: number,
  random: () => number,
  baseDelayMs = DEFAULT_BASE_DELAY_MS,
  maxDelayMs = DEFAULT_MAX_DELAY_MS,
): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error, or the budget would
 * be exceeded by the next wait. The SDK already retries 5xx and network errors up to four
 * times without pause; this layer adds spaced-out attempts on top for longer outages.
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const start = clock.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      const delay = backoffDelay(attempt, random, options.baseDelayMs, options.maxDelayMs);
      const elapsedMs = clock.now() - start;
      if (elapsedMs + delay >= options.budgetMs) throw error;
      options.onRetry?.({
        retry: attempt + 1,
        delayMs: delay,
        elapsedMs,
        budgetMs: options.budgetMs,
        error: error as CosError,
      });
      await clock.sleep(delay);
    }
  }
}
