/**
 * `data "cosinventory_job_delivery"` in process against LocalCos: the job from the bucket's
 * shared listing, the verdict from its report folder, judged as the handler's read judges it.
 */
import { putInventory } from '../../src/cos/inventory';
import { DELIVERY_DATA_SOURCE_TYPE } from '../../src/provider/delivery-data-source';
import { cosInventoryProvider } from '../../src/provider/provider';
import type { DataSourceDefinition } from '../../src/tfplugin/provider';
import { jobConfiguration, REGION, SOURCE, startProviderKit, type ProviderKit } from './helpers';

const DAY = 24 * 3600 * 1000;
let p: ProviderKit;
let delivery: DataSourceDefinition;

beforeAll(async () => {
  p = await startProviderKit();
  const target = { bucket: SOURCE, region: REGION };
  for (const id of ['fresh', 'late', 'waiting'])
    await putInventory(p.kit.client, target, jobConfiguration(id));
  await putInventory(p.kit.client, target, jobConfiguration('off', { IsEnabled: 'false' }));
  p.kit.cos.runInventory(SOURCE, 'fresh', { date: new Date(p.clock.now()) });
  p.kit.cos.runInventory(SOURCE, 'late', { date: new Date(p.clock.now() - 5 * DAY) });
  const provider = cosInventoryProvider({ env: p.kit.env(), clock: p.clock });
  delivery = (provider.dataSources ?? {})[DELIVERY_DATA_SOURCE_TYPE];
});
afterAll(() => p.close());

/** The data source's configuration for one job of SOURCE, its computed attributes unknown. */
const query = (jobId: string) => ({
  region: REGION,
  bucket: SOURCE,
  job_id: jobId,
  verdict: null,
  ok: null,
  detail: null,
  newest_date: null,
});

const read = async (jobId: string) => (await delivery.read(query(jobId))).state;

test.each([
  ['fresh', 'ok', true],
  ['late', 'overdue', false],
  ['waiting', 'never', false],
  ['off', 'disabled', true],
  ['gone', 'absent', true],
])('job %s: verdict %s, ok %s', async (jobId, verdict, ok) => {
  const state = await read(jobId);
  expect(state).toMatchObject({ job_id: jobId, verdict, ok });
  expect(String(state?.detail)).toContain(jobId);
});

test('the jobs come from one listing of the bucket', async () => {
  p.clearRequests();
  const provider = cosInventoryProvider({ env: p.kit.env(), clock: p.clock });
  const source = (provider.dataSources ?? {})[DELIVERY_DATA_SOURCE_TYPE];
  await Promise.all(['fresh', 'late', 'waiting'].map((jobId) => source.read(query(jobId))));
  expect(p.requests().filter((r) => r === 'GET inventory')).toHaveLength(1);
});

test('validation names a bad bucket', async () => {
  const diagnostics = await delivery.validate?.({ region: REGION, bucket: 'nope', job_id: 'x' });
  expect(diagnostics?.[0].detail).toContain(
    `bucket: must be the source bucket's name-appid (received "nope")`,
  );
});
