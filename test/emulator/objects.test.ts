import COS from 'cos-nodejs-sdk-v5';
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync, gunzipSync } from 'node:zlib';
import { LocalCos } from '../../src/emulator';
import { sdkError, SRC, startCos } from './helpers';

let local: LocalCos;
let cos: COS;

beforeEach(async () => {
  ({ local, cos } = await startCos());
});

afterEach(async () => {
  await local.close();
});

describe('objects', () => {
  it('stores a gzip body byte for byte and serves it with an md5 ETag', async () => {
    const body = gzipSync(randomBytes(50_000));
    const put = await cos.putObject({ ...SRC, Key: 'reports/data.csv.gz', Body: body });
    const md5 = createHash('md5').update(body).digest('hex');
    expect(put.ETag).toBe(`"${md5}"`);
    const got = await cos.getObject({ ...SRC, Key: 'reports/data.csv.gz' });
    expect(Buffer.compare(got.Body as Buffer, body)).toBe(0);
    expect(gunzipSync(got.Body as Buffer)).toHaveLength(50_000);
    expect(got.ETag).toBe(`"${md5}"`);
  });

  it('keeps metadata, storage class and content type, and answers HEAD', async () => {
    await cos.putObject({
      ...SRC,
      Key: 'a b+c(1).txt',
      Body: 'hello',
      ContentType: 'text/plain',
      StorageClass: 'STANDARD_IA',
      Headers: { 'x-cos-meta-owner': 'team-a' },
    });
    const head = await cos.headObject({ ...SRC, Key: 'a b+c(1).txt' });
    expect(head.headers).toMatchObject({
      'content-type': 'text/plain',
      'content-length': '5',
      'x-cos-storage-class': 'STANDARD_IA',
      'x-cos-meta-owner': 'team-a',
    });
  });

  it('refuses an unknown storage class', async () => {
    const error = await sdkError(
      cos.putObject({ ...SRC, Key: 'x', Body: 'x', StorageClass: 'COLD' as 'STANDARD' }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'InvalidArgument' });
  });

  it('serves a byte range with 206', async () => {
    await cos.putObject({ ...SRC, Key: 'range.txt', Body: '0123456789' });
    const got = await cos.getObject({ ...SRC, Key: 'range.txt', Range: 'bytes=2-5' });
    expect(got.statusCode).toBe(206);
    expect(got.Body.toString()).toBe('2345');
    const bad = await sdkError(cos.getObject({ ...SRC, Key: 'range.txt', Range: 'bytes=20-30' }));
    expect(bad).toMatchObject({ statusCode: 416, code: 'InvalidRange' });
  });

  it('deletes with 204 and then answers 404 NoSuchKey', async () => {
    await cos.putObject({ ...SRC, Key: 'gone.txt', Body: 'x' });
    expect((await cos.deleteObject({ ...SRC, Key: 'gone.txt' })).statusCode).toBe(204);
    expect(await sdkError(cos.getObject({ ...SRC, Key: 'gone.txt' }))).toMatchObject({
      statusCode: 404,
      code: 'NoSuchKey',
    });
    expect((await cos.deleteObject({ ...SRC, Key: 'never.txt' })).statusCode).toBe(204);
  });

  it('lists with prefix, delimiter, marker and max-keys, escaping keys in xml', async () => {
    for (const key of ['a/1.txt', 'a/2.txt', 'a/sub/3.txt', 'b/<&>.txt', 'c.txt']) {
      await cos.putObject({ ...SRC, Key: key, Body: key });
    }
    const all = await cos.getBucket({ ...SRC });
    expect(all.Contents.map((c) => c.Key)).toEqual([
      'a/1.txt',
      'a/2.txt',
      'a/sub/3.txt',
      'b/<&>.txt',
      'c.txt',
    ]);

    const folders = await cos.getBucket({ ...SRC, Delimiter: '/' });
    expect(folders.CommonPrefixes.map((p) => p.Prefix)).toEqual(['a/', 'b/']);
    expect(folders.Contents.map((c) => c.Key)).toEqual(['c.txt']);

    const inA = await cos.getBucket({ ...SRC, Prefix: 'a/', Delimiter: '/' });
    expect(inA.Contents.map((c) => c.Key)).toEqual(['a/1.txt', 'a/2.txt']);
    expect(inA.CommonPrefixes.map((p) => p.Prefix)).toEqual(['a/sub/']);

    const page1 = await cos.getBucket({ ...SRC, MaxKeys: 2 });
    expect(page1.IsTruncated).toBe('true');
    expect(page1.Contents.map((c) => c.Key)).toEqual(['a/1.txt', 'a/2.txt']);
    const page2 = await cos.getBucket({ ...SRC, MaxKeys: 2, Marker: page1.NextMarker });
    expect(page2.Contents.map((c) => c.Key)).toEqual(['a/sub/3.txt', 'b/<&>.txt']);
    const page3 = await cos.getBucket({ ...SRC, MaxKeys: 2, Marker: page2.NextMarker });
    expect(page3.Contents.map((c) => c.Key)).toEqual(['c.txt']);
    expect(page3.IsTruncated).toBe('false');
  });

  it('reports a common prefix once across pages', async () => {
    for (const key of ['a/1', 'a/2', 'b/1', 'c']) await cos.putObject({ ...SRC, Key: key, Body: key });
    const page1 = await cos.getBucket({ ...SRC, Delimiter: '/', MaxKeys: 1 });
    expect(page1.CommonPrefixes.map((p) => p.Prefix)).toEqual(['a/']);
    expect(page1.NextMarker).toBe('a/');
    const page2 = await cos.getBucket({ ...SRC, Delimiter: '/', MaxKeys: 1, Marker: page1.NextMarker });
    expect(page2.CommonPrefixes.map((p) => p.Prefix)).toEqual(['b/']);
    const page3 = await cos.getBucket({ ...SRC, Delimiter: '/', MaxKeys: 1, Marker: page2.NextMarker });
    expect(page3.Contents.map((c) => c.Key)).toEqual(['c']);
    expect(page3.IsTruncated).toBe('false');
  });

  it('keeps old versions in a versioned bucket and hides deleted keys', async () => {
    local.createBucket('versioned-1250000000', SRC.Region, { versioned: true });
    const V = { Bucket: 'versioned-1250000000', Region: SRC.Region };
    const first = await cos.putObject({ ...V, Key: 'k', Body: 'one' });
    await cos.putObject({ ...V, Key: 'k', Body: 'two' });
    expect((await cos.getObject({ ...V, Key: 'k' })).Body.toString()).toBe('two');
    const firstVersion = first.headers?.['x-cos-version-id'] as string;
    expect((await cos.getObject({ ...V, Key: 'k', VersionId: firstVersion })).Body.toString()).toBe('one');
    await cos.deleteObject({ ...V, Key: 'k' });
    expect((await sdkError(cos.getObject({ ...V, Key: 'k' }))).statusCode).toBe(404);
    expect((await cos.getBucket(V)).Contents).toEqual([]);
  });
});
