import COS from 'cos-nodejs-sdk-v5';
import { get } from 'node:http';
import { DEFAULT_CREDENTIALS, LocalCos } from '../../src/emulator';
import { errorCode, rawRequest, REGION, sdkError, sign, SOURCE, SRC, startCos } from './helpers';

let local: LocalCos;
let cos: COS;
const host = `${SOURCE}.cos.${REGION}.myqcloud.com`;

beforeEach(async () => {
  ({ local, cos } = await startCos());
});

afterEach(async () => {
  await local.close();
});

describe('credentials', () => {
  it('uses the documented default pair when none is given', () => {
    expect(local.credentials).toEqual(DEFAULT_CREDENTIALS);
    expect(local.sdkOptions()).toEqual({
      SecretId: DEFAULT_CREDENTIALS.secretId,
      SecretKey: DEFAULT_CREDENTIALS.secretKey,
      Protocol: 'http:',
      Ip: `127.0.0.1:${local.port}`,
    });
    expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
  });

  it('accepts every configured pair and reports the first', async () => {
    const other = await LocalCos.start({
      credentials: [
        { secretId: 'AKIDfirst', secretKey: 'k1' },
        { secretId: 'AKIDsecond', secretKey: 'k2' },
      ],
      buckets: [`${SOURCE}@${REGION}`],
    });
    try {
      expect(other.credentials.secretId).toBe('AKIDfirst');
      const second = new COS({ ...other.sdkOptions(), SecretId: 'AKIDsecond', SecretKey: 'k2' });
      expect((await second.getBucket(SRC)).statusCode).toBe(200);
      const defaults = new COS({ ...other.sdkOptions(), SecretId: DEFAULT_CREDENTIALS.secretId });
      expect(await sdkError(defaults.getBucket(SRC))).toMatchObject({
        statusCode: 403,
        code: 'InvalidAccessKeyId',
      });
    } finally {
      await other.close();
    }
  });
});

describe('signature failures', () => {
  it('answers 403 InvalidAccessKeyId for an unknown key id', async () => {
    const stranger = new COS({ ...local.sdkOptions(), SecretId: 'AKIDunknown' });
    expect(await sdkError(stranger.getBucketInventory({ ...SRC, Id: 'x' }))).toMatchObject({
      statusCode: 403,
      code: 'InvalidAccessKeyId',
    });
  });

  it('answers 403 SignatureDoesNotMatch for a wrong secret key', async () => {
    const wrong = new COS({ ...local.sdkOptions(), SecretKey: 'not-the-key' });
    expect(await sdkError(wrong.putObject({ ...SRC, Key: 'a', Body: 'x' }))).toMatchObject({
      statusCode: 403,
      code: 'SignatureDoesNotMatch',
    });
    expect(local.requestLog.at(-1)).toMatchObject({
      subresource: 'object',
      status: 403,
      code: 'SignatureDoesNotMatch',
    });
  });

  it('answers 403 AccessDenied "Request has expired" for an expired window', async () => {
    const now = Math.floor(Date.now() / 1000);
    const headers = { host };
    const authorization = sign(local, {
      method: 'GET',
      headers,
      query: { prefix: '' },
      keyTime: `${now - 3600};${now - 1800}`,
    });
    const response = await rawRequest(local, {
      method: 'GET',
      path: '/?prefix=',
      host,
      headers: { Authorization: authorization },
    });
    expect(response.status).toBe(403);
    expect(errorCode(response.body)).toBe('AccessDenied');
    expect(response.body).toContain('<Message>Request has expired</Message>');
  });

  it('answers 403 when the signature does not cover the host header', async () => {
    const authorization = sign(local, { method: 'GET', headers: {} });
    const response = await rawRequest(local, {
      method: 'GET',
      path: '/',
      host,
      headers: { Authorization: authorization },
    });
    expect(response.status).toBe(403);
    expect(errorCode(response.body)).toBe('AccessDenied');
  });

  it('answers 403 SignatureDoesNotMatch when a signed parameter was changed', async () => {
    const authorization = sign(local, {
      method: 'GET',
      headers: { host },
      query: { inventory: '', id: 'a' },
    });
    const response = await rawRequest(local, {
      method: 'GET',
      path: '/?inventory&id=b',
      host,
      headers: { Authorization: authorization },
    });
    expect(response.status).toBe(403);
    expect(errorCode(response.body)).toBe('SignatureDoesNotMatch');
  });

  it('answers 403 SignatureDoesNotMatch when a parameter was added after signing', async () => {
    const authorization = sign(local, { method: 'GET', headers: { host }, query: { inventory: '' } });
    const response = await rawRequest(local, {
      method: 'GET',
      path: '/?inventory&id=b',
      host,
      headers: { Authorization: authorization },
    });
    expect(errorCode(response.body)).toBe('SignatureDoesNotMatch');
  });

  it('answers 403 SignatureDoesNotMatch when a request signed for one bucket is sent to another', async () => {
    local.createBucket('other-1250000000', REGION);
    const authorization = sign(local, { method: 'GET', headers: { host } });
    const response = await rawRequest(local, {
      method: 'GET',
      path: '/',
      host: `other-1250000000.cos.${REGION}.myqcloud.com`,
      headers: { Authorization: authorization },
    });
    expect(errorCode(response.body)).toBe('SignatureDoesNotMatch');
  });

  it('answers 403 AccessDenied for an unsigned request', async () => {
    const response = await rawRequest(local, { method: 'GET', path: '/', host });
    expect(response.status).toBe(403);
    expect(errorCode(response.body)).toBe('AccessDenied');
  });

  it('accepts a query-string signed url from getObjectUrl', async () => {
    await cos.putObject({ ...SRC, Key: 'signed/file.txt', Body: 'presigned' });
    const url = await new Promise<string>((resolve, reject) =>
      cos.getObjectUrl({ ...SRC, Key: 'signed/file.txt', Sign: true }, (err, data) =>
        err ? reject(err) : resolve(data.Url),
      ),
    );
    const parsed = new URL(url);
    const body = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      get(
        {
          host: local.host,
          port: local.port,
          path: `${parsed.pathname}${parsed.search}`,
          headers: { host: parsed.host },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }),
          );
        },
      ).on('error', reject);
    });
    expect(body).toEqual({ status: 200, text: 'presigned' });
  });
});

describe('addressing', () => {
  it('answers 404 NoSuchBucket for an unknown bucket', async () => {
    expect(await sdkError(cos.getBucket({ Bucket: 'missing-1250000000', Region: REGION }))).toMatchObject({
      statusCode: 404,
      code: 'NoSuchBucket',
    });
  });

  it('answers 404 NoSuchBucket for the right bucket in the wrong region', async () => {
    expect(await sdkError(cos.getBucket({ Bucket: SOURCE, Region: 'ap-shanghai' }))).toMatchObject({
      statusCode: 404,
      code: 'NoSuchBucket',
    });
  });

  it.each([
    ['an ip address', '127.0.0.1', 'InvalidURI'],
    ['a bucket without appid', `sourcebucket.cos.${REGION}.myqcloud.com`, 'InvalidURI'],
    ['another domain', `${SOURCE}.s3.amazonaws.com`, 'InvalidURI'],
    [
      'a bucket name with a double hyphen',
      `my--bucket-1250000000.cos.${REGION}.myqcloud.com`,
      'InvalidBucketName',
    ],
  ])('answers 400 for a host that is %s', async (_name, badHost, code) => {
    const authorization = sign(local, { method: 'GET', headers: { host: badHost } });
    const response = await rawRequest(local, {
      method: 'GET',
      path: '/',
      host: badHost,
      headers: { Authorization: authorization },
    });
    expect(response.status).toBe(400);
    expect(errorCode(response.body)).toBe(code);
  });

  it('accepts the backup domain tencentcos.cn the sdk switches to', async () => {
    const backupHost = `${SOURCE}.cos.${REGION}.tencentcos.cn`;
    const authorization = sign(local, { method: 'GET', headers: { host: backupHost } });
    const response = await rawRequest(local, {
      method: 'GET',
      path: '/',
      host: backupHost,
      headers: { Authorization: authorization },
    });
    expect(response.status).toBe(200);
  });

  it('lists buckets on the service endpoint', async () => {
    const service = await cos.getService({});
    expect(service.Buckets.map((b) => `${b.Name}@${b.Location}`).sort()).toEqual([
      `${SOURCE}@${REGION}`,
      `targetbucket-1250000000@${REGION}`,
    ]);
  });
});
