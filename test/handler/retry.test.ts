import { CosError } from '../../src/cos/errors';
import { backoffDelay, isRetryable, withRetry } from '../../src/cos/retry';
import { TestClock } from '../kit';

function cosError(code: string, statusCode?: number): CosError {
  return new CosError({
    code,
    message: code,
    statusCode,
    operation: 'getBucketInventory',
    bucket: 'b-1250000000',
  });
}

/** A clock that only moves when the code under test sleeps. */
const fakeClock = (): TestClock => new TestClock(0);

describe('isRetryable', () => {
  it.each([
    ['SlowDown', 503],
    ['InternalError', 500],
    ['TooManyRequests', 429],
    ['ECONNRESET', undefined],
    ['ESOCKETTIMEDOUT', undefined],
  ])('retries %s (%s)', (code, status) => {
    expect(isRetryable(cosError(code, status))).toBe(true);
  });

  it.each([
    ['AccessDenied', 403],
    ['NoSuchBucket', 404],
    ['InvalidArgument', 400],
    ['InventoryConfigurationNotFoundError', 404],
  ])('does not retry %s (%s)', (code, status) => {
    expect(isRetryable(cosError(code, status))).toBe(false);
  });

  it('does not retry the SDK rejecting its own parameters', () => {
    expect(isRetryable(cosError('Error'))).toBe(false);
  });

  it('does not retry errors that are not from cos', () => {
    expect(isRetryable(new Error('boom'))).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('draws below a ceiling that doubles per attempt and is capped', () => {
    expect(backoffDelay(0, () => 0.999, 100, 1000)).toBe(99);
    expect(backoffDelay(2, () => 0.999, 100, 1000)).toBe(399);
    expect(backoffDelay(10, () => 0.999, 100, 1000)).toBe(999);
    expect(backoffDelay(3, () => 0, 100, 1000)).toBe(0);
  });
});

describe('withRetry', () => {
  it('returns the first success after throttling', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw cosError('SlowDown', 503);
        return 'ok';
      },
      { budgetMs: 10_000, baseDelayMs: 100, clock, random: () => 0.5 },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it('stops at the first non-retryable error', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw cosError('AccessDenied', 403);
        },
        { budgetMs: 10_000, clock },
      ),
    ).rejects.toMatchObject({ code: 'AccessDenied' });
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up with the last error once the next wait would pass the budget', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw cosError('ServiceUnavailable', 503);
        },
        { budgetMs: 1000, baseDelayMs: 100, maxDelayMs: 400, clock, random: () => 0.999 },
      ),
    ).rejects.toMatchObject({ code: 'ServiceUnavailable', statusCode: 503 });
    // 99 + 199 + 399 = 697; the next 399 would end at 1096 > 1000.
    expect(clock.sleeps).toEqual([99, 199, 399]);
    expect(calls).toBe(4);
  });
});
