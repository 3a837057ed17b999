import COS from 'cos-nodejs-sdk-v5';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCos } from '../../src/emulator';
import { startKit, TestClock, type KitOptions } from '../kit';
import { REGION, sampleConfiguration, SOURCE, SRC, TARGET } from './helpers';

let dir: string;
let local: LocalCos | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'localcos-data-'));
});

afterEach(async () => {
  await local?.close();
  local = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const BUCKETS = [`${SOURCE}@${REGION}`, `${TARGET}@${REGION}`];
const DST = { Bucket: TARGET, Region: REGION };

async function start(options: KitOptions = {}): Promise<COS> {
  const kit = await startKit({ buckets: BUCKETS, dataDir: join(dir, 'data'), ...options });
  local = kit.cos;
  return kit.sdk;
}

async function restart(options: KitOptions = {}): Promise<COS> {
  await local?.close();
  return start(options);
}

const oneTime = (id: string): COS.RequestParams =>
  ({
    ...SRC,
    Method: 'POST',
    Action: 'inventory',
    Query: { id },
    Body:
      `<InventoryConfiguration><Id>${id}</Id><Destination><COSBucketDestination><Format>CSV</Format>` +
      `<Bucket>qcs::cos:${REGION}::${TARGET}</Bucket><Prefix>once</Prefix></COSBucketDestination></Destination>` +
      '<IncludedObjectVersions>Current</IncludedObjectVersions></InventoryConfiguration>',
    Headers: {},
  }) as COS.RequestParams;

describe('LocalCos.start({ dataDir })', () => {
  it('without dataDir, a restart starts empty (the knob off)', async () => {
    local = await LocalCos.start({ buckets: BUCKETS });
    const cos = new COS(local.sdkOptions());
    await cos.putBucketInventory({ ...SRC, Id: 'a', InventoryConfiguration: sampleConfiguration('a') });
    await local.close();
    local = await LocalCos.start({ buckets: BUCKETS });
    const again = new COS(local.sdkOptions());
    expect((await again.listBucketInventory(SRC)).InventoryConfigurations).toEqual([]);
  });

  it('keeps jobs in creation order, policies, objects with metadata and versions, and deleted things deleted', async () => {
    let cos = await start();
    local?.createBucket('versioned-1250000000', REGION, { versioned: true });
    const V = { Bucket: 'versioned-1250000000', Region: REGION };
    for (const id of ['z', 'a', 'm']) {
      await cos.putBucketInventory({ ...SRC, Id: id, InventoryConfiguration: sampleConfiguration(id) });
    }
    await cos.deleteBucketInventory({ ...SRC, Id: 'a' });
    await cos.putBucketPolicy({
      ...SRC,
      Policy: {
        version: '2.0',
        statement: [
          {
            effect: 'allow',
            principal: { qcs: ['qcs::cam::uin/1:uin/1'] },
            action: 'name/cos:GetObject',
            resource: [`qcs::cos:${REGION}:uid/1250000000:${SOURCE}/*`],
          },
        ],
      },
    });
    const policyBefore = (await cos.getBucketPolicy(SRC)).Policy;
    await cos.putObject({
      ...SRC,
      Key: 'dir/ü.txt',
      Body: 'hello',
      StorageClass: 'STANDARD_IA',
      Headers: { 'x-cos-meta-owner': 'ann', 'x-cos-tagging': 'k=v' },
    });
    await cos.putObject({ ...SRC, Key: 'gone.txt', Body: 'bye' });
    await cos.deleteObject({ ...SRC, Key: 'gone.txt' });
    await cos.putObject({ ...V, Key: 'k', Body: 'v1' });
    await cos.putObject({ ...V, Key: 'k', Body: 'v2' });
    await cos.deleteObject({ ...V, Key: 'k' });
    await cos.putBucket({ Bucket: 'temp-1250000000', Region: REGION });
    await cos.deleteBucket({ Bucket: 'temp-1250000000', Region: REGION });
    const head = await cos.headObject({ ...SRC, Key: 'dir/ü.txt' });

    cos = await restart();
    const list = await cos.listBucketInventory(SRC);
    expect((list.InventoryConfigurations as COS.InventoryConfiguration[]).map((c) => c.Id)).toEqual([
      'z',
      'm',
    ]);
    // A job put after the restart goes last: creation numbers continue.
    await cos.putBucketInventory({ ...SRC, Id: 'b', InventoryConfiguration: sampleConfiguration('b') });
    const after = await cos.listBucketInventory(SRC);
    expect((after.InventoryConfigurations as COS.InventoryConfiguration[]).map((c) => c.Id)).toEqual([
      'z',
      'm',
      'b',
    ]);
    expect((await cos.getBucketPolicy(SRC)).Policy).toEqual(policyBefore);
    const again = await cos.headObject({ ...SRC, Key: 'dir/ü.txt' });
    for (const header of [
      'etag',
      'x-cos-hash-crc64ecma',
      'x-cos-meta-owner',
      'x-cos-storage-class',
      'last-modified',
    ]) {
      expect(again.headers?.[header]).toBe(head.headers?.[header]);
    }
    expect(((await cos.getObject({ ...SRC, Key: 'dir/ü.txt' })).Body as Buffer).toString()).toBe('hello');
    await expect(cos.headObject({ ...SRC, Key: 'gone.txt' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(cos.headObject({ ...V, Key: 'k' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(cos.headBucket({ Bucket: 'temp-1250000000', Region: REGION })).rejects.toMatchObject({
      statusCode: 404,
    });
    // Report rows of the versioned bucket still see both versions and the delete marker.
    await cos.putBucketInventory({
      ...V,
      Id: 'all',
      InventoryConfiguration: {
        ...sampleConfiguration('all'),
        Filter: undefined,
        IncludedObjectVersions: 'All',
      },
    });
    expect(local?.runInventory('versioned-1250000000', 'all').rowCount).toBe(3);
  });

  it('delivers a one-time run acknowledged before a restart, after it', async () => {
    let cos = await start({ oneTimeDeliveryDelayMs: 60_000 });
    await cos.request(oneTime('pending'));
    cos = await restart({ oneTimeDeliveryDelayMs: 60_000 });
    const before = await cos.getBucket({ ...DST, Prefix: 'once/' });
    expect(before.Contents).toEqual([]);
    await local?.close();
    // The due time has not changed; a restart with the clock past it delivers at once.
    const later = new TestClock(Date.now() + 120_000);
    cos = await start({ clock: later });
    later.advance(0);
    await local?.deliveriesSettled();
    const delivered = await cos.getBucket({ ...DST, Prefix: 'once/1250000000/sourcebucket/pending/' });
    expect(delivered.Contents.some((c) => c.Key.endsWith('/manifest.json'))).toBe(true);
  });

  it('refuses a corrupt file with an error naming it, never an empty start', async () => {
    const cos = await start();
    await cos.putBucketPolicy({
      ...SRC,
      Policy: {
        statement: [
          { effect: 'allow', principal: { qcs: ['x'] }, action: ['name/cos:GetObject'], resource: ['r'] },
        ],
      },
    });
    await local?.close();
    local = undefined;
    const file = join(dir, 'data', 'buckets', SOURCE, 'policy.json');
    writeFileSync(file, '{"policy": 7}');
    await expect(start()).rejects.toThrow(
      `local cos data file ${file} is corrupt: expected {"policy": string or null}`,
    );
    writeFileSync(file, 'not json');
    await expect(start()).rejects.toThrow(`local cos data file ${file} is corrupt: not valid json`);
  });

  it('names an inventory configuration that no longer validates, and a missing object body', async () => {
    const cos = await start();
    await cos.putObject({ ...SRC, Key: 'a', Body: 'a' });
    await local?.close();
    local = undefined;
    const inventory = join(dir, 'data', 'buckets', SOURCE, 'inventory.json');
    writeFileSync(
      inventory,
      JSON.stringify({
        configurations: [{ seq: 1, xml: '<InventoryConfiguration><Id>x</Id></InventoryConfiguration>' }],
        oneTimeRuns: {},
        pendingRuns: [],
      }),
    );
    await expect(start()).rejects.toThrow(
      `local cos data file ${inventory} is corrupt: configurations[0] is not a valid configuration`,
    );
    writeFileSync(inventory, JSON.stringify({ configurations: [], oneTimeRuns: {}, pendingRuns: [] }));
    const blobs = join(dir, 'data', 'blobs');
    for (const blob of readdirSync(blobs)) rmSync(join(blobs, blob));
    await expect(start()).rejects.toThrow(
      /objects\.json is corrupt: versions\[0\] \(a\) names the body .* which is missing/,
    );
  });

  it('ignores the leftovers of an interrupted write (temp files, half-made or half-deleted buckets)', async () => {
    const cos = await start();
    await cos.putBucketInventory({ ...SRC, Id: 'a', InventoryConfiguration: sampleConfiguration('a') });
    await local?.close();
    local = undefined;
    const buckets = join(dir, 'data', 'buckets');
    writeFileSync(join(buckets, SOURCE, 'inventory.json.tmp-0000'), '{"half');
    mkdirSync(join(buckets, '.new-half-1250000000-1234'));
    writeFileSync(join(buckets, '.new-half-1250000000-1234', 'policy.json'), '{"policy":null}');
    writeFileSync(join(dir, 'data', 'blobs', 'abc.tmp-1234'), 'half');
    const again = await start();
    expect(
      ((await again.listBucketInventory(SRC)).InventoryConfigurations as COS.InventoryConfiguration[])[0].Id,
    ).toBe('a');
    expect(existsSync(join(buckets, SOURCE, 'inventory.json.tmp-0000'))).toBe(false);
    expect(existsSync(join(dir, 'data', 'blobs', 'abc.tmp-1234'))).toBe(false);
    expect(existsSync(join(buckets, '.new-half-1250000000-1234'))).toBe(false);
    await expect(again.headBucket({ Bucket: 'half-1250000000', Region: REGION })).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('refuses a non-empty directory that is not a local cos data directory', async () => {
    writeFileSync(join(dir, 'important.txt'), 'keep');
    await expect(LocalCos.start({ dataDir: dir })).rejects.toThrow(
      `local cos data directory ${dir} is not empty and has no localcos.json`,
    );
  });
});
