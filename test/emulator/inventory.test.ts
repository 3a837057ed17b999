import COS from 'cos-nodejs-sdk-v5';
import { LocalCos } from '../../src/emulator';
import { seedSample } from '../fixtures/seed-samples';
import {
  asSdk,
  errorCode,
  md5Base64,
  rawRequest,
  REGION,
  sampleConfiguration,
  sdkError,
  sign,
  SOURCE,
  SRC,
  startCos,
  TARGET,
} from './helpers';

let local: LocalCos;
let cos: COS;

beforeEach(async () => {
  ({ local, cos } = await startCos());
});

afterEach(async () => {
  await local.close();
});

const put = (config: COS.InventoryConfiguration, id = config.Id): Promise<COS.PutBucketInventoryResult> =>
  cos.putBucketInventory({ ...SRC, Id: id, InventoryConfiguration: config });

describe('the seed samples round-trip through the sdk', () => {
  // Sample 1 of seeds/000: with SSE-COS encryption.
  const sample1 = asSdk(seedSample(true));

  it.each([
    ['sample 1 (SSE-COS)', sample1],
    ['sample 2 (no encryption)', sampleConfiguration()],
  ])('%s', async (_name, config) => {
    const putResult = await put(config);
    expect(putResult.statusCode).toBe(200);
    const got = await cos.getBucketInventory({ ...SRC, Id: config.Id });
    expect(got.statusCode).toBe(200);
    expect(got.InventoryConfiguration).toEqual(config);
  });
});

describe('put, get, delete', () => {
  it('overwrites an existing id and deletes with 204', async () => {
    await put(sampleConfiguration('job-1'));
    await put({ ...sampleConfiguration('job-1'), IsEnabled: 'false' });
    expect((await cos.getBucketInventory({ ...SRC, Id: 'job-1' })).InventoryConfiguration.IsEnabled).toBe(
      'false',
    );
    const deleted = await cos.deleteBucketInventory({ ...SRC, Id: 'job-1' });
    expect(deleted.statusCode).toBe(204);
    const missing = await sdkError(cos.getBucketInventory({ ...SRC, Id: 'job-1' }));
    expect(missing).toMatchObject({ statusCode: 404, code: 'InventoryConfigurationNotFoundError' });
  });

  it('answers 404 InventoryConfigurationNotFoundError when deleting a missing id', async () => {
    const error = await sdkError(cos.deleteBucketInventory({ ...SRC, Id: 'nope' }));
    expect(error).toMatchObject({ statusCode: 404, code: 'InventoryConfigurationNotFoundError' });
  });

  it('stores Monthly schedules, And filters with tags, periods and metadata fields', async () => {
    const config = asSdk({
      Id: 'monthly.job_1',
      IsEnabled: 'true',
      Destination: { COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::${TARGET}` } },
      Schedule: { Frequency: 'Monthly', MonthlyDate: '15' },
      Filter: {
        And: { Prefix: 'logs/', Tag: [{ Key: 'team', Value: 'a' }] },
        Period: { StartTime: '1700000000', EndTime: '1800000000' },
      },
      IncludedObjectVersions: 'Current',
      OptionalFields: ['Tag', 'Crc64', 'x-cos-meta-owner'],
    });
    await put(config);
    const got = await cos.getBucketInventory({ ...SRC, Id: 'monthly.job_1' });
    // The SDK returns a single Tag as an object, not a one-element array.
    expect(got.InventoryConfiguration).toEqual({
      ...config,
      Filter: {
        And: { Prefix: 'logs/', Tag: { Key: 'team', Value: 'a' } },
        Period: { StartTime: '1700000000', EndTime: '1800000000' },
      },
    });
  });

  it('lists an empty bucket as no configurations', async () => {
    const list = await cos.listBucketInventory({ ...SRC });
    expect(list.InventoryConfigurations).toEqual([]);
    expect(list.IsTruncated).toBe('false');
  });
});

describe('listing', () => {
  it('pages 250 configurations by 100 with continuation tokens', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `job-${String(i).padStart(3, '0')}`);
    for (const id of ids) await put(sampleConfiguration(id));
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await cos.listBucketInventory({
        ...SRC,
        ContinuationToken: token,
      } as COS.ListBucketInventoryParams);
      const configs = page.InventoryConfigurations as COS.InventoryConfiguration[];
      pageSizes.push(configs.length);
      seen.push(...configs.map((c) => c.Id));
      if (page.IsTruncated !== 'true') {
        expect((page as unknown as { NextContinuationToken?: string }).NextContinuationToken).toBeUndefined();
        break;
      }
      token = (page as unknown as { NextContinuationToken: string }).NextContinuationToken;
      expect(token).toBeTruthy();
    }
    expect(pageSizes).toEqual([100, 100, 50]);
    expect(seen).toEqual(ids);
  });

  it('rejects a continuation token it did not issue', async () => {
    const error = await sdkError(
      cos.listBucketInventory({ ...SRC, ContinuationToken: '!!' } as COS.ListBucketInventoryParams),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidArgument' });
  });
});

describe('the limit of 1000 configurations', () => {
  it('refuses the 1001st with InventoryFull but allows overwriting at 1000', async () => {
    for (let i = 0; i < 1000; i++) await put(sampleConfiguration(`j${i}`));
    const full = await sdkError(put(sampleConfiguration('one-more')));
    expect(full).toMatchObject({ statusCode: 400, code: 'InventoryFull' });
    await put({ ...sampleConfiguration('j999'), IsEnabled: 'false' });
    expect((await cos.getBucketInventory({ ...SRC, Id: 'j999' })).InventoryConfiguration.IsEnabled).toBe(
      'false',
    );
    await expect(cos.getBucketInventory({ ...SRC, Id: 'one-more' })).rejects.toMatchObject({
      statusCode: 404,
    });
  });
});

describe('validation', () => {
  const dest = (bucket: string): object => ({ COSBucketDestination: { Format: 'CSV', Bucket: bucket } });
  const cases: [string, object, string][] = [
    ['an unknown IsEnabled', { IsEnabled: 'yes' }, 'InvalidArgument'],
    ['an unknown IncludedObjectVersions', { IncludedObjectVersions: 'Some' }, 'InvalidArgument'],
    ['an unknown Frequency', { Schedule: { Frequency: 'Hourly' } }, 'InvalidArgument'],
    ['Monthly without MonthlyDate', { Schedule: { Frequency: 'Monthly' } }, 'InvalidArgument'],
    ['MonthlyDate 32', { Schedule: { Frequency: 'Monthly', MonthlyDate: '32' } }, 'InvalidArgument'],
    ['MonthlyDate with Daily', { Schedule: { Frequency: 'Daily', MonthlyDate: '3' } }, 'InvalidArgument'],
    [
      'a Format other than CSV',
      { Destination: { COSBucketDestination: { Format: 'ORC', Bucket: `qcs::cos:${REGION}::${TARGET}` } } },
      'InvalidArgument',
    ],
    ['an unknown optional field', { OptionalFields: ['Size', 'Colour'] }, 'InvalidArgument'],
    ['a repeated optional field', { OptionalFields: ['Size', 'Size'] }, 'InvalidArgument'],
    ['a destination that is not qcs::cos', { Destination: dest(TARGET) }, 'InvalidArgument'],
    [
      'a destination in another region',
      { Destination: dest(`qcs::cos:ap-shanghai::${TARGET}`) },
      'InvalidArgument',
    ],
    [
      'a destination that does not exist',
      { Destination: dest(`qcs::cos:${REGION}::missing-1250000000`) },
      'InvalidArgument',
    ],
    [
      'a tag filter without Tag in OptionalFields',
      { Filter: { And: { Tag: [{ Key: 'k', Value: 'v' }] } } },
      'InvalidArgument',
    ],
    ['a missing Schedule', { Schedule: undefined }, 'MalformedXML'],
    ['a missing Destination', { Destination: undefined }, 'MalformedXML'],
    ['an unknown element', { Colour: 'red' }, 'MalformedXML'],
  ];

  it.each(cases)('refuses %s and stores nothing', async (_name, change, code) => {
    const config = asSdk(
      Object.fromEntries(
        Object.entries({ ...sampleConfiguration('bad'), ...change }).filter(([, v]) => v !== undefined),
      ),
    );
    const error = await sdkError(put(config));
    expect(error).toMatchObject({ statusCode: 400, code });
    expect((await cos.listBucketInventory({ ...SRC })).InventoryConfigurations).toEqual([]);
  });

  it.each([
    ['a character outside a-z A-Z 0-9 - _ .', 'bad/id'],
    ['65 characters', 'a'.repeat(65)],
  ])('refuses an id with %s', async (_name, id) => {
    const error = await sdkError(put(sampleConfiguration(id)));
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidArgument' });
  });

  it('accepts an id of 64 characters', async () => {
    await put(sampleConfiguration('a'.repeat(64)));
    expect((await cos.getBucketInventory({ ...SRC, Id: 'a'.repeat(64) })).statusCode).toBe(200);
  });

  it('refuses a body whose Id differs from the id query parameter', async () => {
    const error = await sdkError(put(sampleConfiguration('body-id'), 'query-id'));
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidArgument' });
  });
});

describe('requests the sdk cannot send', () => {
  const host = `${SOURCE}.cos.${REGION}.myqcloud.com`;
  const goodBody =
    '<InventoryConfiguration><Id>raw</Id><IsEnabled>true</IsEnabled><Destination><COSBucketDestination>' +
    `<Format>CSV</Format><Bucket>qcs::cos:${REGION}::${TARGET}</Bucket></COSBucketDestination></Destination>` +
    '<Schedule><Frequency>Weekly</Frequency></Schedule><IncludedObjectVersions>Current</IncludedObjectVersions>' +
    '</InventoryConfiguration>';

  async function rawPut(body: string, md5: string | undefined): Promise<{ status: number; code?: string }> {
    const headers: Record<string, string> = {
      host,
      'content-type': 'application/xml',
      'content-length': String(Buffer.byteLength(body)),
    };
    if (md5 !== undefined) headers['content-md5'] = md5;
    const authorization = sign(local, { method: 'PUT', query: { inventory: '', id: 'raw' }, headers });
    const response = await rawRequest(local, {
      method: 'PUT',
      path: '/?inventory&id=raw',
      host,
      headers: { ...headers, Authorization: authorization },
      body,
    });
    return { status: response.status, code: errorCode(response.body) };
  }

  it('accepts ?inventory without "=" and a correct Content-MD5', async () => {
    expect(await rawPut(goodBody, md5Base64(goodBody))).toEqual({ status: 200, code: undefined });
    expect(
      (await cos.getBucketInventory({ ...SRC, Id: 'raw' })).InventoryConfiguration.Schedule.Frequency,
    ).toBe('Weekly');
  });

  it.each([
    ['malformed xml', '<InventoryConfiguration><Id>raw</Id>', 'md5', 400, 'MalformedXML'],
    ['a wrong Content-MD5', goodBody, md5Base64('other'), 400, 'BadDigest'],
    ['no Content-MD5', goodBody, undefined, 400, 'InvalidDigest'],
    ['a Content-MD5 that is not base64 md5', goodBody, 'abc', 400, 'InvalidDigest'],
  ])('answers %s and leaves the stored configuration unchanged', async (_name, body, md5, status, code) => {
    await put(sampleConfiguration('raw'));
    const before = await cos.getBucketInventory({ ...SRC, Id: 'raw' });
    const result = await rawPut(body, md5 === 'md5' ? md5Base64(body) : md5);
    expect(result).toEqual({ status, code });
    const after = await cos.getBucketInventory({ ...SRC, Id: 'raw' });
    expect(after.InventoryConfiguration).toEqual(before.InventoryConfiguration);
    expect((await cos.listBucketInventory({ ...SRC })).InventoryConfigurations).toHaveLength(1);
  });
});
