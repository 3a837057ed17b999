import { ClientConfigError, credentialsFromEnv, parseEndpoint } from '../../src/cos/client';
import { CosError, toCosError } from '../../src/cos/errors';
import { camAction, formatErrorLine, redact } from '../../src/handler/errors';

describe('credentialsFromEnv', () => {
  it('names every missing variable', () => {
    expect(() => credentialsFromEnv({})).toThrow(
      'missing credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SECURITY_TOKEN for temporary keys)',
    );
    expect(() => credentialsFromEnv({ TENCENTCLOUD_SECRET_ID: 'id' })).toThrow(
      'set TENCENTCLOUD_SECRET_KEY (',
    );
  });

  it('reads the optional settings', () => {
    expect(
      credentialsFromEnv({
        TENCENTCLOUD_SECRET_ID: 'id',
        TENCENTCLOUD_SECRET_KEY: 'key',
        TENCENTCLOUD_SECURITY_TOKEN: 'token',
        COS_INVENTORY_ENDPOINT: 'http://127.0.0.1:9000',
        COS_INVENTORY_RETRY_BUDGET_MS: '500',
        COS_INVENTORY_TIMEOUT_MS: '100',
      }),
    ).toEqual({
      secretId: 'id',
      secretKey: 'key',
      securityToken: 'token',
      endpoint: 'http://127.0.0.1:9000',
      retryBudgetMs: 500,
      timeoutMs: 100,
    });
  });

  it('rejects a budget that is not a positive number', () => {
    expect(() =>
      credentialsFromEnv({
        TENCENTCLOUD_SECRET_ID: 'id',
        TENCENTCLOUD_SECRET_KEY: 'key',
        COS_INVENTORY_RETRY_BUDGET_MS: '1s',
      }),
    ).toThrow('COS_INVENTORY_RETRY_BUDGET_MS must be a positive whole number of milliseconds, received "1s"');
  });
});

describe('parseEndpoint', () => {
  it.each([
    ['http://127.0.0.1:9000', '127.0.0.1:9000'],
    ['http://localhost:80/', 'localhost:80'],
    ['http://[::1]:9000', '[::1]:9000'],
  ])('accepts %s', (value, hostPort) => {
    expect(parseEndpoint(value)).toEqual({ protocol: 'http:', hostPort });
  });

  it.each([
    'https://127.0.0.1:9000',
    'http://127.0.0.1',
    'http://127.0.0.1:0',
    'http://127.0.0.1:70000',
    'http://h:1/x',
    '127.0.0.1:9000',
    'http://u:p@h:1',
  ])('rejects %s', (value) => {
    expect(() => parseEndpoint(value, 'COS_INVENTORY_ENDPOINT')).toThrow(ClientConfigError);
  });
});

describe('error lines', () => {
  it('uses the XML code even when the SDK rewrote err.code', () => {
    const sdkError = {
      code: '404',
      statusCode: 404,
      message: 'Policy Not found',
      error: { Code: 'NoSuchPolicy', Message: 'no policy' },
      headers: { 'x-cos-request-id': 'rid-1' },
    };
    expect(toCosError(sdkError, 'getBucketPolicy', 'b-1')).toMatchObject({
      code: 'NoSuchPolicy',
      requestId: 'rid-1',
      message: 'no policy',
    });
  });

  it('formats a 403 with the permission and the variables, in one line', () => {
    const error = new CosError({
      code: 'AccessDenied',
      statusCode: 403,
      message: 'access denied\nfor this key',
      requestId: 'NjQ',
      operation: 'putBucketInventory',
      bucket: 'b-1250000000',
    });
    expect(formatErrorLine({ verb: 'put-job', bucket: 'b-1250000000', id: 'daily' }, error, [])).toBe(
      'cos-inventory put-job: bucket=b-1250000000 id=daily code=AccessDenied request-id=NjQ: putBucketInventory failed: access denied for this key; ' +
        'hint: check TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (and TENCENTCLOUD_SECURITY_TOKEN for temporary keys) and that the key is allowed name/cos:PutBucketInventory on b-1250000000',
    );
    expect(camAction('getBucketPolicy')).toBe('name/cos:GetBucketPolicy');
  });

  it('redacts secrets of real length and leaves short values alone', () => {
    expect(redact('key=abcdefgh12345678 b', ['abcdefgh12345678', 'b'])).toBe('key=[redacted] b');
  });
});
