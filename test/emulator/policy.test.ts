import COS from 'cos-nodejs-sdk-v5';
import { LocalCos } from '../../src/emulator';
import { MAX_POLICY_BYTES } from '../../src/emulator/policy-handlers';
import { MAX_POLICY_STATEMENT_BYTES } from '../../src/emulator/policy-validation';
import {
  destinationStatements,
  POLICY_SIZE_LIMIT_BYTES,
  POLICY_STATEMENT_LIMIT_BYTES,
} from '../../src/model';
import {
  errorCode,
  md5Base64,
  rawRequest,
  REGION,
  sdkError,
  sign,
  SOURCE,
  SRC,
  startCos,
  TARGET,
} from './helpers';

let local: LocalCos;
let cos: COS;

afterEach(async () => {
  await local.close();
});

const statement = {
  sid: 'cos-inventory-delivery',
  effect: 'allow',
  principal: { qcs: ['qcs::cam::uin/100000000001:roleName/COS_QcsRole'] },
  action: ['name/cos:PutObject'],
  resource: [`qcs::cos:${REGION}:uid/1250000000:${TARGET}/inventory/*`],
};

describe('bucket policy as written (normalizePolicy: false)', () => {
  beforeEach(async () => {
    ({ local, cos } = await startCos({ normalizePolicy: false }));
  });

  it('answers 404 NoSuchPolicy before any policy is put', async () => {
    const error = await sdkError(cos.getBucketPolicy(SRC));
    // The SDK rewrites code to '404' for NoSuchPolicy; the status is what callers test.
    expect(error.statusCode).toBe(404);
    const response = await rawRequest(local, {
      method: 'GET',
      path: '/?policy',
      host: `${SOURCE}.cos.${REGION}.myqcloud.com`,
      headers: {
        Authorization: sign(local, {
          method: 'GET',
          query: { policy: '' },
          headers: { host: `${SOURCE}.cos.${REGION}.myqcloud.com` },
        }),
      },
    });
    expect(errorCode(response.body)).toBe('NoSuchPolicy');
  });

  it('replaces the whole document, returns it as stored, and deletes it', async () => {
    const first = { version: '2.0', statement: [statement] };
    expect((await cos.putBucketPolicy({ ...SRC, Policy: first })).statusCode).toBe(204);
    expect((await cos.getBucketPolicy(SRC)).Policy).toEqual(first);

    const second = { version: '2.0', Statement: [{ ...statement, sid: 'other', effect: 'deny' }] };
    await cos.putBucketPolicy({ ...SRC, Policy: second });
    expect((await cos.getBucketPolicy(SRC)).Policy).toEqual(second);

    expect((await cos.deleteBucketPolicy(SRC)).statusCode).toBe(204);
    expect((await sdkError(cos.getBucketPolicy(SRC))).statusCode).toBe(404);
  });

  it.each([
    ['no statement', { version: '2.0' }],
    ['an empty statement array', { version: '2.0', statement: [] }],
    ['an unknown effect', { statement: [{ ...statement, effect: 'maybe' }] }],
    ['no principal', { statement: [{ ...statement, principal: undefined }] }],
    ['an empty action list', { statement: [{ ...statement, action: [] }] }],
    ['a numeric resource', { statement: [{ ...statement, resource: 7 }] }],
    ['version 1.0', { version: '1.0', statement: [statement] }],
  ])('refuses a policy with %s as MalformedPolicy and keeps the old one', async (_name, policy) => {
    const kept = { version: '2.0', statement: [statement] };
    await cos.putBucketPolicy({ ...SRC, Policy: kept });
    const error = await sdkError(cos.putBucketPolicy({ ...SRC, Policy: JSON.parse(JSON.stringify(policy)) }));
    expect(error).toMatchObject({ statusCode: 400, code: 'MalformedPolicy' });
    expect((await cos.getBucketPolicy(SRC)).Policy).toEqual(kept);
  });

  it('refuses a body that is not json', async () => {
    const host = `${SOURCE}.cos.${REGION}.myqcloud.com`;
    const body = '{"statement": [';
    const headers = { host, 'content-md5': md5Base64(body), 'content-length': String(body.length) };
    const response = await rawRequest(local, {
      method: 'PUT',
      path: '/?policy',
      host,
      headers: { ...headers, Authorization: sign(local, { method: 'PUT', query: { policy: '' }, headers }) },
      body,
    });
    expect(response.status).toBe(400);
    expect(errorCode(response.body)).toBe('MalformedPolicy');
  });
});

describe('bucket policy as COS answers it (normalizePolicy default true)', () => {
  beforeEach(async () => {
    ({ local, cos } = await startCos());
  });

  const bare = {
    effect: 'allow',
    principal: { qcs: 'qcs::cam::uin/100000000001:uin/100000000001' },
    action: 'name/cos:GetObject',
    resource: `qcs::cos:${REGION}:uid/1250000000:${SOURCE}/*`,
    condition: { string_equal: { 'qcs:ip': '10.0.0.1' } },
  };

  it('capitalises keys, keeps a given Sid, generates one where missing, and lists single strings', async () => {
    await cos.putBucketPolicy({ ...SRC, Policy: { statement: [statement, bare] } });
    const answer = (await cos.getBucketPolicy(SRC)).Policy as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['Statement', 'Version']);
    expect(answer.Version).toBe('2.0');
    const [ours, other] = answer.Statement as Record<string, unknown>[];
    expect(ours).toEqual({
      Sid: 'cos-inventory-delivery',
      Effect: 'allow',
      Principal: { qcs: ['qcs::cam::uin/100000000001:roleName/COS_QcsRole'] },
      Action: ['name/cos:PutObject'],
      Resource: [`qcs::cos:${REGION}:uid/1250000000:${TARGET}/inventory/*`],
    });
    expect(other).toEqual({
      Sid: expect.stringMatching(/^sid-[0-9a-f]{16}$/) as unknown,
      Effect: 'allow',
      Principal: { qcs: ['qcs::cam::uin/100000000001:uin/100000000001'] },
      Action: ['name/cos:GetObject'],
      Resource: [`qcs::cos:${REGION}:uid/1250000000:${SOURCE}/*`],
      Condition: { string_equal: { 'qcs:ip': '10.0.0.1' } },
    });
    // The generated Sid is the same on every read.
    const again = (await cos.getBucketPolicy(SRC)).Policy as { Statement: { Sid: string }[] };
    expect(again.Statement[1].Sid).toBe(other.Sid);
  });

  it('gives identical statements different generated Sids', async () => {
    await cos.putBucketPolicy({ ...SRC, Policy: { version: '2.0', statement: [bare, bare] } });
    const answer = (await cos.getBucketPolicy(SRC)).Policy as { Statement: { Sid: string }[] };
    const [first, second] = answer.Statement.map((s) => s.Sid);
    expect(first).not.toBe(second);
    expect(second).toBe(`${first}-2`);
  });

  it('still refuses a malformed policy and keeps the old one', async () => {
    await cos.putBucketPolicy({ ...SRC, Policy: { version: '2.0', statement: [statement] } });
    const before = (await cos.getBucketPolicy(SRC)).Policy;
    const error = await sdkError(cos.putBucketPolicy({ ...SRC, Policy: { version: '2.0', statement: [] } }));
    expect(error).toMatchObject({ statusCode: 400, code: 'MalformedPolicy' });
    expect((await cos.getBucketPolicy(SRC)).Policy).toEqual(before);
  });
});

describe('bucket policy size limits', () => {
  beforeEach(async () => {
    ({ local, cos } = await startCos({ normalizePolicy: false }));
  });

  const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
  const withPadding = (n: number): typeof statement => ({
    ...statement,
    resource: [`qcs::cos:${REGION}:uid/1250000000:${TARGET}/${'p'.repeat(n)}/*`],
  });

  /** A policy of exactly `bytes` bytes as the SDK sends it, in statements of at most 4095 bytes. */
  function policyOf(bytes: number): { version: string; statement: (typeof statement)[] } {
    const room = MAX_POLICY_STATEMENT_BYTES - size(withPadding(1));
    const count = Math.ceil(bytes / MAX_POLICY_STATEMENT_BYTES);
    const pads = Array.from({ length: count }, () => 1);
    let missing = bytes - size({ version: '2.0', statement: pads.map(withPadding) });
    for (let i = 0; missing > 0; i++) {
      const add = Math.min(room, missing);
      pads[i] += add;
      missing -= add;
    }
    const policy = { version: '2.0', statement: pads.map(withPadding) };
    expect(size(policy)).toBe(bytes);
    return policy;
  }

  it('uses the same limits as the model', () => {
    expect(MAX_POLICY_BYTES).toBe(POLICY_SIZE_LIMIT_BYTES);
    expect(MAX_POLICY_STATEMENT_BYTES).toBe(POLICY_STATEMENT_LIMIT_BYTES);
  });

  it('accepts a policy of exactly the limit and refuses one byte more as PolicyTooLarge, keeping the old one', async () => {
    const atLimit = policyOf(MAX_POLICY_BYTES);
    expect((await cos.putBucketPolicy({ ...SRC, Policy: atLimit })).statusCode).toBe(204);

    const over = JSON.stringify(policyOf(MAX_POLICY_BYTES + 1));
    const host = `${SOURCE}.cos.${REGION}.myqcloud.com`;
    const headers = {
      host,
      'content-md5': md5Base64(over),
      'content-length': String(Buffer.byteLength(over)),
    };
    const response = await rawRequest(local, {
      method: 'PUT',
      path: '/?policy',
      host,
      headers: { ...headers, Authorization: sign(local, { method: 'PUT', query: { policy: '' }, headers }) },
      body: over,
    });
    expect(response.status).toBe(400);
    expect(errorCode(response.body)).toBe('PolicyTooLarge');
    expect(response.body).toMatch(/<Message>the policy is 20481 bytes; at most 20480 are allowed<\/Message>/);
    expect(response.body).toMatch(/<RequestId>[^<]+<\/RequestId>/);

    const error = await sdkError(cos.putBucketPolicy({ ...SRC, Policy: policyOf(MAX_POLICY_BYTES + 1) }));
    expect(error).toMatchObject({ statusCode: 400, code: 'PolicyTooLarge' });
    expect((await cos.getBucketPolicy(SRC)).Policy).toEqual(atLimit);
  });

  it('accepts a statement of 4095 bytes and refuses one of 4096 as MalformedPolicy', async () => {
    const fits = withPadding(MAX_POLICY_STATEMENT_BYTES - size(withPadding(0)));
    expect(size(fits)).toBe(4095);
    expect(
      (await cos.putBucketPolicy({ ...SRC, Policy: { version: '2.0', statement: [fits] } })).statusCode,
    ).toBe(204);
    const tooBig = withPadding(MAX_POLICY_STATEMENT_BYTES + 1 - size(withPadding(0)));
    const error = await sdkError(
      cos.putBucketPolicy({ ...SRC, Policy: { version: '2.0', statement: [tooBig] } }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'MalformedPolicy' });
    expect(error.message).toContain('statement[0] is 4096 bytes; at most 4095 are allowed per statement');
  });

  it("accepts the model's statements for a destination near the limit, split into statements that fit", async () => {
    const principal = ['qcs::cam::uin/100000000001:roleName/COS_QcsRole'];
    const grants = Array.from({ length: 200 }, (_, i) => ({
      sourceBucket: `source-${String(i).padStart(3, '0')}-1250000000`,
      prefixes: [`team-${String(i).padStart(3, '0')}`],
      principal,
    }));
    const result = destinationStatements({
      destinationBucket: TARGET,
      destinationRegion: REGION,
      sidScope: 'stack',
      grants,
    });
    expect(result.problem).toBeUndefined();
    expect(result.collapsed).toBe(false);
    expect(result.bytes).toBeGreaterThan(MAX_POLICY_BYTES - 2000);
    const policy = { version: '2.0', statement: result.statements };
    expect(size(policy)).toBe(result.bytes);
    expect((await cos.putBucketPolicy({ ...SRC, Policy: policy })).statusCode).toBe(204);
  });
});
