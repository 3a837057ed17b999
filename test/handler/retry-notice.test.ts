/** A retried request says so on stderr, one line per retry, instead of waiting in silence. */
import type { CosClient } from '../../src/cos/client';
import { callCos } from '../../src/cos/call';
import { CosError } from '../../src/cos/errors';
import type { Clock } from '../../src/cos/retry';
import { describeRetry, reportingRetries } from '../../src/cos/retry-notice';

function clock(): Clock {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

const refused = (): CosError =>
  new CosError({
    code: 'ECONNREFUSED',
    message: 'connect ECONNREFUSED',
    operation: 'putBucketInventory',
    bucket: 'logs-1250000000',
  });

describe('retry notices', () => {
  it('prints one line per retry with the failure, the wait and the budget used, then succeeds', async () => {
    const lines: string[] = [];
    const base = {
      sdk: undefined,
      retry: { budgetMs: 60_000, clock: clock(), random: () => 0.5 },
      secrets: [],
    };
    const client = reportingRetries(base as unknown as CosClient, 'cos-inventory put-job', (line) =>
      lines.push(line),
    );
    let calls = 0;
    const result = await callCos(client, 'putBucketInventory', 'logs-1250000000', async () => {
      if (++calls < 3) throw refused();
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(lines).toEqual([
      'cos-inventory put-job: putBucketInventory on logs-1250000000 failed (ECONNREFUSED); retry 1 in 0.1 s (0.0 s of the 60.0 s budget used)\n',
      'cos-inventory put-job: putBucketInventory on logs-1250000000 failed (ECONNREFUSED); retry 2 in 0.2 s (0.1 s of the 60.0 s budget used)\n',
    ]);
  });

  it('says nothing when no retry follows (the error line says the rest)', async () => {
    const lines: string[] = [];
    const base = { sdk: undefined, retry: { budgetMs: 1, clock: clock(), random: () => 0.5 }, secrets: [] };
    const client = reportingRetries(base as unknown as CosClient, 'cos-inventory status', (line) =>
      lines.push(line),
    );
    await expect(
      callCos(client, 'listBucketInventory', 'logs-1250000000', () => Promise.reject(refused())),
    ).rejects.toThrow(CosError);
    expect(lines).toEqual([]);
  });

  it('describes a retry in one line', () => {
    expect(
      describeRetry('x', { retry: 3, delayMs: 812, elapsedMs: 4100, budgetMs: 60_000, error: refused() }),
    ).toBe(
      'x: putBucketInventory on logs-1250000000 failed (ECONNREFUSED); retry 3 in 0.8 s (4.1 s of the 60.0 s budget used)',
    );
  });
});
