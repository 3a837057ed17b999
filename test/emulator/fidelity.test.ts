import COS from 'cos-nodejs-sdk-v5';
import { LocalCos } from '../../src/emulator';
import { TestClock } from '../kit';
import {
  asSdk,
  md5Base64,
  rawRequest,
  REGION,
  sampleConfiguration,
  sign,
  SOURCE,
  SRC,
  startCos,
} from './helpers';

let local: LocalCos;
let cos: COS;

afterEach(async () => {
  await local.close();
});

const put = (config: COS.InventoryConfiguration): Promise<COS.PutBucketInventoryResult> =>
  cos.putBucketInventory({ ...SRC, Id: config.Id, InventoryConfiguration: config });

const listAll = async (): Promise<string[]> => {
  const ids: string[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await cos.listBucketInventory({
      ...SRC,
      ContinuationToken: token,
    } as COS.ListBucketInventoryParams);
    ids.push(...(page.InventoryConfigurations as COS.InventoryConfiguration[]).map((c) => c.Id));
    if (page.IsTruncated !== 'true') return ids;
    token = (page as unknown as { NextContinuationToken: string }).NextContinuationToken;
  }
};

describe('list order (Python SDK live test: ID-0..ID-149 in creation order across pages of 100)', () => {
  beforeEach(async () => {
    ({ local, cos } = await startCos());
  });

  it('lists in creation order, not id order, across pages', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `ID-${i}`);
    for (const id of ids) await put(sampleConfiguration(id));
    expect(await listAll()).toEqual(ids);
  });

  it('keeps an overwritten id in its place and puts a re-created one last', async () => {
    for (const id of ['b', 'a', 'c']) await put(sampleConfiguration(id));
    await put({ ...sampleConfiguration('b'), IsEnabled: 'false' });
    expect(await listAll()).toEqual(['b', 'a', 'c']);
    await cos.deleteBucketInventory({ ...SRC, Id: 'b' });
    await put(sampleConfiguration('b'));
    expect(await listAll()).toEqual(['a', 'c', 'b']);
  });

  it('continues correctly when the last entry of a page is deleted between pages', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `j${i}`);
    for (const id of ids) await put(sampleConfiguration(id));
    const first = await cos.listBucketInventory({ ...SRC });
    await cos.deleteBucketInventory({ ...SRC, Id: 'j99' });
    const second = await cos.listBucketInventory({
      ...SRC,
      ContinuationToken: (first as unknown as { NextContinuationToken: string }).NextContinuationToken,
    } as COS.ListBucketInventoryParams);
    expect((second.InventoryConfigurations as COS.InventoryConfiguration[]).map((c) => c.Id)).toEqual(
      ids.slice(100),
    );
  });
});

describe('IsEnabled and filter shapes (Python and Go SDK tests, API docs 30625/30623)', () => {
  beforeEach(async () => {
    ({ local, cos } = await startCos());
  });

  it('accepts IsEnabled True and False in any case', async () => {
    await put({ ...sampleConfiguration('upper'), IsEnabled: 'True' as 'true' });
    await put({ ...sampleConfiguration('lower-off'), IsEnabled: 'FALSE' as 'false' });
    const upper = await cos.getBucketInventory({ ...SRC, Id: 'upper' });
    expect(upper.InventoryConfiguration.IsEnabled).toBe('true');
    const off = await cos.getBucketInventory({ ...SRC, Id: 'lower-off' });
    expect(off.InventoryConfiguration.IsEnabled).toBe('false');
  });

  it('still refuses an IsEnabled that is no boolean', async () => {
    await expect(put({ ...sampleConfiguration('x'), IsEnabled: 'yes' as 'true' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'InvalidArgument',
    });
  });

  it('returns <Filter><Prefix> and <Filter><And><Prefix> each as stored', async () => {
    await put(asSdk({ ...sampleConfiguration('flat'), Filter: { Prefix: 'logs/' } }));
    await put(asSdk({ ...sampleConfiguration('and'), Filter: { And: { Prefix: 'logs/' } } }));
    const flat = await cos.getBucketInventory({ ...SRC, Id: 'flat' });
    expect(flat.InventoryConfiguration.Filter).toEqual({ Prefix: 'logs/' });
    const and = await cos.getBucketInventory({ ...SRC, Id: 'and' });
    expect(and.InventoryConfiguration.Filter).toEqual({ And: { Prefix: 'logs/' } });
    // Raw answer: the And element is really there (not merged by the SDK).
    const host = `${SOURCE}.cos.${REGION}.myqcloud.com`;
    const raw = await rawRequest(local, {
      method: 'GET',
      path: '/?inventory&id=and',
      host,
      headers: {
        Authorization: sign(local, { method: 'GET', query: { inventory: '', id: 'and' }, headers: { host } }),
      },
    });
    expect(raw.body).toContain('<Filter><And><Prefix>logs/</Prefix></And></Filter>');
  });
});

describe('read-after-write lag (consistencyLagMs)', () => {
  const policy = (sid: string): object => ({
    version: '2.0',
    statement: [
      {
        sid,
        effect: 'allow',
        principal: { qcs: ['qcs::cam::uin/100000000001:uin/100000000001'] },
        action: ['name/cos:GetObject'],
        resource: [`qcs::cos:${REGION}:uid/1250000000:${SOURCE}/*`],
      },
    ],
  });
  const sids = async (): Promise<string[]> =>
    ((await cos.getBucketPolicy(SRC)).Policy as { Statement: { Sid: string }[] }).Statement.map((s) => s.Sid);

  it('off (0): every read sees the write at once', async () => {
    ({ local, cos } = await startCos({ consistencyLagMs: 0 }));
    await put(sampleConfiguration('a'));
    expect((await cos.getBucketInventory({ ...SRC, Id: 'a' })).InventoryConfiguration.Id).toBe('a');
    expect(await listAll()).toEqual(['a']);
    await cos.putBucketPolicy({ ...SRC, Policy: policy('one') });
    expect(await sids()).toEqual(['one']);
    await cos.deleteBucketInventory({ ...SRC, Id: 'a' });
    expect(await listAll()).toEqual([]);
  });

  it('on: within the window GET and list answer the state before the last write', async () => {
    ({ local, cos } = await startCos({ consistencyLagMs: 60_000 }));
    await put(sampleConfiguration('a'));
    await expect(cos.getBucketInventory({ ...SRC, Id: 'a' })).rejects.toMatchObject({
      statusCode: 404,
      code: 'InventoryConfigurationNotFoundError',
    });
    expect(await listAll()).toEqual([]);
    await put({ ...sampleConfiguration('a'), IsEnabled: 'false' });
    // The previous state now holds the first version of a.
    expect((await cos.getBucketInventory({ ...SRC, Id: 'a' })).InventoryConfiguration.IsEnabled).toBe('true');
    await cos.deleteBucketInventory({ ...SRC, Id: 'a' });
    expect(await listAll()).toEqual(['a']);

    await cos.putBucketPolicy({ ...SRC, Policy: policy('one') });
    await expect(cos.getBucketPolicy(SRC)).rejects.toMatchObject({ statusCode: 404 });
    await cos.putBucketPolicy({ ...SRC, Policy: policy('two') });
    expect(await sids()).toEqual(['one']);
    await cos.deleteBucketPolicy(SRC);
    expect(await sids()).toEqual(['two']);
  });

  it('on: writes are checked against the real state, not the lagged view', async () => {
    ({ local, cos } = await startCos({ consistencyLagMs: 60_000, oneTimeDeliveryDelayMs: 0 }));
    await put(sampleConfiguration('a'));
    // Deleting what a lagged read cannot see yet works: the job exists.
    expect((await cos.deleteBucketInventory({ ...SRC, Id: 'a' })).statusCode).toBe(204);
  });

  it('on: once the window has passed, reads see the latest write', async () => {
    const clock = new TestClock();
    ({ local, cos } = await startCos({ consistencyLagMs: 200, clock }));
    await put(sampleConfiguration('a'));
    await cos.putBucketPolicy({ ...SRC, Policy: policy('one') });
    clock.advance(199);
    await expect(cos.getBucketInventory({ ...SRC, Id: 'a' })).rejects.toMatchObject({ statusCode: 404 });
    clock.advance(1);
    expect((await cos.getBucketInventory({ ...SRC, Id: 'a' })).InventoryConfiguration.Id).toBe('a');
    expect(await listAll()).toEqual(['a']);
    expect(await sids()).toEqual(['one']);
  });

  it('refuses a negative lag clearly', async () => {
    await expect(LocalCos.start({ consistencyLagMs: -1 })).rejects.toThrow(
      /consistencyLagMs -1 is not allowed; use a number of milliseconds >= 0/,
    );
    ({ local, cos } = await startCos());
  });
});

describe('raw one-time POST through ?inventory without "="', () => {
  beforeEach(async () => {
    ({ local, cos } = await startCos({ oneTimeDeliveryDelayMs: 0 }));
  });

  it('answers the PostInventoryResult XML', async () => {
    const host = `${SOURCE}.cos.${REGION}.myqcloud.com`;
    const body =
      '<InventoryConfiguration><Id>raw1</Id><Destination><COSBucketDestination><Format>CSV</Format>' +
      `<Bucket>qcs::cos:${REGION}::targetbucket-1250000000</Bucket></COSBucketDestination></Destination>` +
      '<IncludedObjectVersions>Current</IncludedObjectVersions></InventoryConfiguration>';
    const headers = { host, 'content-md5': md5Base64(body) };
    const response = await rawRequest(local, {
      method: 'POST',
      path: '/?inventory&id=raw1',
      host,
      headers: {
        ...headers,
        Authorization: sign(local, { method: 'POST', query: { inventory: '', id: 'raw1' }, headers }),
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('<PostInventoryResult><JobId>raw1</JobId></PostInventoryResult>');
  });
});
