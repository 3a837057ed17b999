import type { CosClient } from '../../src/cos/client';
import { getInventory, putInventory } from '../../src/cos/inventory';
import { getPolicy } from '../../src/cos/policy';
import type { LocalCos } from '../../src/emulator';
import { normalizeRemoteConfiguration } from '../../src/model/compare';
import { DESTINATION, job, REGION, SOURCE } from './fixtures';
import { endpointEnv, runHandler, TestClock, type HandlerOptions, startKit } from '../kit';

/**
 * COS may serve the previous state for a while after a write (its own SDK tests wait seconds
 * before reading back). The emulator's lag reproduces that; the handler must wait it out
 * within its read-back window, and fail naming what differs when the window is too short.
 */
const LAG_MS = 700;

let cos: LocalCos;
let client: CosClient;
let env: Record<string, string>;
// The endpoint's lag and the handler's read-back waits pass on this clock.
const clock = new TestClock();
const handler = (verb: string, options: HandlerOptions) => runHandler(verb, { clock, ...options });

beforeAll(async () => {
  const kit = await startKit({
    consistencyLagMs: LAG_MS,
    clock,
    buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`],
  });
  cos = kit.cos;
  env = endpointEnv(cos, { COS_INVENTORY_POLICY_SETTLE_MS: '50' });
  client = kit.client;
});

afterAll(async () => {
  await cos.close();
});

beforeEach(() => cos.clearRequestLog());

const gets = (subresource: string): number =>
  cos.requestLog.filter((entry) => entry.method === 'GET' && entry.subresource === subresource).length;

const waitOutLag = (): void => clock.advance(LAG_MS + 100);

function statement(sid: string) {
  return {
    sid,
    effect: 'allow',
    principal: { qcs: ['qcs::cam::uin/100000000001:roleName/COS_QcsRole'] },
    action: ['name/cos:PutObject'],
    resource: [`qcs::cos:${REGION}:uid/1250000000:${DESTINATION}/inventory/1250000000/src/*`],
  };
}

describe('read-back under read-after-write lag', () => {
  it('put-job of a new job waits until cos shows it, every read counted', async () => {
    const result = await handler('put-job', {
      spec: { bucket: SOURCE, region: REGION, configuration: job('lagged-new') },
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The first read-back saw nothing (the lag), later ones the job.
    expect(gets('inventory')).toBeGreaterThan(1);
  });

  it('put-job overwriting a job waits until cos shows the new fields', async () => {
    await putInventory(client, { bucket: SOURCE, region: REGION }, job('lagged-change'));
    waitOutLag();
    cos.clearRequestLog();
    const changed = job('lagged-change', { Schedule: { Frequency: 'Weekly' } });
    const result = await handler('put-job', {
      spec: { bucket: SOURCE, region: REGION, configuration: changed },
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(gets('inventory')).toBeGreaterThan(1);
    const stored = await getInventory(client, { bucket: SOURCE, region: REGION }, 'lagged-change');
    expect(normalizeRemoteConfiguration(stored).Schedule).toEqual({ Frequency: 'Weekly' });
  });

  it('put-job with a window shorter than the lag fails naming the fields still differing', async () => {
    await putInventory(client, { bucket: SOURCE, region: REGION }, job('short-window'));
    waitOutLag();
    const changed = job('short-window', { Schedule: { Frequency: 'Weekly' }, Filter: { Prefix: 'other/' } });
    const result = await handler('put-job', {
      spec: { bucket: SOURCE, region: REGION, configuration: changed },
      env: { ...env, COS_INVENTORY_READBACK_MS: '0' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /code=VerificationFailed request-id=-: cos stored inventory job short-window differently from what was sent \(1 reads within the 0 ms read-back window, COS_INVENTORY_READBACK_MS\): Filter.Prefix, Schedule.Frequency;/,
    );
  });

  it('attach-policy and detach-policy wait until cos shows the policy, without writing twice', async () => {
    const bucket = DESTINATION;
    const ours = statement('cosInventory-lagged-1250000000');
    const attached = await handler('attach-policy', {
      spec: { bucket, region: REGION, statement: ours },
      env,
    });
    expect(attached.stderr).toBe('');
    expect(attached.code).toBe(0);
    const puts = (): number =>
      cos.requestLog.filter((entry) => entry.method === 'PUT' && entry.subresource === 'policy').length;
    expect(puts()).toBe(1);
    expect(gets('policy')).toBeGreaterThan(2);
    const policy = await getPolicy(client, { bucket, region: REGION });
    expect(JSON.stringify(policy)).toContain('cosInventory-lagged-1250000000');

    cos.clearRequestLog();
    const detached = await handler('detach-policy', {
      spec: { bucket, region: REGION, sid: ours.sid },
      env,
    });
    expect(detached.stderr).toBe('');
    expect(detached.code).toBe(0);
    expect(cos.requestLog.filter((entry) => entry.method !== 'GET').length).toBe(1);
    expect(await getPolicy(client, { bucket, region: REGION })).toBeUndefined();
  });
});
