import { cosAction, policyAllows } from '../../src/emulator/access';
import { AccountRecord } from '../../src/emulator/accounts';
import { Principal, RoleRecord } from '../../src/emulator/identities';
import { isMetadataRequest } from '../../src/emulator/metadata-route';
import { isStsRequest } from '../../src/emulator/sts-route';

const B: AccountRecord = { uin: '100000000002', appid: '1250000002', keys: [] };
const ROLE: RoleRecord = {
  arn: 'qcs::cam::uin/100000000002:roleName/editor',
  account: B,
  name: 'editor',
  id: '4611686018000000001',
  trusted: new Set(['100000000001']),
};
const KEY_OF_B: Principal = { account: B, kind: 'user' };
const SESSION_OF_B: Principal = { account: B, kind: 'role', role: ROLE, sessionName: 's' };
const RESOURCE = 'qcs::cos:ap-guangzhou:uid/1250000000:src-1250000000/';

const policy = (...statement: object[]): string => JSON.stringify({ version: '2.0', statement });
const allow = (principal: unknown, action: unknown, resource: unknown = RESOURCE.replace(/\/$/, '/*')) => ({
  effect: 'allow',
  principal,
  action,
  resource,
});

describe('policyAllows (another account against a bucket policy)', () => {
  it.each([
    ['the account root', { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] }, KEY_OF_B, true],
    ['another account', { qcs: ['qcs::cam::uin/100000000003:uin/100000000003'] }, KEY_OF_B, false],
    ['anyone', { qcs: ['qcs::cam::anyone:anyone'] }, KEY_OF_B, true],
    ['*', '*', KEY_OF_B, true],
    ["the caller's role", { qcs: [ROLE.arn] }, SESSION_OF_B, true],
    ["the caller's role, for a permanent key of its account", { qcs: [ROLE.arn] }, KEY_OF_B, false],
    ['a single string principal', { qcs: 'qcs::cam::uin/100000000002:uin/100000000002' }, KEY_OF_B, true],
  ])('a statement naming %s', (_what, principal, caller, expected) => {
    expect(
      policyAllows(policy(allow(principal, 'name/cos:GetBucketPolicy')), caller, 'GetBucketPolicy', RESOURCE),
    ).toBe(expected);
  });

  const byRoot = { qcs: ['qcs::cam::uin/100000000002:uin/100000000002'] };

  it.each([
    ['the exact action', 'name/cos:PutBucketInventory', true],
    ['a glob', ['name/cos:*Inventory'], true],
    ['every cos action', 'name/cos:*', true],
    ['*', '*', true],
    ['another action', 'name/cos:GetObject', false],
  ])('matches %s', (_what, action, expected) => {
    expect(policyAllows(policy(allow(byRoot, action)), KEY_OF_B, 'PutBucketInventory', RESOURCE)).toBe(
      expected,
    );
  });

  it('matches resources by glob, also capitalised keys as COS answers them, and lets deny win', () => {
    const other = allow(byRoot, '*', 'qcs::cos:ap-guangzhou:uid/1250000000:other-1250000000/*');
    expect(policyAllows(policy(other), KEY_OF_B, 'GetBucket', RESOURCE)).toBe(false);
    const capitalised = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { qcs: byRoot.qcs }, Action: ['*'], Resource: ['*'] }],
    });
    expect(policyAllows(capitalised, KEY_OF_B, 'GetBucket', RESOURCE)).toBe(true);
    const denied = policy(allow(byRoot, '*'), { ...allow(byRoot, 'name/cos:GetBucket'), effect: 'deny' });
    expect(policyAllows(denied, KEY_OF_B, 'GetBucket', RESOURCE)).toBe(false);
    expect(policyAllows(denied, KEY_OF_B, 'HeadBucket', RESOURCE)).toBe(true);
  });

  it('allows nothing without a policy or with one that is not JSON', () => {
    expect(policyAllows(undefined, KEY_OF_B, 'GetBucket', RESOURCE)).toBe(false);
    expect(policyAllows('{', KEY_OF_B, 'GetBucket', RESOURCE)).toBe(false);
  });
});

describe('cosAction', () => {
  it.each([
    ['GET', 'inventory', 'a', 'GetBucketInventory'],
    ['GET', 'inventory', undefined, 'ListBucketInventory'],
    ['POST', 'inventory', 'a', 'PostBucketInventory'],
    ['DELETE', 'policy', undefined, 'DeleteBucketPolicy'],
    ['HEAD', 'object', undefined, 'HeadObject'],
    ['PUT', 'unknown', undefined, undefined],
  ] as const)('%s %s (id %s) is %s', (method, subresource, id, action) => {
    expect(cosAction(method, subresource, id)).toBe(action);
  });
});

describe('which requests are STS and metadata', () => {
  it.each([
    [{ host: 'sts.tencentcloudapi.com' }, true],
    [{ host: 'sts.ap-guangzhou.tencentcloudapi.com:443' }, true],
    [{ host: 'sts.intl.tencentcloudapi.com' }, true],
    [{ host: '127.0.0.1:9000', 'x-tc-action': 'AssumeRole' }, true],
    [{ host: '127.0.0.1:9000' }, false],
    [{ host: 'src-1250000000.cos.ap-guangzhou.myqcloud.com' }, false],
  ])('%j -> %s', (headers, expected) => {
    expect(isStsRequest(headers)).toBe(expected);
  });

  it('takes the metadata host, or the metadata path on another host', () => {
    expect(isMetadataRequest('metadata.tencentyun.com', '/anything')).toBe(true);
    expect(isMetadataRequest('127.0.0.1:9000', '/latest/meta-data/cam/security-credentials/x')).toBe(true);
    expect(isMetadataRequest('127.0.0.1:9000', '/_localcos/deliver')).toBe(false);
  });
});
