import type { CosClient } from '../../src/cos/client';
import { getInventory } from '../../src/cos/inventory';
import type { LocalCos } from '../../src/emulator';
import { DESTINATION, job, REGION, SOURCE } from './fixtures';
import { endpointEnv, runHandler, startKit, TestClock } from '../kit';

let cos: LocalCos;
let client: CosClient;
let env: Record<string, string>;

beforeAll(async () => {
  const kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`] });
  cos = kit.cos;
  env = endpointEnv(cos, { COS_INVENTORY_RETRY_BUDGET_MS: '1500' });
  client = kit.client;
});

afterAll(async () => {
  await cos.close();
});

beforeEach(() => {
  cos.clearFaults();
  cos.clearRequestLog();
});

const putSpec = (id: string) => ({ bucket: SOURCE, region: REGION, configuration: job(id) });

function statuses(method: string): number[] {
  return cos.requestLog.filter((entry) => entry.method === method).map((entry) => entry.status);
}

describe('faults', () => {
  it('three 503s then success: the job is stored', async () => {
    cos.injectFault({ method: 'PUT', subresource: 'inventory', status: 503, code: 'SlowDown', times: 3 });
    const result = await runHandler('put-job', { spec: putSpec('after-503'), env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(statuses('PUT')).toEqual([503, 503, 503, 200]);
    expect(await getInventory(client, { bucket: SOURCE, region: REGION }, 'after-503')).toBeDefined();
  });

  it('a persistent 503 ends non-zero within the budget set in the environment', async () => {
    cos.injectFault({ method: 'PUT', subresource: 'inventory', status: 503, times: Infinity });
    const clock = new TestClock();
    const result = await runHandler('put-job', { spec: putSpec('never'), env, clock });
    expect(result.code).toBe(1);
    // Our layer's backoffs, on the injected clock, until the next one would pass the 1500 ms.
    expect(clock.sleeps.length).toBeGreaterThan(0);
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(1500);
    expect(result.stderr).toMatch(
      /code=ServiceUnavailable request-id=\S+: putBucketInventory failed: .*hint: cos kept failing with 503/,
    );
    const puts = statuses('PUT');
    // The SDK makes four attempts per call; our layer called it again after a backoff.
    expect(puts.length).toBeGreaterThanOrEqual(8);
    expect(puts.length % 4).toBe(0);
    expect(puts.every((status) => status === 503)).toBe(true);
  });

  it('a 403 is not retried and the hint names the variables and the permission', async () => {
    cos.injectFault({
      method: 'DELETE',
      subresource: 'inventory',
      status: 403,
      code: 'AccessDenied',
      times: Infinity,
    });
    const result = await runHandler('delete-job', { spec: { bucket: SOURCE, region: REGION, id: 'x' }, env });
    expect(result.code).toBe(1);
    expect(statuses('DELETE')).toEqual([403]);
    expect(result.stderr).toMatch(
      /^cos-inventory delete-job: bucket=examplebucket-1250000000 id=x code=AccessDenied request-id=\S+: .*hint: check TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY .*name\/cos:DeleteBucketInventory/,
    );
  });

  it('a dropped connection is retried', async () => {
    cos.injectFault({ method: 'PUT', subresource: 'inventory', drop: true, times: 1 });
    const result = await runHandler('put-job', { spec: putSpec('after-drop'), env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(statuses('PUT')).toEqual([0, 200]);
  });

  it('connections dropped every time end non-zero with a network error', async () => {
    cos.injectFault({ method: 'GET', subresource: 'inventory', drop: true, times: Infinity });
    const result = await runHandler('read', {
      stdin: JSON.stringify({ bucket: SOURCE, region: REGION, configurations: '[]' }),
      env,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // One line per retry while it lasts (a down endpoint is never silent), then the error line.
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, -1)) {
      expect(line).toMatch(
        /^cos-inventory read: listBucketInventory on examplebucket-1250000000 failed \(E[A-Z]+\); retry \d+ in \d+\.\d s \(\d+\.\d s of the 1\.5 s budget used\)$/,
      );
    }
    expect(lines[lines.length - 1]).toMatch(
      /^cos-inventory read: bucket=examplebucket-1250000000 id=- code=\S+ request-id=-: listBucketInventory failed: .*hint: cos could not be reached/,
    );
  });

  it('a slow answer past the request timeout is retried', async () => {
    cos.injectFault({ method: 'GET', subresource: 'inventory', delayMs: 1500, times: 1 });
    const result = await runHandler('read', {
      stdin: JSON.stringify({ bucket: SOURCE, region: REGION, configurations: '[]' }),
      env: { ...env, COS_INVENTORY_TIMEOUT_MS: '300' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ bucket_status: 'present' });
  });
});

describe('secrets', () => {
  const secretKey = 'SECRETKEY-do-not-print-0123456789';
  const token = 'TOKEN-do-not-print-abcdefghij';

  function expectNoSecret(result: { stdout: string; stderr: string }): void {
    for (const secret of [secretKey, token]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  }

  it('a rejected signature prints neither the key nor the token', async () => {
    const result = await runHandler('put-job', {
      spec: putSpec('denied'),
      env: { ...env, TENCENTCLOUD_SECRET_KEY: secretKey, TENCENTCLOUD_SECURITY_TOKEN: token },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/code=SignatureDoesNotMatch .*hint: check TENCENTCLOUD_SECRET_ID/);
    expectNoSecret(result);
  });

  it('a secret echoed back in an input error is redacted', async () => {
    const result = await runHandler('delete-job', {
      spec: { bucket: secretKey, region: REGION, id: token },
      env: { ...env, TENCENTCLOUD_SECRET_KEY: secretKey, TENCENTCLOUD_SECURITY_TOKEN: token },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('[redacted]');
    expectNoSecret(result);
  });

  it('successful runs print no secret either', async () => {
    const result = await runHandler('read', {
      stdin: JSON.stringify({ bucket: SOURCE, region: REGION, configurations: '[]' }),
      env: { ...env, TENCENTCLOUD_SECURITY_TOKEN: token },
    });
    expect(result.code).toBe(0);
    expectNoSecret(result);
    expect(result.stdout).not.toContain(cos.credentials.secretKey);
  });
});
