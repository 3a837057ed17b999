import { putInventory } from '../../src/cos/inventory';
import type { LocalCos } from '../../src/emulator';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { DESTINATION, job, REGION, SOURCE } from './fixtures';
import { endpointEnv, startKit } from '../kit';
import { runRead } from './read-query';

const DAY = 86_400_000;

let cos: LocalCos;

beforeAll(async () => {
  const kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`] });
  cos = kit.cos;
  const { client } = kit;
  for (const config of [job('fresh'), job('late'), job('waiting'), job('off', { IsEnabled: 'false' })]) {
    await putInventory(client, { bucket: SOURCE, region: REGION }, config);
  }
  cos.runInventory(SOURCE, 'fresh');
  cos.runInventory(SOURCE, 'late', { date: new Date(Date.now() - 3 * DAY) });
});

afterAll(async () => {
  await cos.close();
});

async function read(
  configurations: readonly InventoryConfiguration[],
  deliveryCheck?: string,
  extraEnv: Record<string, string> = {},
) {
  const stdin = JSON.stringify({
    bucket: SOURCE,
    region: REGION,
    configurations: JSON.stringify(configurations),
    addresses: '{}',
    ...(deliveryCheck === undefined ? {} : { delivery_check: deliveryCheck }),
  });
  cos.clearRequestLog();
  const run = await runRead(stdin, { ...endpointEnv(cos), ...extraEnv });
  return { ...run, answer: run.code === 0 ? (JSON.parse(run.stdout) as Record<string, string>) : {} };
}

describe('read with delivery_check', () => {
  const declared = [
    job('fresh'),
    job('late'),
    job('waiting'),
    job('off', { IsEnabled: 'false' }),
    job('gone'),
  ];

  it('warns about overdue and never-delivered jobs, not about fresh, disabled or absent ones', async () => {
    const { code, stderr, answer } = await read(declared, 'true');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(answer.delivery_ok).toBe('false');
    expect(answer.delivery_message.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^inventory job late: the newest report is of \\d{8}, older than 2 days for a daily schedule: .* \\(bucket ${SOURCE}\\)$`,
        ),
      ),
      `inventory job waiting: no report has been delivered yet (bucket ${SOURCE})`,
    ]);
    expect(answer['delivery.fresh']).toBe('ok');
    expect(answer['delivery.late']).toBe('overdue');
    expect(answer['delivery.waiting']).toBe('never');
    expect(answer['delivery.off']).toBeUndefined();
    expect(answer['delivery.gone']).toBeUndefined();
    // The drift part is unchanged: `gone` is absent, the rest in sync.
    expect(answer['job.gone']).toBe('absent');
    expect(answer['job.fresh']).toBe('in-sync');
    // Cost: one folder listing per checked job, one HEAD per delivered one.
    const listings = cos.requestLog.filter((e) => e.method === 'GET' && e.subresource === 'bucket');
    expect(listings).toHaveLength(3);
    expect(cos.requestLog.filter((e) => e.method === 'HEAD')).toHaveLength(2);
  });

  it('is quiet when every enabled job delivered in time', async () => {
    const { answer } = await read([job('fresh'), job('off', { IsEnabled: 'false' })], 'true');
    expect(answer.delivery_ok).toBe('true');
    expect(answer.delivery_message).toBe('');
  });

  it('says which permission is missing when the destination refuses the listing', async () => {
    cos.injectFault({ method: 'GET', subresource: 'bucket', bucket: DESTINATION, status: 403 });
    const { answer } = await read([job('fresh')], 'true');
    expect(answer.delivery_ok).toBe('false');
    expect(answer['delivery.fresh']).toBe('unreadable');
    expect(answer.delivery_message).toContain(`the key needs name/cos:GetBucket on ${DESTINATION}`);
  });

  it('keeps the drift answer when a destination keeps failing, and says deliveries could not be checked', async () => {
    cos.injectFault({
      method: 'GET',
      subresource: 'bucket',
      bucket: DESTINATION,
      status: 503,
      times: Infinity,
    });
    try {
      const { code, answer } = await read([job('fresh')], 'true', { COS_INVENTORY_RETRY_BUDGET_MS: '300' });
      expect(code).toBe(0);
      expect(answer.in_sync).toBe('true');
      expect(answer.delivery_ok).toBe('false');
      expect(answer.delivery_message).toMatch(
        new RegExp(`^deliveries of the jobs of bucket ${SOURCE} could not be checked: `),
      );
    } finally {
      cos.clearFaults();
    }
  });

  it('adds nothing without the flag, and refuses a value other than true or false', async () => {
    const { answer } = await read(declared);
    expect(Object.keys(answer).filter((k) => k.startsWith('delivery'))).toEqual([]);
    expect(cos.requestLog.filter((e) => e.subresource === 'bucket')).toHaveLength(0);
    const bad = await read(declared, 'yes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("query field delivery_check: must be 'true' or 'false' (received \"yes\")");
  });
});
