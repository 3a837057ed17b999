import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { CosError } from '../../src/cos/errors';
import {
  DeliveryNotFoundError,
  findDelivery,
  listDeliveries,
  readInventoryRows,
  readManifest,
  ReportIntegrityError,
  verifyDelivery,
  type Delivery,
  type InventoryRow,
} from '../../src/report';
import {
  AWKWARD_KEYS,
  DEST,
  JOB,
  listSource,
  PREFIX,
  putJob,
  REGION,
  SOURCE,
  startFixture,
  unquote,
  type ExpectedObject,
  type Fixture,
} from './fixture';

const LOCATION = { bucket: DEST, region: REGION, sourceBucket: SOURCE, jobId: JOB, prefix: PREFIX };
const STORAGE_CLASSES = ['STANDARD', 'STANDARD_IA', 'ARCHIVE'] as const;

async function collect(rows: AsyncIterable<InventoryRow>): Promise<InventoryRow[]> {
  const all: InventoryRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

function asExpected(row: InventoryRow): ExpectedObject {
  return {
    Key: row.Key,
    Size: row.Size ?? -1,
    ETag: unquote(row.ETag ?? ''),
    StorageClass: row.StorageClass ?? '',
    LastModified: row.LastModifiedDate?.getTime() ?? -1,
  };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('reading a delivered report through the SDK', () => {
  let fixture: Fixture;
  let expected: ExpectedObject[];

  beforeAll(async () => {
    // Three rows per data file: the report spans several files.
    fixture = await startFixture(3);
    for (const [index, key] of AWKWARD_KEYS.entries()) {
      await fixture.sdk.putObject({
        Bucket: SOURCE,
        Region: REGION,
        Key: key,
        Body: Buffer.alloc(index * 37 + 1, index),
        StorageClass: STORAGE_CLASSES[index % STORAGE_CLASSES.length],
      });
    }
    await putJob(fixture.sdk);
    expected = await listSource(fixture.sdk);
  });
  afterAll(() => fixture.close());

  it('finds the newest delivery, or the one of a given date', async () => {
    fixture.cos.runInventory(SOURCE, JOB, { date: new Date('2026-01-05T10:00:00Z') });
    fixture.cos.runInventory(SOURCE, JOB, { date: new Date('2026-03-01T10:00:00Z') });
    const newest = await findDelivery(fixture.client, LOCATION);
    expect(newest.date).toBe('20260301');
    expect(newest.manifestKey).toBe(`${PREFIX}/1250000000/source/${JOB}/20260301/manifest.json`);
    const older = await findDelivery(fixture.client, { ...LOCATION, date: '20260105' });
    expect(older.checksumKey).toBe(`${PREFIX}/1250000000/source/${JOB}/20260105/manifest.checksum`);
    expect((await listDeliveries(fixture.client, LOCATION)).map((d) => d.date)).toEqual([
      '20260301',
      '20260105',
    ]);
  });

  it('says clearly when there is no delivery', async () => {
    const error = await caught(findDelivery(fixture.client, { ...LOCATION, date: '20250101' }));
    expect(error).toBeInstanceOf(DeliveryNotFoundError);
    expect((error as Error).message).toBe(
      `no inventory report in bucket ${DEST} under ${PREFIX}/1250000000/source/${JOB}/ dated 20250101`,
    );
    await expect(findDelivery(fixture.client, { ...LOCATION, jobId: 'other' })).rejects.toThrow(
      DeliveryNotFoundError,
    );
  });

  it('reads back exactly the objects, awkward keys included', async () => {
    fixture.cos.runInventory(SOURCE, JOB, { date: new Date('2026-04-01T00:00:00Z') });
    const delivery = await findDelivery(fixture.client, LOCATION);
    const manifest = await readManifest(fixture.client, delivery);
    expect(manifest.files.length).toBe(Math.ceil(AWKWARD_KEYS.length / 3));
    expect(manifest.columns).toEqual([
      'Appid',
      'Bucket',
      'Key',
      'Size',
      'LastModifiedDate',
      'ETag',
      'StorageClass',
      'IsMultipartUploaded',
    ]);
    const rows = await collect(readInventoryRows(fixture.client, delivery));
    expect(rows.map(asExpected).sort((a, b) => (a.Key < b.Key ? -1 : 1))).toEqual(expected);
    expect(new Set(rows.map((row) => row.Key))).toEqual(new Set(AWKWARD_KEYS));
    expect(rows.every((row) => row.Appid === '1250000000' && row.Bucket === 'source')).toBe(true);
    expect(rows.every((row) => row.IsMultipartUploaded === false)).toBe(true);
    await expect(verifyDelivery(fixture.client, delivery)).resolves.toEqual(manifest);
  });

  describe('tampering', () => {
    let delivery: Delivery;
    beforeEach(async () => {
      fixture.cos.runInventory(SOURCE, JOB, { date: new Date('2026-05-01T00:00:00Z') });
      delivery = await findDelivery(fixture.client, { ...LOCATION, date: '20260501' });
    });

    async function replace(key: string, body: Buffer): Promise<void> {
      await fixture.sdk.putObject({ Bucket: DEST, Region: REGION, Key: key, Body: body });
    }

    it('refuses a data file rewritten with other rows, naming it with both md5s', async () => {
      const manifest = await readManifest(fixture.client, delivery);
      const victim = manifest.files[1];
      const original = await fixture.sdk.getObject({ Bucket: DEST, Region: REGION, Key: victim.key });
      const csv = gunzipSync(original.Body).toString('utf8').replace('"1250000000"', '"1250000001"');
      const forged = gzipSync(Buffer.from(csv, 'utf8'));
      await replace(victim.key, forged);

      const error = (await caught(verifyDelivery(fixture.client, delivery))) as ReportIntegrityError;
      expect(error).toBeInstanceOf(ReportIntegrityError);
      expect(error.file).toBe(victim.key);
      const forgedMd5 = createHash('md5').update(forged).digest('hex');
      if (forged.length === victim.size) {
        expect(error.message).toBe(
          `${victim.key}: md5 does not match the manifest: expected ${victim.md5Checksum}, received ${forgedMd5}`,
        );
      } else {
        expect(error.message).toBe(
          `${victim.key}: size does not match the manifest: expected ${victim.size} bytes, received ${forged.length} bytes`,
        );
      }

      // Reading rows stops at the end of that file with the same error.
      const seen: string[] = [];
      const readError = await caught(
        (async () => {
          for await (const row of readInventoryRows(fixture.client, delivery)) seen.push(row.Key);
        })(),
      );
      expect(readError).toBeInstanceOf(ReportIntegrityError);
      expect((readError as ReportIntegrityError).file).toBe(victim.key);
      expect(seen.length).toBeLessThanOrEqual(6);
    });

    it('reports a same-size corruption as an md5 mismatch, not as a gzip error', async () => {
      const manifest = await readManifest(fixture.client, delivery);
      const victim = manifest.files[0];
      const original = await fixture.sdk.getObject({ Bucket: DEST, Region: REGION, Key: victim.key });
      const corrupt = Buffer.from(original.Body);
      corrupt[Math.floor(corrupt.length / 2)] ^= 0xff;
      await replace(victim.key, corrupt);
      const actual = createHash('md5').update(corrupt).digest('hex');
      const expectedMessage = `${victim.key}: md5 does not match the manifest: expected ${victim.md5Checksum}, received ${actual}`;
      await expect(verifyDelivery(fixture.client, delivery)).rejects.toThrow(expectedMessage);
      await expect(collect(readInventoryRows(fixture.client, delivery))).rejects.toThrow(expectedMessage);
    });

    it('refuses a manifest that does not match manifest.checksum', async () => {
      const original = await fixture.sdk.getObject({
        Bucket: DEST,
        Region: REGION,
        Key: delivery.manifestKey,
      });
      const forged = Buffer.from(
        original.Body.toString('utf8').replace(/"listObjectCount": "\d+"/, '"listObjectCount": "1"'),
      );
      expect(forged.equals(original.Body)).toBe(false);
      await replace(delivery.manifestKey, forged);
      const error = (await caught(readManifest(fixture.client, delivery))) as ReportIntegrityError;
      expect(error).toBeInstanceOf(ReportIntegrityError);
      expect(error.check).toBe('manifest-checksum');
      expect(error.actual).toBe(createHash('md5').update(forged).digest('hex'));
      await expect(collect(readInventoryRows(fixture.client, delivery))).rejects.toThrow(
        /manifest\.json: md5 of the manifest does not match manifest\.checksum/,
      );
    });

    it('reports a missing data file with the cos error, not its xml body as data', async () => {
      const manifest = await readManifest(fixture.client, delivery);
      await fixture.sdk.deleteObject({ Bucket: DEST, Region: REGION, Key: manifest.files[2].key });
      const error = await caught(collect(readInventoryRows(fixture.client, delivery)));
      expect(error).toBeInstanceOf(CosError);
      expect((error as CosError).statusCode).toBe(404);
      expect((error as CosError).code).toBe('NoSuchKey');
    });
  });
});

describe('a report of many data files', () => {
  let fixture: Fixture;
  const keys = Array.from({ length: 61 }, (_, index) => `k/${String(index).padStart(3, '0')}`);

  beforeAll(async () => {
    fixture = await startFixture(2);
    await Promise.all(
      keys.map((key) => fixture.sdk.putObject({ Bucket: SOURCE, Region: REGION, Key: key, Body: key })),
    );
    await putJob(fixture.sdk, ['Size']);
    fixture.cos.runInventory(SOURCE, JOB);
  });
  afterAll(() => fixture.close());

  it.each([1, 4, 16])('yields rows in manifest order with %i files in flight', async (concurrency) => {
    const delivery = await findDelivery(fixture.client, LOCATION);
    const manifest = await readManifest(fixture.client, delivery);
    expect(manifest.files.length).toBe(31);
    // The order the files themselves hold, file after file.
    const inFiles: string[] = [];
    for (const file of manifest.files) {
      const body = await fixture.sdk.getObject({ Bucket: DEST, Region: REGION, Key: file.key });
      for (const line of gunzipSync(body.Body).toString('utf8').split('\n').filter(Boolean)) {
        inFiles.push(decodeURIComponent(line.split(',')[2].replace(/"/g, '')));
      }
    }
    const progress: number[] = [];
    const rows = await collect(
      readInventoryRows(fixture.client, delivery, {
        concurrency,
        onProgress: (p) => progress.push(p.filesDone),
      }),
    );
    expect(rows.map((row) => row.Key)).toEqual(inFiles);
    expect([...rows.map((row) => row.Key)].sort()).toEqual(keys);
    expect(rows.map((row) => row.Size)).toEqual(inFiles.map((key) => Buffer.byteLength(key)));
    expect(progress).toEqual(Array.from({ length: 31 }, (_, index) => index + 1));
  });

  it('stops downloading when the reader stops early', async () => {
    const delivery = await findDelivery(fixture.client, LOCATION);
    const first: string[] = [];
    for await (const row of readInventoryRows(fixture.client, delivery, { concurrency: 4 })) {
      first.push(row.Key);
      if (first.length === 3) break;
    }
    expect(first.length).toBe(3);
    // The endpoint still answers: nothing was left hanging on it.
    await expect(verifyDelivery(fixture.client, delivery)).resolves.toBeDefined();
  });
});

describe('a report of all versions with a metadata column', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture(100, true);
    const put = (key: string, body: string, owner: string): Promise<unknown> =>
      fixture.sdk.putObject({
        Bucket: SOURCE,
        Region: REGION,
        Key: key,
        Body: body,
        Headers: { 'x-cos-meta-owner': owner },
      });
    await put('a.txt', 'first', 'ann');
    await put('a.txt', 'second!', 'bob');
    await put('b.txt', 'gone soon', 'cy');
    await fixture.sdk.deleteObject({ Bucket: SOURCE, Region: REGION, Key: 'b.txt' });
    await putJob(fixture.sdk, ['Size', 'StorageClass', 'x-cos-meta-owner'], 'All');
    fixture.cos.runInventory(SOURCE, JOB);
  });
  afterAll(() => fixture.close());

  it('types the version columns and leaves a delete marker without size', async () => {
    const delivery = await findDelivery(fixture.client, LOCATION);
    const manifest = await readManifest(fixture.client, delivery);
    expect(manifest.columns).toEqual([
      'Appid',
      'Bucket',
      'Key',
      'VersionId',
      'IsLatest',
      'IsDeleteMarker',
      'Size',
      'StorageClass',
      'x-cos-meta-owner',
    ]);
    const rows = await collect(readInventoryRows(fixture.client, delivery));
    const view = rows
      .map((row) => [row.Key, row.IsLatest, row.IsDeleteMarker, row.Size, row['x-cos-meta-owner']])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(view).toEqual(
      [
        ['a.txt', false, false, 5, 'ann'],
        ['a.txt', true, false, 7, 'bob'],
        ['b.txt', false, false, 9, 'cy'],
        ['b.txt', true, true, undefined, ''],
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(rows.every((row) => typeof row.VersionId === 'string' && row.VersionId !== '')).toBe(true);
    expect(rows.filter((row) => row.IsDeleteMarker).every((row) => !('Size' in row))).toBe(true);
  });
});

describe('a report of an empty bucket', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture();
    await putJob(fixture.sdk);
    fixture.cos.runInventory(SOURCE, JOB);
  });
  afterAll(() => fixture.close());

  it('has no data files and no rows, and verifies', async () => {
    const delivery = await findDelivery(fixture.client, LOCATION);
    const manifest = await verifyDelivery(fixture.client, delivery);
    expect(manifest.files).toEqual([]);
    expect(await collect(readInventoryRows(fixture.client, delivery, { manifest }))).toEqual([]);
  });
});
