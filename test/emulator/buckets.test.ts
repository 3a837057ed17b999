import COS from 'cos-nodejs-sdk-v5';
import type { LocalCos } from '../../src/emulator';
import { startKit } from '../kit';
import { sampleConfiguration, sdkError } from './helpers';

let local: LocalCos;
let cos: COS;

beforeEach(async () => {
  ({ cos: local, sdk: cos } = await startKit());
});

afterEach(async () => {
  await local.close();
});

const NEW = { Bucket: 'fresh-1250000000', Region: 'ap-shanghai' };

describe('buckets at runtime through the sdk', () => {
  it('creates a bucket in the region of the virtual host, heads it and uses it', async () => {
    expect((await sdkError(cos.headBucket(NEW))).statusCode).toBe(404);
    expect((await cos.putBucket(NEW)).statusCode).toBe(200);
    const head = await cos.headBucket(NEW);
    expect(head.statusCode).toBe(200);
    expect(head.headers?.['x-cos-bucket-region']).toBe('ap-shanghai');
    await cos.putObject({ ...NEW, Key: 'a.txt', Body: 'a' });
    expect((await cos.getBucket(NEW)).Contents.map((c) => c.Key)).toEqual(['a.txt']);
    // Same name, other region: it lives in ap-shanghai only.
    expect((await sdkError(cos.headBucket({ ...NEW, Region: 'ap-beijing' }))).statusCode).toBe(404);
  });

  it('answers 409 BucketAlreadyOwnedByYou for an existing name, in any region', async () => {
    await cos.putBucket(NEW);
    expect(await sdkError(cos.putBucket(NEW))).toMatchObject({
      statusCode: 409,
      code: 'BucketAlreadyOwnedByYou',
    });
    expect(await sdkError(cos.putBucket({ ...NEW, Region: 'ap-beijing' }))).toMatchObject({
      statusCode: 409,
      code: 'BucketAlreadyOwnedByYou',
    });
  });

  it('refuses to delete a bucket holding objects with 409 BucketNotEmpty, then deletes it empty', async () => {
    await cos.putBucket(NEW);
    await cos.putObject({ ...NEW, Key: 'a.txt', Body: 'a' });
    expect(await sdkError(cos.deleteBucket(NEW))).toMatchObject({ statusCode: 409, code: 'BucketNotEmpty' });
    await cos.deleteObject({ ...NEW, Key: 'a.txt' });
    expect((await cos.deleteBucket(NEW)).statusCode).toBe(204);
    expect((await sdkError(cos.headBucket(NEW))).statusCode).toBe(404);
    expect(await sdkError(cos.deleteBucket(NEW))).toMatchObject({ statusCode: 404, code: 'NoSuchBucket' });
  });

  it('forgets the jobs and the policy of a deleted bucket; a re-created bucket starts empty', async () => {
    await cos.putBucket(NEW);
    const dest = { Bucket: 'dest-1250000000', Region: NEW.Region };
    await cos.putBucket(dest);
    const config = {
      ...sampleConfiguration('j'),
      Destination: {
        COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${NEW.Region}::${dest.Bucket}` },
      },
    } as COS.InventoryConfiguration;
    await cos.putBucketInventory({ ...NEW, Id: 'j', InventoryConfiguration: config });
    await cos.deleteBucket(NEW);
    await cos.putBucket(NEW);
    expect((await cos.listBucketInventory(NEW)).InventoryConfigurations).toEqual([]);
  });

  it('needs a valid signature to create a bucket', async () => {
    const stranger = new COS({ ...local.sdkOptions(), SecretKey: 'wrong' });
    expect(await sdkError(stranger.putBucket(NEW))).toMatchObject({
      statusCode: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect((await sdkError(cos.headBucket(NEW))).statusCode).toBe(404);
  });

  it('createBucket from code still throws BucketAlreadyExists for a taken name', () => {
    local.createBucket('fresh-1250000000', 'ap-shanghai');
    expect(() => local.createBucket('fresh-1250000000', 'ap-beijing')).toThrow(
      /already exists in ap-shanghai/,
    );
  });
});
