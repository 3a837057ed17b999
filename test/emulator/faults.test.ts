import COS from 'cos-nodejs-sdk-v5';
import type { LocalCos, RequestLogEntry } from '../../src/emulator';
import { TestClock } from '../kit';
import { sampleConfiguration, sdkError, SRC, startCos } from './helpers';

let local: LocalCos;
let cos: COS;

beforeEach(async () => {
  ({ local, cos } = await startCos());
  await cos.putBucketInventory({ ...SRC, Id: 'job', InventoryConfiguration: sampleConfiguration('job') });
  local.clearRequestLog();
});

afterEach(async () => {
  await local.close();
});

const statuses = (): number[] => local.requestLog.map((entry) => entry.status);

describe('status faults', () => {
  it('answers the status and code N times, then serves normally (the sdk retries 5xx)', async () => {
    local.injectFault({ subresource: 'inventory', method: 'GET', status: 503, code: 'SlowDown', times: 2 });
    const got = await cos.getBucketInventory({ ...SRC, Id: 'job' });
    expect(got.InventoryConfiguration.Id).toBe('job');
    expect(local.requestLog.map((e) => [e.status, e.code])).toEqual([
      [503, 'SlowDown'],
      [503, 'SlowDown'],
      [200, undefined],
    ]);
  });

  it('fails the sdk call when the fault outlasts its four attempts', async () => {
    local.injectFault({ subresource: 'inventory', status: 500, times: 4 });
    const error = await sdkError(cos.getBucketInventory({ ...SRC, Id: 'job' }));
    expect(error).toMatchObject({ statusCode: 500, code: 'InternalError' });
    expect(statuses()).toEqual([500, 500, 500, 500]);
    expect((await cos.getBucketInventory({ ...SRC, Id: 'job' })).statusCode).toBe(200);
  });

  it('does not retry a 4xx fault and leaves state unchanged', async () => {
    local.injectFault({ method: 'DELETE', subresource: 'inventory', status: 403, code: 'AccessDenied' });
    expect(await sdkError(cos.deleteBucketInventory({ ...SRC, Id: 'job' }))).toMatchObject({
      statusCode: 403,
      code: 'AccessDenied',
    });
    expect(statuses()).toEqual([403]);
    expect((await cos.getBucketInventory({ ...SRC, Id: 'job' })).statusCode).toBe(200);
  });

  it('matches only the selected bucket, sub-resource and id', async () => {
    local.injectFault({ subresource: 'policy', status: 500, times: Infinity });
    local.injectFault({ subresource: 'inventory', id: 'other', status: 500, times: Infinity });
    local.injectFault({ bucket: 'targetbucket-1250000000', status: 500, times: Infinity });
    expect((await cos.getBucketInventory({ ...SRC, Id: 'job' })).statusCode).toBe(200);
    local.clearFaults();
    expect((await sdkError(cos.getBucketPolicy(SRC))).statusCode).toBe(404);
  });

  it('rejects a rule that does nothing or mixes drop and status', () => {
    expect(() => local.injectFault({ method: 'GET' })).toThrow(/does nothing/);
    expect(() => local.injectFault({ drop: true, status: 500 })).toThrow(/exclude/);
    expect(() => local.injectFault({ status: 200 })).toThrow(/status 200/);
  });
});

describe('delays', () => {
  it('delays the answer past the sdk timeout once; the retry succeeds', async () => {
    // The delay runs on the endpoint's clock; the SDK's 100 ms timeout on the wall clock.
    const clock = new TestClock();
    const logged: RequestLogEntry[] = [];
    let onSecond = (): void => undefined;
    const second = new Promise<void>((resolve) => (onSecond = resolve));
    const delayed = await startCos({
      clock,
      onRequest: (entry) => {
        logged.push(entry);
        if (logged.length === 2) onSecond();
      },
    });
    try {
      await delayed.cos.putBucketInventory({
        ...SRC,
        Id: 'job',
        InventoryConfiguration: sampleConfiguration('job'),
      });
      logged.length = 0;
      delayed.local.injectFault({ subresource: 'inventory', method: 'GET', delayMs: 1500 });
      const slowCos = new COS({ ...delayed.local.sdkOptions(), Timeout: 100 });
      const got = await slowCos.getBucketInventory({ ...SRC, Id: 'job' });
      expect(got.InventoryConfiguration.Id).toBe('job');
      expect(logged.map((e) => [e.status, e.code])).toEqual([[200, undefined]]);
      // The server logs the delayed request once its delay is over and it finds the client gone.
      clock.advance(1500);
      await second;
      expect(logged.map((e) => [e.status, e.code])).toEqual([
        [200, undefined],
        [0, 'ClientClosed'],
      ]);
    } finally {
      await delayed.local.close();
    }
  });
});

describe('dropped connections', () => {
  it('destroys the socket once; the sdk retries and the write lands once', async () => {
    local.injectFault({ method: 'PUT', subresource: 'object', drop: true });
    await cos.putObject({ ...SRC, Key: 'retried.txt', Body: 'x' });
    expect(local.requestLog.map((e) => [e.status, e.code])).toEqual([
      [0, 'ConnectionDropped'],
      [200, undefined],
    ]);
    expect((await cos.getObject({ ...SRC, Key: 'retried.txt' })).Body.toString()).toBe('x');
  });

  it('fails the sdk call with a network error when every attempt is dropped', async () => {
    local.injectFault({ subresource: 'inventory', drop: true, times: 4 });
    const error = await sdkError(cos.getBucketInventory({ ...SRC, Id: 'job' }));
    expect(error.statusCode).toBeUndefined();
    expect(statuses()).toEqual([0, 0, 0, 0]);
  });
});
