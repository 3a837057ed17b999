import COS from 'cos-nodejs-sdk-v5';
import { parse } from 'csv-parse/sync';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_REPORT_PREFIX, DeliveryResult, LocalCos } from '../../src/emulator';
import { TestClock } from '../kit';
import { asSdk, REGION, sampleConfiguration, sdkError, SOURCE, SRC, startCos, TARGET } from './helpers';

let local: LocalCos;
let cos: COS;
const DST = { Bucket: TARGET, Region: REGION };

afterEach(async () => {
  await local.close();
});

const md5Hex = (body: Buffer | string): string => createHash('md5').update(body).digest('hex');

interface Manifest {
  sourceAppid: string;
  sourceBucket: string;
  destinationAppid: string;
  destinationBucket: string;
  fileFormat: string;
  listObjectCount: string;
  listStorageSize: string;
  filterObjectCount: string;
  filterStorageSize: string;
  fileSchema: string;
  files: { key: string; size: string; md5Checksum: string }[];
}

/** Reads a delivery through the SDK, checking the checksum file and every data file's md5 and size. */
async function readDelivery(
  result: DeliveryResult,
): Promise<{ manifest: Manifest; rows: Record<string, string>[] }> {
  const manifestBody = (await cos.getObject({ ...DST, Key: result.manifestKey })).Body as Buffer;
  const checksum = ((await cos.getObject({ ...DST, Key: result.checksumKey })).Body as Buffer).toString();
  expect(checksum).toBe(md5Hex(manifestBody));
  const manifest = JSON.parse(manifestBody.toString()) as Manifest;
  for (const value of Object.values(manifest)) {
    if (!Array.isArray(value)) expect(typeof value).toBe('string');
  }
  const columns = manifest.fileSchema.split(', ');
  const rows: Record<string, string>[] = [];
  for (const file of manifest.files) {
    const body = (await cos.getObject({ ...DST, Key: file.key })).Body as Buffer;
    expect(file.md5Checksum).toBe(md5Hex(body));
    expect(file.size).toBe(String(body.length));
    const records = parse(gunzipSync(body)) as string[][];
    for (const record of records) {
      expect(record).toHaveLength(columns.length);
      rows.push(Object.fromEntries(columns.map((column, i) => [column, record[i]])));
    }
  }
  expect(manifest.files.map((f) => f.key)).toEqual(result.dataKeys);
  return { manifest, rows };
}

describe('scheduled delivery (runInventory)', () => {
  beforeEach(async () => {
    ({ local, cos } = await startCos());
  });

  it('writes data files, manifest.json and manifest.checksum at the documented layout', async () => {
    await cos.putObject({
      ...SRC,
      Key: 'filter_prefix/a b.txt',
      Body: 'hello',
      Headers: { 'x-cos-meta-owner': 'ann' },
    });
    await cos.putObject({
      ...SRC,
      Key: 'filter_prefix/ü,"q".bin',
      Body: Buffer.from([1, 2, 3]),
      StorageClass: 'STANDARD_IA',
    });
    await cos.putObject({ ...SRC, Key: 'other/skip.txt', Body: 'not listed' });
    const config = asSdk({
      ...sampleConfiguration('inventory_test'),
      IncludedObjectVersions: 'Current',
      OptionalFields: [
        'x-cos-meta-owner',
        'Crc64',
        'ETag',
        'Size',
        'StorageClass',
        'LastModifiedDate',
        'IsMultipartUploaded',
        'ReplicationStatus',
      ],
    });
    await cos.putBucketInventory({ ...SRC, Id: 'inventory_test', InventoryConfiguration: config });

    const result = local.runInventory(SOURCE, 'inventory_test', {
      date: new Date(Date.UTC(2024, 0, 31, 23, 0)),
    });
    const folder = 'inventory_test_prefix/1250000000/sourcebucket/inventory_test/';
    expect(result.manifestKey).toBe(`${folder}20240131/manifest.json`);
    expect(result.checksumKey).toBe(`${folder}20240131/manifest.checksum`);
    expect(result.dataKeys).toHaveLength(1);
    expect(result.dataKeys[0]).toMatch(new RegExp(`^${folder}[0-9a-f]{32}\\.csv\\.gz$`));
    expect(result.rowCount).toBe(2);

    const { manifest, rows } = await readDelivery(result);
    expect(manifest).toMatchObject({
      sourceAppid: '1250000000',
      sourceBucket: 'sourcebucket',
      destinationAppid: '1250000000',
      destinationBucket: 'targetbucket',
      fileFormat: 'CSV',
      listObjectCount: '3',
      listStorageSize: String(5 + 3 + 10),
      filterObjectCount: '2',
      filterStorageSize: String(5 + 3),
      fileSchema:
        'Appid, Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded, ReplicationStatus, Crc64, x-cos-meta-owner',
    });
    expect(rows.map((r) => decodeURIComponent(r.Key))).toEqual([
      'filter_prefix/a b.txt',
      'filter_prefix/ü,"q".bin',
    ]);
    expect(rows[0]).toMatchObject({
      Appid: '1250000000',
      Bucket: 'sourcebucket',
      Key: 'filter_prefix%2Fa%20b.txt',
      Size: '5',
      ETag: md5Hex('hello'),
      StorageClass: 'STANDARD',
      IsMultipartUploaded: 'false',
      ReplicationStatus: '',
      'x-cos-meta-owner': 'ann',
    });
    const head = await cos.headObject({ ...SRC, Key: 'filter_prefix/a b.txt' });
    expect(rows[0].Crc64).toBe(head.headers?.['x-cos-hash-crc64ecma']);
    expect(new Date(rows[0].LastModifiedDate).toUTCString()).toBe(head.headers?.['last-modified']);
    expect(rows[1]).toMatchObject({ Size: '3', StorageClass: 'STANDARD_IA', 'x-cos-meta-owner': '' });
  });

  it('splits the rows into several data files past rowsPerFile', async () => {
    await local.close();
    ({ local, cos } = await startCos({ rowsPerFile: 2 }));
    for (let i = 0; i < 5; i++) await cos.putObject({ ...SRC, Key: `filter_prefix/${i}`, Body: String(i) });
    await cos.putBucketInventory({
      ...SRC,
      Id: 'split',
      InventoryConfiguration: sampleConfiguration('split'),
    });
    const result = local.runInventory(SOURCE, 'split');
    expect(result.dataKeys).toHaveLength(3);
    const { rows } = await readDelivery(result);
    expect(rows.map((r) => r.Key)).toEqual([0, 1, 2, 3, 4].map((i) => `filter_prefix%2F${i}`));
  });

  it('uses cos_bucket_inventory as the first segment when the destination has no prefix', async () => {
    await cos.putObject({ ...SRC, Key: 'x', Body: 'x' });
    const config = asSdk({
      Id: 'noprefix',
      IsEnabled: 'true',
      Destination: { COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::${TARGET}` } },
      Schedule: { Frequency: 'Weekly' },
      IncludedObjectVersions: 'Current',
    });
    await cos.putBucketInventory({ ...SRC, Id: 'noprefix', InventoryConfiguration: config });
    const result = local.runInventory(SOURCE, 'noprefix', { date: new Date(Date.UTC(2025, 11, 1)) });
    expect(result.manifestKey).toBe(
      `${DEFAULT_REPORT_PREFIX}/1250000000/sourcebucket/noprefix/20251201/manifest.json`,
    );
    const { manifest, rows } = await readDelivery(result);
    expect(manifest.fileSchema).toBe('Appid, Bucket, Key');
    expect(rows).toEqual([{ Appid: '1250000000', Bucket: 'sourcebucket', Key: 'x' }]);
  });

  it('filters by tags (And) and by creation period', async () => {
    await cos.putObject({
      ...SRC,
      Key: 'logs/a',
      Body: 'a',
      Headers: { 'x-cos-tagging': 'team=red&env=prod' },
    });
    await cos.putObject({ ...SRC, Key: 'logs/b', Body: 'b', Headers: { 'x-cos-tagging': 'team=blue' } });
    await cos.putObject({ ...SRC, Key: 'tmp/c', Body: 'c', Headers: { 'x-cos-tagging': 'team=red' } });
    const base = {
      IsEnabled: 'true',
      Destination: { COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::${TARGET}` } },
      Schedule: { Frequency: 'Daily' },
      IncludedObjectVersions: 'Current',
    };
    await cos.putBucketInventory({
      ...SRC,
      Id: 'tags',
      InventoryConfiguration: asSdk({
        ...base,
        Id: 'tags',
        Filter: { And: { Prefix: 'logs/', Tag: [{ Key: 'team', Value: 'red' }] } },
        OptionalFields: ['Tag'],
      }),
    });
    const tagged = await readDelivery(local.runInventory(SOURCE, 'tags'));
    expect(tagged.rows).toEqual([
      { Appid: '1250000000', Bucket: 'sourcebucket', Key: 'logs%2Fa', Tag: 'team=red&env=prod' },
    ]);

    const now = Math.floor(Date.now() / 1000);
    await cos.putBucketInventory({
      ...SRC,
      Id: 'future',
      InventoryConfiguration: asSdk({
        ...base,
        Id: 'future',
        Filter: { Period: { StartTime: String(now + 3600) } },
      }),
    });
    expect((await readDelivery(local.runInventory(SOURCE, 'future'))).rows).toEqual([]);
    await cos.putBucketInventory({
      ...SRC,
      Id: 'past',
      InventoryConfiguration: asSdk({
        ...base,
        Id: 'past',
        Filter: { Period: { StartTime: String(now - 3600), EndTime: String(now + 3600) } },
      }),
    });
    const past = await readDelivery(local.runInventory(SOURCE, 'past'));
    expect(past.rows).toHaveLength(3);
    expect(past.manifest.files).toHaveLength(1);
  });

  it('lists every version with VersionId, IsLatest and IsDeleteMarker when IncludedObjectVersions is All', async () => {
    local.createBucket('versioned-1250000000', REGION, { versioned: true });
    const V = { Bucket: 'versioned-1250000000', Region: REGION };
    await cos.putObject({ ...V, Key: 'k', Body: 'one' });
    await cos.putObject({ ...V, Key: 'k', Body: 'two' });
    await cos.deleteObject({ ...V, Key: 'k' });
    await cos.putBucketInventory({
      ...V,
      Id: 'all',
      InventoryConfiguration: asSdk({
        ...sampleConfiguration('all'),
        Filter: undefined,
        OptionalFields: ['Size'],
      }),
    });
    const { manifest, rows } = await readDelivery(local.runInventory('versioned-1250000000', 'all'));
    expect(manifest.fileSchema).toBe('Appid, Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size');
    expect(rows.map((r) => [r.IsLatest, r.IsDeleteMarker, r.Size])).toEqual([
      ['true', 'true', ''],
      ['false', 'false', '3'],
      ['false', 'false', '3'],
    ]);
    expect(new Set(rows.map((r) => r.VersionId)).size).toBe(3);
    expect(manifest.listObjectCount).toBe('3');
  });

  it('reports an unknown job clearly', () => {
    expect(() => local.runInventory(SOURCE, 'missing')).toThrow(/no inventory configuration missing/);
    expect(() => local.runInventory('missing-1250000000', 'x')).toThrow(
      /bucket missing-1250000000 does not exist/,
    );
  });
});

describe('one-time run (POST ?inventory)', () => {
  const oneTimeXml = (id: string, extra = ''): string =>
    `<InventoryConfiguration><Id>${id}</Id>${extra}<Destination><COSBucketDestination><Format>CSV</Format>` +
    `<Bucket>qcs::cos:${REGION}::${TARGET}</Bucket><Prefix>once</Prefix></COSBucketDestination></Destination>` +
    '<IncludedObjectVersions>Current</IncludedObjectVersions>' +
    '<OptionalFields><Field>Size</Field></OptionalFields></InventoryConfiguration>';

  const post = (
    id: string,
    body: string = oneTimeXml(id),
  ): Promise<{ PostInventoryResult?: unknown; statusCode?: number }> =>
    cos.request({
      ...SRC,
      Method: 'POST',
      Action: 'inventory',
      Query: { id },
      Body: body,
      Headers: {},
    } as COS.RequestParams) as Promise<{ PostInventoryResult?: unknown; statusCode?: number }>;

  const deliveredKeys = async (id: string): Promise<string[]> =>
    (await cos.getBucket({ ...DST, Prefix: `once/1250000000/sourcebucket/${id}/` })).Contents.map(
      (c) => c.Key,
    );

  // The endpoint's delivery delay passes on this clock, moved by the polling below.
  let clock: TestClock;

  // What Tencent's Terraform provider does after a one-time run: poll HEAD on the manifest.
  async function pollManifest(id: string): Promise<string> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const manifest = (await deliveredKeys(id)).find((k) => k.endsWith('/manifest.json'));
      if (manifest !== undefined) {
        expect((await cos.headObject({ ...DST, Key: manifest })).statusCode).toBe(200);
        return manifest;
      }
      clock.advance(25);
    }
    throw new Error(`no manifest for ${id}`);
  }

  describe('with the default delivery delay', () => {
    beforeEach(async () => {
      clock = new TestClock();
      ({ local, cos } = await startCos({ clock }));
    });

    it('answers PostInventoryResult/JobId at once and delivers later, under its own id, storing no job', async () => {
      await cos.putObject({ ...SRC, Key: 'one', Body: '1' });
      const answer = await post('adhoc');
      expect(answer.statusCode).toBe(200);
      expect(answer.PostInventoryResult).toEqual({ JobId: 'adhoc' });
      // Acknowledged, not yet delivered (the default delay is 300 ms).
      expect(await deliveredKeys('adhoc')).toEqual([]);
      const manifest = await pollManifest('adhoc');
      expect(manifest).toMatch(/^once\/1250000000\/sourcebucket\/adhoc\/\d{8}\/manifest\.json$/);
      const keys = await deliveredKeys('adhoc');
      expect(keys.filter((k) => k.endsWith('/manifest.checksum'))).toHaveLength(1);
      expect(keys.filter((k) => k.endsWith('.csv.gz'))).toHaveLength(1);
      expect((await cos.listBucketInventory({ ...SRC })).InventoryConfigurations).toEqual([]);
    });

    it('deliveriesSettled() resolves once the pending run is delivered', async () => {
      await post('settle');
      const settled = local.deliveriesSettled();
      clock.advance(299);
      expect((await deliveredKeys('settle')).some((k) => k.endsWith('/manifest.json'))).toBe(false);
      clock.advance(1);
      await settled;
      expect((await deliveredKeys('settle')).some((k) => k.endsWith('/manifest.json'))).toBe(true);
    });
  });

  describe('with oneTimeDeliveryDelayMs: 0', () => {
    beforeEach(async () => {
      ({ local, cos } = await startCos({ oneTimeDeliveryDelayMs: 0 }));
    });

    it('has delivered by the time the POST is answered', async () => {
      await cos.putObject({ ...SRC, Key: 'one', Body: '1' });
      await post('adhoc');
      const keys = await deliveredKeys('adhoc');
      expect(keys.filter((k) => k.endsWith('/manifest.json'))).toHaveLength(1);
      expect(keys.filter((k) => k.endsWith('.csv.gz'))).toHaveLength(1);
    });

    it('refuses the id of a scheduled job with DuplicateInventoryId and delivers nothing', async () => {
      await cos.putBucketInventory({
        ...SRC,
        Id: 'daily',
        InventoryConfiguration: sampleConfiguration('daily'),
      });
      const error = await sdkError(post('daily'));
      expect(error).toMatchObject({ statusCode: 409, code: 'DuplicateInventoryId' });
      expect(error.message).toMatch(/daily is the id of an inventory configuration/);
      expect(await deliveredKeys('daily')).toEqual([]);
    });

    it('refuses an id already run today, and accepts a new one', async () => {
      await post('run-1');
      const error = await sdkError(post('run-1'));
      expect(error).toMatchObject({ statusCode: 409, code: 'DuplicateInventoryId' });
      expect(error.message).toMatch(/already ran today/);
      expect((await post('run-2')).statusCode).toBe(200);
      expect((await deliveredKeys('run-1')).filter((k) => k.endsWith('manifest.json'))).toHaveLength(1);
    });

    it('refuses IsEnabled in a one-time run body and delivers nothing', async () => {
      const error = await sdkError(post('adhoc', oneTimeXml('adhoc', '<IsEnabled>true</IsEnabled>')));
      expect(error).toMatchObject({ statusCode: 400, code: 'MalformedXML' });
      expect((await cos.getBucket(DST)).Contents).toEqual([]);
      // A refused run does not use up its id.
      expect((await post('adhoc')).statusCode).toBe(200);
    });
  });
});

describe('a disabled job (IsEnabled false)', () => {
  beforeEach(async () => {
    ({ local, cos } = await startCos());
  });

  it('delivers nothing when run: runInventory throws and writes no object', async () => {
    await cos.putBucketInventory({
      ...SRC,
      Id: 'off',
      InventoryConfiguration: { ...sampleConfiguration('off'), IsEnabled: 'false' },
    });
    expect(() => local.runInventory(SOURCE, 'off')).toThrow(
      /inventory configuration off of bucket sourcebucket-1250000000 is disabled/,
    );
    expect((await cos.getBucket(DST)).Contents).toEqual([]);
  });

  it('delivers once enabled again', async () => {
    const config = sampleConfiguration('on');
    await cos.putBucketInventory({
      ...SRC,
      Id: 'on',
      InventoryConfiguration: { ...config, IsEnabled: 'false' },
    });
    await cos.putBucketInventory({
      ...SRC,
      Id: 'on',
      InventoryConfiguration: { ...config, IsEnabled: 'true' },
    });
    expect(local.runInventory(SOURCE, 'on').manifestKey).toMatch(/\/on\/\d{8}\/manifest\.json$/);
  });
});
