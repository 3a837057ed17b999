import COS from 'cos-nodejs-sdk-v5';
import { DEFAULT_CREDENTIALS, LocalCos } from '../../src/emulator';
import { tc3Signature } from '../../src/emulator/tc3';
import { ACCOUNT_B, fakeJwt } from '../kit';
import { callSts, issued } from './sts-client';
import { sdkError } from './helpers';

const A = '100000000001';
const B = ACCOUNT_B.uin;
const B_KEYS = ACCOUNT_B.keys;
const DEPLOYER = `qcs::cam::uin/${A}:roleName/deployer`;
const EDITOR_IN_B = `qcs::cam::uin/${B}:roleName/policy-editor`;
const B_ONLY = `qcs::cam::uin/${B}:roleName/b-only`;
const REGION = 'ap-guangzhou';
const BUCKET_A = 'sourcebucket-1250000000';
const BUCKET_B = 'central-1250000002';

let local: LocalCos;
let offsetMs = 0;
const nowSeconds = (): number => Math.floor((Date.now() + offsetMs) / 1000);
const asA = { secretId: DEFAULT_CREDENTIALS.secretId, secretKey: DEFAULT_CREDENTIALS.secretKey };

beforeAll(async () => {
  local = await LocalCos.start({
    accounts: [{ uin: B, appid: '1250000002', ...B_KEYS }],
    roles: [{ arn: DEPLOYER }, { arn: EDITOR_IN_B, trustedUins: [A] }, { arn: B_ONLY }],
    oidcProviders: ['github-actions'],
    cvmRoles: { 'ci-runner': DEPLOYER },
    stsDurationSeconds: 3600,
    buckets: [`${BUCKET_A}@${REGION}`, `${BUCKET_B}@${REGION}`],
    // The endpoint's one clock, moved by `offsetMs` (its timers stay the system's).
    clock: {
      now: () => Date.now() + offsetMs,
      setTimeout: (callback, ms) => setTimeout(callback, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    },
  });
});
afterAll(() => local.close());
afterEach(() => {
  offsetMs = 0;
});

const assume = (arn: string, extra: Record<string, unknown> = {}) =>
  callSts(local, {
    action: 'AssumeRole',
    ...asA,
    params: { RoleArn: arn, RoleSessionName: 'apply', ...extra },
  });

describe('TC3-HMAC-SHA256', () => {
  it("reproduces Tencent's published signature v3 example", () => {
    // The worked example of Tencent Cloud API 3.0 "Signature v3" (cvm DescribeInstances).
    const { signature, signedHeaders } = tc3Signature({
      method: 'POST',
      canonicalUri: '/',
      canonicalQueryString: '',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Host: 'cvm.tencentcloudapi.com' },
      payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
      timestamp: 1551113065,
      service: 'cvm',
      secretKey: 'Gu5t9xGARNpq86cd98joQYCN3*******',
    });
    expect(signedHeaders).toBe('content-type;host');
    expect(signature).toBe('2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c');
  });
});

describe('sts AssumeRole', () => {
  it("answers Tencent's shape: Credentials, ExpiredTime, Expiration, RequestId; the duration capped", async () => {
    const before = nowSeconds();
    const reply = await assume(DEPLOYER, { DurationSeconds: 7200 });
    expect(reply.status).toBe(200);
    const creds = issued(reply);
    expect(creds.secretId).toMatch(/^AKID/);
    expect(creds.secretKey.length).toBeGreaterThan(20);
    expect(creds.token.length).toBeGreaterThan(100);
    // 7200 asked, 3600 the endpoint's longest.
    expect(creds.expiredTime).toBeGreaterThanOrEqual(before + 3600);
    expect(creds.expiredTime).toBeLessThanOrEqual(nowSeconds() + 3600);
    expect(reply.response.Expiration).toBe(
      new Date(creds.expiredTime * 1000).toISOString().replace('.000Z', 'Z'),
    );
    expect(reply.response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is recognised by X-TC-Action on the endpoint address too (COS_INVENTORY_STS_ENDPOINT)', async () => {
    const host = `${local.host}:${local.port}`;
    const reply = await callSts(local, {
      action: 'GetCallerIdentity',
      ...asA,
      host,
    });
    expect(reply.response).toMatchObject({
      AccountId: A,
      Type: 'CAMUser',
      Arn: `qcs::cam::uin/${A}:uin/${A}`,
    });
  });

  it('verifies whichever headers are signed (x-tc-action too, its value lower-cased)', async () => {
    const reply = await callSts(local, { action: 'GetCallerIdentity', ...asA, signAction: true });
    expect(reply.response).toMatchObject({ AccountId: A });
    const changed = await callSts(local, {
      action: 'GetCallerIdentity',
      ...asA,
      signAction: true,
      headers: { 'X-TC-Action': 'AssumeRole' },
    });
    expect(changed.response.Error?.Code).toBe('AuthFailure.SignatureFailure');
  });

  it("hands out credentials that act on the role's account's buckets through the sdk, with their token", async () => {
    const creds = issued(await assume(DEPLOYER));
    const cos = new COS(local.sdkOptions(creds));
    await cos.putObject({ Bucket: BUCKET_A, Region: REGION, Key: 'via-role.txt', Body: 'x' });
    const identity = await callSts(local, { action: 'GetCallerIdentity', ...creds });
    expect(identity.response).toMatchObject({
      AccountId: A,
      Type: 'CAMRole',
      PrincipalId: A,
      UserId: expect.stringMatching(/^4611686018\d{9}:apply$/),
      Arn: expect.stringMatching(new RegExp(`^qcs::sts:${A}:assumed-role/4611686018\\d{9}$`)),
    });
  });

  it('refuses a temporary key on cos without its token (InvalidToken) and once expired (ExpiredToken)', async () => {
    const creds = issued(await assume(DEPLOYER));
    const tokenless = new COS(local.sdkOptions({ secretId: creds.secretId, secretKey: creds.secretKey }));
    const missing = await sdkError(tokenless.headBucket({ Bucket: BUCKET_A, Region: REGION }));
    expect(missing.statusCode).toBe(400);
    const wrong = new COS(local.sdkOptions({ ...creds, token: `${creds.token}x` }));
    expect((await sdkError(wrong.getBucket({ Bucket: BUCKET_A, Region: REGION }))).code).toBe('InvalidToken');

    offsetMs = 3601 * 1000;
    const cos = new COS(local.sdkOptions(creds));
    const expired = await sdkError(cos.getBucket({ Bucket: BUCKET_A, Region: REGION }));
    expect(expired).toMatchObject({ statusCode: 400, code: 'ExpiredToken' });
  });

  it('chains: a role session of A assumes a role of B that trusts A; B acts', async () => {
    const first = issued(await assume(DEPLOYER));
    const reply = await callSts(local, {
      action: 'AssumeRole',
      ...first,
      params: {
        RoleArn: EDITOR_IN_B,
        RoleSessionName: 'grant',
        ExternalId: 'x',
        Policy: encodeURIComponent('{"version":"2.0","statement":[]}'),
      },
    });
    const second = issued(reply);
    const identity = await callSts(local, { action: 'GetCallerIdentity', ...second });
    expect(identity.response).toMatchObject({ AccountId: B, Type: 'CAMRole' });
    const cos = new COS(local.sdkOptions(second));
    await cos.putBucketPolicy({
      Bucket: BUCKET_B,
      Region: REGION,
      Policy: {
        version: '2.0',
        statement: [
          {
            effect: 'allow',
            principal: { qcs: [`qcs::cam::uin/${A}:uin/${A}`] },
            action: ['name/cos:GetBucketPolicy'],
            resource: [`qcs::cos:${REGION}:uid/1250000002:${BUCKET_B}/*`],
          },
        ],
      } as unknown as COS.PutBucketPolicyParams['Policy'],
    });
  });

  it.each([
    ['an unknown role', () => assume(`qcs::cam::uin/${A}:roleName/nobody`), 'ResourceNotFound.RoleNotFound'],
    ["a role that does not trust the caller's account", () => assume(B_ONLY), 'UnauthorizedOperation'],
    [
      'a one-character session name',
      () => assume(DEPLOYER, { RoleSessionName: 'a' }),
      'InvalidParameter.ParamError',
    ],
    [
      'DurationSeconds over 43200',
      () => assume(DEPLOYER, { DurationSeconds: 43201 }),
      'InvalidParameter.OverTimeError',
    ],
    ['no RoleArn', () => assume(DEPLOYER, { RoleArn: undefined }), 'MissingParameter'],
    [
      'a Policy that is not JSON',
      () => assume(DEPLOYER, { Policy: 'not%20json' }),
      'InvalidParameter.StrategyFormatError',
    ],
    [
      'an unknown SecretId',
      () => callSts(local, { action: 'AssumeRole', secretId: 'AKIDnobody', secretKey: 'k', params: {} }),
      'AuthFailure.SecretIdNotFound',
    ],
    [
      'a wrong secret key',
      () => callSts(local, { action: 'AssumeRole', secretId: asA.secretId, secretKey: 'wrong', params: {} }),
      'AuthFailure.SignatureFailure',
    ],
    [
      'a body changed after signing',
      () => callSts(local, { action: 'GetCallerIdentity', ...asA, params: {}, tamperBody: '{"a":1}' }),
      'AuthFailure.SignatureFailure',
    ],
    [
      'a timestamp 6 minutes old',
      () =>
        callSts(local, {
          action: 'GetCallerIdentity',
          ...asA,
          timestamp: Math.floor(Date.now() / 1000) - 360,
        }),
      'AuthFailure.SignatureExpire',
    ],
    [
      'no signature',
      () => callSts(local, { action: 'AssumeRole', params: {} }),
      'AuthFailure.InvalidAuthorization',
    ],
    [
      'an action sts does not serve here',
      () => callSts(local, { action: 'GetFederationToken', ...asA }),
      'InvalidAction',
    ],
    [
      'another API version',
      () => callSts(local, { action: 'AssumeRole', ...asA, headers: { 'X-TC-Version': '2017-03-12' } }),
      'NoSuchVersion',
    ],
  ])('refuses %s with its error code', async (_what, call, code) => {
    const reply = await call();
    expect(reply.status).toBe(200);
    expect(reply.response.Error?.Code).toBe(code);
    expect(reply.response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.response.Credentials).toBeUndefined();
  });

  it('refuses a temporary caller without its X-TC-Token, and an expired one', async () => {
    const creds = issued(await assume(DEPLOYER));
    const tokenless = await callSts(local, {
      action: 'GetCallerIdentity',
      secretId: creds.secretId,
      secretKey: creds.secretKey,
    });
    expect(tokenless.response.Error?.Code).toBe('AuthFailure.TokenFailure');
    offsetMs = 3601 * 1000;
    const expired = await callSts(local, { action: 'GetCallerIdentity', ...creds, timestamp: nowSeconds() });
    expect(expired.response.Error).toMatchObject({
      Code: 'AuthFailure.TokenFailure',
      Message: expect.stringContaining('expired'),
    });
  });
});

describe('sts faults', () => {
  afterEach(() => local.clearFaults());

  it("answers an injected error in API 3.0's shape, only to rules naming subresource sts", async () => {
    local.injectFault({ status: 503, times: Infinity });
    local.injectFault({
      subresource: 'sts',
      id: 'AssumeRole',
      status: 500,
      code: 'InternalError.DbError',
      message: 'down',
    });
    const reply = await assume(DEPLOYER);
    expect(reply.status).toBe(200);
    expect(reply.response.Error).toEqual({ Code: 'InternalError.DbError', Message: 'down' });
    // The COS rule (no subresource) never hits STS; the sts rule is used up.
    issued(await assume(DEPLOYER));
    expect(local.requestLog.filter((e) => e.subresource === 'sts').map((e) => e.code)).toContain(
      'InternalError.DbError',
    );
  });

  it('drops the connection of an sts request when asked', async () => {
    local.injectFault({ subresource: 'sts', drop: true });
    await expect(assume(DEPLOYER)).rejects.toThrow();
  });
});

describe('sts AssumeRoleWithWebIdentity', () => {
  const web = (params: Record<string, unknown>) =>
    callSts(local, {
      action: 'AssumeRoleWithWebIdentity',
      params: {
        ProviderId: 'github-actions',
        WebIdentityToken: fakeJwt(),
        RoleArn: DEPLOYER,
        RoleSessionName: 'ci',
        ...params,
      },
    });

  it('is unsigned (Authorization: SKIP) and accepts any well-formed JWT of a known provider', async () => {
    const creds = issued(await web({}));
    const identity = await callSts(local, { action: 'GetCallerIdentity', ...creds });
    expect(identity.response).toMatchObject({ AccountId: A, Type: 'CAMRole', PrincipalId: 'github-actions' });
  });

  it.each([
    ['a token that is no JWT', { WebIdentityToken: 'abc.def' }],
    ['a JWT whose payload is not JSON', { WebIdentityToken: `${fakeJwt().split('.')[0]}.bm90anNvbg.c2ln` }],
    ['an unknown provider', { ProviderId: 'gitlab' }],
  ])('refuses %s', async (_what, params) => {
    expect((await web(params)).response.Error?.Code).toBe('InvalidParameter.ParamError');
  });
});

describe('the cvm metadata route', () => {
  const get = async (path: string): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${local.endpoint}${path}`);
    return { status: response.status, text: await response.text() };
  };

  it("lists the roles and answers a role's credentials in the metadata service's fields", async () => {
    expect(await get('/latest/meta-data/cam/security-credentials/')).toEqual({
      status: 200,
      text: 'ci-runner',
    });
    const { status, text } = await get('/latest/meta-data/cam/security-credentials/ci-runner');
    expect(status).toBe(200);
    const body = JSON.parse(text) as Record<string, string | number>;
    expect(Object.keys(body).sort()).toEqual([
      'Code',
      'Expiration',
      'ExpiredTime',
      'TmpSecretId',
      'TmpSecretKey',
      'Token',
    ]);
    expect(body.Code).toBe('Success');
    const cos = new COS(
      local.sdkOptions({
        secretId: String(body.TmpSecretId),
        secretKey: String(body.TmpSecretKey),
        token: String(body.Token),
      }),
    );
    await cos.headBucket({ Bucket: BUCKET_A, Region: REGION });
    const identity = await callSts(local, {
      action: 'GetCallerIdentity',
      secretId: String(body.TmpSecretId),
      secretKey: String(body.TmpSecretKey),
      token: String(body.Token),
    });
    expect(identity.response).toMatchObject({ AccountId: A, Type: 'CAMRole', PrincipalId: A });
    expect(Number(body.ExpiredTime)).toBeLessThanOrEqual(nowSeconds() + 3600);
  });

  it('answers 404 for a role the instance does not have', async () => {
    expect((await get('/latest/meta-data/cam/security-credentials/other')).status).toBe(404);
  });
});

describe('accounts on cos', () => {
  const cosA = (): COS => new COS(local.sdkOptions());
  const cosB = (): COS => new COS(local.sdkOptions(B_KEYS));
  const inventoryOf = (bucket: string) => ({ Bucket: bucket, Region: REGION, Id: 'x' });

  afterEach(async () => {
    await cosA().deleteBucketPolicy({ Bucket: BUCKET_A, Region: REGION });
  });

  it("refuses another account's key with AccessDenied, then allows what the bucket's policy grants its account", async () => {
    const denied = await sdkError(cosB().getBucketInventory(inventoryOf(BUCKET_A)));
    expect(denied).toMatchObject({ statusCode: 403, code: 'AccessDenied' });
    await cosA().putBucketPolicy({
      Bucket: BUCKET_A,
      Region: REGION,
      Policy: {
        version: '2.0',
        statement: [
          {
            effect: 'allow',
            principal: { qcs: [`qcs::cam::uin/${B}:uin/${B}`] },
            action: ['name/cos:GetBucketInventory', 'name/cos:*Policy'],
            resource: [`qcs::cos:${REGION}:uid/1250000000:${BUCKET_A}/*`],
          },
        ],
      } as unknown as COS.PutBucketPolicyParams['Policy'],
    });
    // Allowed now: the inventory read reaches the handler (no such job), the policy read succeeds.
    expect((await sdkError(cosB().getBucketInventory(inventoryOf(BUCKET_A)))).statusCode).toBe(404);
    await cosB().getBucketPolicy({ Bucket: BUCKET_A, Region: REGION });
    // Not granted: objects.
    expect(
      (await sdkError(cosB().getObject({ Bucket: BUCKET_A, Region: REGION, Key: 'via-role.txt' }))).code,
    ).toBe('AccessDenied');
  });

  it("lets a key create and list only its own account's buckets", async () => {
    const refused = await sdkError(cosB().putBucket({ Bucket: 'new-1250000000', Region: REGION }));
    expect(refused).toMatchObject({ statusCode: 403, code: 'AccessDenied' });
    await cosB().putBucket({ Bucket: 'new-1250000002', Region: REGION });
    const listed = await cosB().getService({});
    expect(listed.Buckets.map((b) => b.Name).sort()).toEqual([BUCKET_B, 'new-1250000002']);
  });

  it('never logs a secret key or token', async () => {
    local.clearRequestLog();
    const creds = issued(await assume(DEPLOYER));
    await new COS(local.sdkOptions(creds)).headBucket({ Bucket: BUCKET_A, Region: REGION });
    const log = JSON.stringify(local.requestLog);
    expect(log).toContain('AssumeRole');
    for (const secret of [creds.secretKey, creds.token, asA.secretKey]) expect(log).not.toContain(secret);
  });
});
