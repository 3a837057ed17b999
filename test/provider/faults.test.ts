/**
 * COS failing under the provider: retries within the budget set in the environment, one error
 * line per failed operation (the diagnostic's detail) with the hint, and no secret in any of it.
 */
import type { CosClient } from '../../src/cos/client';
import { getInventory } from '../../src/cos/inventory';
import type { LocalCos } from '../../src/emulator';
import { jobAttributes } from '../../src/model/job-attributes';
import { grantState } from '../../src/provider/grant-schema';
import { jobState } from '../../src/provider/job-schema';
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from '../../src/provider/names';
import { cosInventoryProvider } from '../../src/provider/provider';
import type { Diagnostic } from '../../src/tfplugin/diagnostics';
import type { TfObject } from '../../src/tfplugin/value';
import { DESTINATION, job, REGION, SOURCE } from '../handler/fixtures';
import { endpointEnv, startKit, TestClock } from '../kit';

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

const EMPTY = Buffer.alloc(0);
const jobValue = (id: string, bucket = SOURCE): TfObject => jobState(jobAttributes(job(id), bucket, REGION));

/** What an operation answered, with its diagnostics as one string each (summary: detail). */
interface Outcome {
  readonly state?: TfObject | null;
  readonly lines: string[];
}

function outcome(result: { state?: TfObject | null; diagnostics?: readonly Diagnostic[] }): Outcome {
  return {
    ...(result.state === undefined ? {} : { state: result.state }),
    lines: (result.diagnostics ?? []).map((d) => d.detail ?? ''),
  };
}

/** A provider process as Terraform starts it, with `env` and a clock of its own. */
function provider(processEnv: Record<string, string> = env, clock = new TestClock()) {
  const started = cosInventoryProvider({ env: processEnv, clock });
  started.runtime.configure(undefined);
  const job = (started.resources ?? {})[JOB_RESOURCE_TYPE];
  const grant = (started.resources ?? {})[GRANT_RESOURCE_TYPE];
  return {
    createGrant: async (planned: TfObject) =>
      outcome(
        await grant.create({
          priorState: null,
          plannedState: planned,
          config: planned,
          plannedPrivate: EMPTY,
        }),
      ),
    create: async (planned: TfObject) =>
      outcome(
        await job.create({ priorState: null, plannedState: planned, config: planned, plannedPrivate: EMPTY }),
      ),
    read: async (state: TfObject) => outcome(await job.read(state, EMPTY)),
    delete: async (state: TfObject) => outcome(await job.delete(state, EMPTY)),
  };
}

function statuses(method: string): number[] {
  return cos.requestLog.filter((entry) => entry.method === method).map((entry) => entry.status);
}

describe('faults', () => {
  it('three 503s then success: the job is stored', async () => {
    cos.injectFault({ method: 'PUT', subresource: 'inventory', status: 503, code: 'SlowDown', times: 3 });
    const result = await provider().create(jobValue('after-503'));
    expect(result.lines).toEqual([]);
    expect(statuses('PUT')).toEqual([503, 503, 503, 200]);
    expect(await getInventory(client, { bucket: SOURCE, region: REGION }, 'after-503')).toBeDefined();
  });

  it('a persistent 503 fails within the budget set in the environment', async () => {
    cos.injectFault({ method: 'PUT', subresource: 'inventory', status: 503, times: Infinity });
    const clock = new TestClock();
    const result = await provider(env, clock).create(jobValue('never'));
    expect(result.state).toBeUndefined();
    // Our layer's backoffs, on the injected clock, until the next one would pass the 1500 ms.
    expect(clock.sleeps.length).toBeGreaterThan(0);
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(1500);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(
      /^cos-inventory provider put-job: bucket=examplebucket-1250000000 id=never code=ServiceUnavailable request-id=\S+: putBucketInventory failed: .*hint: cos kept failing with 503/,
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
    const result = await provider().delete(jobValue('x'));
    expect(statuses('DELETE')).toEqual([403]);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(
      /^cos-inventory provider delete-job: bucket=examplebucket-1250000000 id=x code=AccessDenied request-id=\S+: .*hint: check TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY .*name\/cos:DeleteBucketInventory/,
    );
  });

  it('a create on a bucket that does not exist fails naming it', async () => {
    const result = await provider().create(jobValue('j', 'missing-1250000000'));
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(
      /^cos-inventory provider put-job: bucket=missing-1250000000 id=j code=NoSuchBucket /,
    );
  });

  it('a grant on a destination bucket that does not exist fails naming it', async () => {
    const missing = 'gone-1250000000';
    const result = await provider().createGrant(
      grantState({
        bucket: missing,
        region: REGION,
        sid: 'cosInventory-faults',
        principals: ['qcs::cam::uin/100000000001:service/cos'],
        resources: [`qcs::cos:${REGION}:uid/1250000000:${missing}/inventory/*`],
        roleArn: null,
      }),
    );
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(
      /^cos-inventory provider attach-policy: bucket=gone-1250000000 id=cosInventory-faults code=NoSuchBucket /,
    );
  });

  it('a dropped connection is retried', async () => {
    cos.injectFault({ method: 'PUT', subresource: 'inventory', drop: true, times: 1 });
    const result = await provider().create(jobValue('after-drop'));
    expect(result.lines).toEqual([]);
    expect(statuses('PUT')).toEqual([0, 200]);
  });

  it('connections dropped every time fail the refresh with a network error', async () => {
    cos.injectFault({ method: 'GET', subresource: 'inventory', drop: true, times: Infinity });
    const result = await provider().read(jobValue('dropped'));
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(
      /^cos-inventory provider read: bucket=examplebucket-1250000000 id=dropped code=\S+ request-id=-: listBucketInventory failed: .*hint: cos could not be reached/,
    );
  });

  it('a slow answer past the request timeout is retried', async () => {
    cos.injectFault({ method: 'GET', subresource: 'inventory', delayMs: 1500, times: 1 });
    const result = await provider({ ...env, COS_INVENTORY_TIMEOUT_MS: '300' }).read(jobValue('absent'));
    // Only a retry can answer in time: the first request waits 1.5 s past the 0.3 s timeout.
    expect(result).toEqual({ state: null, lines: [] });
  });
});

describe('secrets', () => {
  const secretKey = 'SECRETKEY-do-not-print-0123456789';
  const token = 'TOKEN-do-not-print-abcdefghij';
  const withSecrets = () => ({
    ...env,
    TENCENTCLOUD_SECRET_KEY: secretKey,
    TENCENTCLOUD_SECURITY_TOKEN: token,
  });

  function expectNoSecret(result: Outcome): void {
    const text = JSON.stringify(result);
    for (const secret of [secretKey, token]) expect(text).not.toContain(secret);
  }

  it('a rejected signature shows neither the key nor the token', async () => {
    const result = await provider(withSecrets()).create(jobValue('denied'));
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(/code=SignatureDoesNotMatch .*hint: check TENCENTCLOUD_SECRET_ID/);
    expectNoSecret(result);
  });

  it('a secret echoed back in a failure is redacted', async () => {
    const result = await provider(withSecrets()).delete({
      ...jobValue('x'),
      bucket: secretKey,
      job_id: token,
    });
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toContain('[redacted]');
    expectNoSecret(result);
  });

  it('successful operations show no secret either', async () => {
    const result = await provider({ ...env, TENCENTCLOUD_SECURITY_TOKEN: token }).read(jobValue('absent'));
    expect(result).toEqual({ state: null, lines: [] });
    expectNoSecret(result);
    expect(JSON.stringify(result)).not.toContain(cos.credentials.secretKey);
  });
});
