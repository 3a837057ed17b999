import { listAllObjects, listObjectPages } from '../../src/cos/objects';
import { findDelivery, readInventoryRows, readManifest, type InventoryRow } from '../../src/report';
import { DEST, JOB, PREFIX, putJob, REGION, SOURCE, startFixture, type Fixture } from './fixture';

const LOCATION = { bucket: DEST, region: REGION, sourceBucket: SOURCE, jobId: JOB, prefix: PREFIX };

async function keysOf(rows: AsyncIterable<InventoryRow>): Promise<string[]> {
  const keys: string[] = [];
  for await (const row of rows) keys.push(row.Key);
  return keys;
}

describe('listing and reading under faults', () => {
  let fixture: Fixture;
  const keys = Array.from(
    { length: 23 },
    (_, index) => `p${index % 3}/obj-${String(index).padStart(2, '0')}`,
  );

  beforeAll(async () => {
    fixture = await startFixture(4);
    await Promise.all(
      keys.map((key) => fixture.sdk.putObject({ Bucket: SOURCE, Region: REGION, Key: key, Body: key })),
    );
    await putJob(fixture.sdk, ['Size']);
    fixture.cos.runInventory(SOURCE, JOB);
  });
  afterAll(() => fixture.close());
  afterEach(() => fixture.cos.clearFaults());

  it('lists every object across pages, one request per page', async () => {
    fixture.cos.clearRequestLog();
    const listed: string[] = [];
    for await (const object of listAllObjects(fixture.client, {
      bucket: SOURCE,
      region: REGION,
      maxKeys: 5,
    })) {
      listed.push(object.key);
    }
    expect(listed).toEqual([...keys].sort());
    expect(fixture.cos.requestLog.filter((entry) => entry.method === 'GET')).toHaveLength(5);
  });

  it('groups by delimiter across pages', async () => {
    const prefixes: string[] = [];
    for await (const page of listObjectPages(fixture.client, {
      bucket: SOURCE,
      region: REGION,
      delimiter: '/',
      maxKeys: 2,
    })) {
      prefixes.push(...page.commonPrefixes);
      expect(page.objects).toEqual([]);
    }
    expect(prefixes).toEqual(['p0/', 'p1/', 'p2/']);
  });

  it('retries opening a data file that cos answers with 503', async () => {
    const delivery = await findDelivery(fixture.client, LOCATION);
    const manifest = await readManifest(fixture.client, delivery);
    fixture.cos.clearRequestLog();
    fixture.cos.injectFault({ method: 'GET', key: manifest.files[1].key, status: 503, times: 2 });
    expect((await keysOf(readInventoryRows(fixture.client, delivery, { manifest }))).sort()).toEqual(
      [...keys].sort(),
    );
    const attempts = fixture.cos.requestLog.filter((entry) => entry.key === manifest.files[1].key);
    expect(attempts.map((entry) => entry.status)).toEqual([503, 503, 200]);
  });

  it('retries a data file whose connection was dropped before answering', async () => {
    const delivery = await findDelivery(fixture.client, LOCATION);
    const manifest = await readManifest(fixture.client, delivery);
    fixture.cos.injectFault({ method: 'GET', key: manifest.files[0].key, drop: true, times: 1 });
    expect(await keysOf(readInventoryRows(fixture.client, delivery, { manifest }))).toHaveLength(keys.length);
  });

  it('gives up on a data file refused with 403 at once', async () => {
    const delivery = await findDelivery(fixture.client, LOCATION);
    const manifest = await readManifest(fixture.client, delivery);
    fixture.cos.clearRequestLog();
    fixture.cos.injectFault({ method: 'GET', key: manifest.files[0].key, status: 403, times: 5 });
    await expect(keysOf(readInventoryRows(fixture.client, delivery, { manifest }))).rejects.toMatchObject({
      name: 'CosError',
      code: 'AccessDenied',
      statusCode: 403,
    });
    expect(fixture.cos.requestLog.filter((entry) => entry.key === manifest.files[0].key)).toHaveLength(1);
  });
});
