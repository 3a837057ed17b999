import { join } from 'node:path';
import { CredentialChain, type CredentialChainOptions } from '../../src/credentials/credential-chain';
import { CredentialError } from '../../src/credentials/errors';
import { FakeSts } from './fake-sts';

const HOME = '/home/tester';
const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl';
const ROLE_A = 'qcs::cam::uin/100001:roleName/deployer';

function setup(env: Record<string, string>, files: Record<string, string> = {}) {
  let clock = Date.UTC(2026, 11, 4, 12, 0, 0);
  const sts = new FakeSts(() => clock);
  sts.addKey('AKIDenv', 'envsecretkey-xxxxxxxx', '100001');
  sts.addKey('AKIDprofile', 'profilesecretkey-xxxx', '100002');
  sts.trust.set(ROLE_A, ['100001', '100002']);
  const options: CredentialChainOptions = {
    env: { HOME, COS_INVENTORY_STS_ENDPOINT: 'http://127.0.0.1:1', ...env },
    requester: sts.requester,
    readFile: (path) => files[path],
    now: () => clock,
  };
  return {
    sts,
    chain: (extra: Partial<CredentialChainOptions> = {}) => new CredentialChain({ ...options, ...extra }),
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

const ENV_KEYS = { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'envsecretkey-xxxxxxxx' };
const profileFile = (fields: Record<string, string>) => JSON.stringify(fields);
const PROFILE_PATH = join(HOME, '.tccli', 'default.credential');

async function failure(chain: CredentialChain): Promise<CredentialError> {
  const error: unknown = await chain.current().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CredentialError))
    throw new Error(`expected a CredentialError, got ${String(error)}`);
  return error;
}

describe('credential chain: sources', () => {
  it.each(['TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN'])(
    'takes keys from the environment with the token in %s',
    async (variable) => {
      const { chain } = setup({ ...ENV_KEYS, [variable]: 'envtoken-xxxxxxxx' });
      const c = chain();
      await expect(c.current()).resolves.toMatchObject({ secretId: 'AKIDenv', token: 'envtoken-xxxxxxxx' });
      expect(c.secrets).toEqual(expect.arrayContaining(['envsecretkey-xxxxxxxx', 'envtoken-xxxxxxxx']));
    },
  );

  it('reads the default profile only when no key variable is set', async () => {
    const files = {
      [PROFILE_PATH]: profileFile({ secretId: 'AKIDprofile', secretKey: 'profilesecretkey-xxxx' }),
    };
    await expect(setup({}, files).chain().current()).resolves.toMatchObject({ secretId: 'AKIDprofile' });
    await expect(setup(ENV_KEYS, files).chain().current()).resolves.toMatchObject({ secretId: 'AKIDenv' });
  });

  it('reads the profile when only a token name the provider does not read is set', async () => {
    const files = {
      [PROFILE_PATH]: profileFile({ secretId: 'AKIDprofile', secretKey: 'profilesecretkey-xxxx' }),
    };
    await expect(
      setup({ TENCENTCLOUD_TOKEN: 'stale-token-xxxxxxxx' }, files).chain().current(),
    ).resolves.toEqual({
      secretId: 'AKIDprofile',
      secretKey: 'profilesecretkey-xxxx',
      source: `profile "default" (${PROFILE_PATH})`,
    });
    const alone = await failure(setup({ TENCENTCLOUD_SECURITY_TOKEN: 'lone-token-xxxxxxxx' }, files).chain());
    expect(alone.message).toBe(
      'environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY): TENCENTCLOUD_SECRET_ID is empty',
    );
  });

  it('reads TENCENTCLOUD_PROFILE from TENCENTCLOUD_SHARED_CREDENTIALS_DIR, and --profile even over key variables', async () => {
    const files = {
      '/etc/tc/ci.credential': profileFile({ secretId: 'AKIDprofile', secretKey: 'profilesecretkey-xxxx' }),
    };
    const env = { TENCENTCLOUD_PROFILE: 'ci', TENCENTCLOUD_SHARED_CREDENTIALS_DIR: '/etc/tc' };
    await expect(setup(env, files).chain().current()).resolves.toMatchObject({ secretId: 'AKIDprofile' });
    const flag = setup({ ...ENV_KEYS, TENCENTCLOUD_SHARED_CREDENTIALS_DIR: '/etc/tc' }, files);
    await expect(flag.chain({ profile: 'ci' }).current()).resolves.toMatchObject({ secretId: 'AKIDprofile' });
  });

  it('names an unknown profile and a malformed profile file', async () => {
    const unknown = await failure(setup({ TENCENTCLOUD_PROFILE: 'nope' }).chain());
    expect(unknown.message).toBe(`profile "nope": ${join(HOME, '.tccli', 'nope.credential')} does not exist`);
    expect(unknown.fix).toContain('TENCENTCLOUD_PROFILE');
    const malformed = await failure(setup({}, { [PROFILE_PATH]: '{not json' }).chain());
    expect(malformed.message).toBe(`profile "default": ${PROFILE_PATH} is not a json object`);
  });

  it("assumes the profile's role-arn with the profile's key", async () => {
    const { chain, sts } = setup(
      {},
      {
        [PROFILE_PATH]: profileFile({
          secretId: 'AKIDprofile',
          secretKey: 'profilesecretkey-xxxx',
          'role-arn': ROLE_A,
          'role-session-name': 'laptop',
        }),
      },
    );
    const c = chain();
    const credential = await c.current();
    expect(credential.secretId).toMatch(/^AKIDtmp/);
    expect(sts.calls).toEqual([
      expect.objectContaining({
        action: 'AssumeRole',
        caller: 'AKIDprofile',
        params: { RoleArn: ROLE_A, RoleSessionName: 'laptop', DurationSeconds: 7200 },
      }),
    ]);
    expect(c.secrets).toEqual(expect.arrayContaining([credential.secretKey, credential.token]));
  });

  it('chains the environment assume role from the environment keys, and sends it to COS_INVENTORY_STS_ENDPOINT', async () => {
    const { chain, sts } = setup({
      ...ENV_KEYS,
      TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_A,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
      TENCENTCLOUD_ASSUME_ROLE_SESSION_DURATION: '900',
      TENCENTCLOUD_ASSUME_ROLE_EXTERNAL_ID: 'ext',
    });
    await chain().current();
    expect(sts.calls).toEqual([
      {
        action: 'AssumeRole',
        caller: 'AKIDenv',
        url: 'http://127.0.0.1:1/',
        params: { RoleArn: ROLE_A, RoleSessionName: 'ci', DurationSeconds: 900, ExternalId: 'ext' },
      },
    ]);
  });

  it('takes the cvm role from the metadata service, then chains the environment role from it', async () => {
    const { chain, sts } = setup({
      TENCENTCLOUD_CAM_ROLE_NAME: 'runner',
      COS_INVENTORY_METADATA_ENDPOINT: 'http://127.0.0.1:2',
      TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_A,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    });
    sts.cvmRoles.set('runner', 'qcs::cam::uin/100001:roleName/runner');
    await expect(chain().current()).resolves.toMatchObject({ source: expect.stringContaining(ROLE_A) });
    expect(sts.calls.map((call) => [call.action, call.url, call.caller])).toEqual([
      ['metadata', 'http://127.0.0.1:2/latest/meta-data/cam/security-credentials/runner', undefined],
      ['AssumeRole', 'http://127.0.0.1:1/', 'AKIDtmp1'],
    ]);
  });

  it("follows the provider's order: keys, then the cvm role replacing them, then the profile's role-arn, then the env role, each signed by the one before", async () => {
    const ROLE_B = 'qcs::cam::uin/100001:roleName/second';
    const { chain, sts } = setup(
      {
        TENCENTCLOUD_CAM_ROLE_NAME: 'runner',
        TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_B,
        TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
      },
      {
        [PROFILE_PATH]: profileFile({
          secretId: 'AKIDprofile',
          secretKey: 'profilesecretkey-xxxx',
          'role-arn': ROLE_A,
          'role-session-name': 'laptop',
        }),
      },
    );
    sts.cvmRoles.set('runner', 'qcs::cam::uin/100001:roleName/runner');
    sts.trust.set(ROLE_B, ['100001']);
    const credential = await chain().current();
    expect(sts.calls.map((call) => [call.action, call.caller, call.params.RoleArn])).toEqual([
      ['metadata', undefined, undefined],
      ['AssumeRole', 'AKIDtmp1', ROLE_A],
      ['AssumeRole', 'AKIDtmp2', ROLE_B],
    ]);
    expect(credential).toMatchObject({
      secretId: 'AKIDtmp3',
      source: `assume role ${ROLE_B} (TENCENTCLOUD_ASSUME_ROLE_ARN)`,
    });
  });

  it('lets the cvm role replace keys from the environment, as the provider does', async () => {
    const { chain, sts } = setup({ ...ENV_KEYS, TENCENTCLOUD_CAM_ROLE_NAME: 'runner' });
    sts.cvmRoles.set('runner', 'qcs::cam::uin/100001:roleName/runner');
    await expect(chain().current()).resolves.toMatchObject({
      secretId: 'AKIDtmp1',
      source: expect.stringMatching(/^cvm role "runner"/),
    });
  });

  it('names the role when the metadata service has none, and the variable when it cannot be reached', async () => {
    const { chain } = setup({ TENCENTCLOUD_CAM_ROLE_NAME: 'ghost' });
    const refused = await failure(chain());
    expect(refused.message).toMatch(
      /^cvm role "ghost" \(TENCENTCLOUD_CAM_ROLE_NAME\): the metadata service answered 404/,
    );
    const unreachable = await failure(
      chain({
        env: { TENCENTCLOUD_CAM_ROLE_NAME: 'runner' },
        requester: () => Promise.reject(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
      }),
    );
    expect(unreachable.message).toBe(
      'cvm role "runner" (TENCENTCLOUD_CAM_ROLE_NAME): the metadata service at http://metadata.tencentyun.com could not be reached (ECONNREFUSED)',
    );
  });

  it('exchanges a web identity token file unsigned', async () => {
    const { chain, sts } = setup(
      {
        TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_A,
        TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'gha',
        TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: '/run/token.json',
      },
      { '/run/token.json': JSON.stringify({ web_identity_token: JWT }) },
    );
    const c = chain();
    await c.current();
    expect(sts.calls[0]).toMatchObject({
      action: 'AssumeRoleWithWebIdentity',
      caller: undefined,
      params: { ProviderId: 'OIDC', WebIdentityToken: JWT, RoleArn: ROLE_A, RoleSessionName: 'gha' },
    });
    expect(c.secrets).toContain(JWT);
  });

  it('names a missing or malformed token file', async () => {
    const env = {
      TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_A,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'gha',
      TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: '/run/token.json',
    };
    expect((await failure(setup(env).chain())).message).toBe(
      'web identity (TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE): token file /run/token.json does not exist',
    );
    expect((await failure(setup(env, { '/run/token.json': JWT }).chain())).message).toContain(
      'is not a json object with a non-empty web_identity_token',
    );
    const refused = await failure(
      setup(env, { '/run/token.json': JSON.stringify({ web_identity_token: 'not-a-jwt' }) }).chain(),
    );
    expect(refused.message).toContain(
      'sts AssumeRoleWithWebIdentity failed: InvalidParameter.WebIdentityTokenError',
    );
    expect(refused.message).not.toContain('not-a-jwt');
  });

  it('uses the TKE variables when nothing else gives a key', async () => {
    const { chain, sts } = setup(
      {
        TKE_REGION: 'ap-shanghai',
        TKE_WEB_IDENTITY_TOKEN_FILE: '/var/run/tke/token',
        TKE_PROVIDER_ID: 'tke-oidc',
        TKE_ROLE_ARN: ROLE_A,
      },
      { '/var/run/tke/token': `${JWT}\n` },
    );
    await chain().current();
    expect(sts.calls[0]).toMatchObject({
      action: 'AssumeRoleWithWebIdentity',
      params: { ProviderId: 'tke-oidc', WebIdentityToken: JWT, RoleArn: ROLE_A },
    });
  });

  it('refuses an untrusted role in one line naming the role and the caller', async () => {
    const { chain, sts } = setup({
      ...ENV_KEYS,
      TENCENTCLOUD_ASSUME_ROLE_ARN: 'qcs::cam::uin/200002:roleName/other',
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    });
    sts.trust.set('qcs::cam::uin/200002:roleName/other', []);
    const error = await failure(chain());
    expect(error.message).toMatch(
      /^assume role qcs::cam::uin\/200002:roleName\/other \(TENCENTCLOUD_ASSUME_ROLE_ARN\): sts AssumeRole failed: InternalError.GetRoleError/,
    );
    expect(error.fix).toContain(
      'trusts the key of environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY)',
    );
  });

  it('says what to set when no source gives a key, and which variable is empty', async () => {
    expect((await failure(setup({}).chain())).message).toBe('credential chain: no credentials found');
    const partial = await failure(setup({ TENCENTCLOUD_SECRET_ID: 'AKIDenv' }).chain());
    expect(partial.message).toBe(
      'environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY): TENCENTCLOUD_SECRET_KEY is empty',
    );
  });

  it('names the empty half of a key pair before signing an assume role with it', async () => {
    const { chain, sts } = setup({
      TENCENTCLOUD_SECRET_ID: 'AKIDenv',
      TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_A,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    });
    const error = await failure(chain());
    expect(error.message).toBe(
      'environment (TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY): TENCENTCLOUD_SECRET_KEY is empty',
    );
    expect(sts.calls).toEqual([]);
  });

  it('validates the stand-in endpoints like COS_INVENTORY_ENDPOINT', () => {
    expect(() => setup({ COS_INVENTORY_STS_ENDPOINT: 'https://sts:1' }).chain()).toThrow(
      'COS_INVENTORY_STS_ENDPOINT must have the form http://HOST:PORT (port 1-65535, no path), received "https://sts:1"',
    );
    expect(() => setup({ COS_INVENTORY_METADATA_ENDPOINT: 'http://m:1/x' }).chain()).toThrow(
      'COS_INVENTORY_METADATA_ENDPOINT must have the form http://HOST:PORT',
    );
  });
});

describe('credential chain: renewal (injected clock)', () => {
  it('renews a temporary key after three quarters of its life, never in between', async () => {
    const { chain, sts, advance } = setup({
      ...ENV_KEYS,
      TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_A,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    });
    sts.durationS = 20;
    const c = chain();
    const first = await c.current();
    advance(14_000);
    expect(await c.current()).toBe(first);
    advance(1_000);
    const second = await c.current();
    expect(second.secretId).not.toBe(first.secretId);
    // 70 s of a 20 s key: renewed every 15 s, each renewal signed by the environment key.
    for (let i = 0; i < 14; i += 1) {
      advance(5_000);
      await c.current();
    }
    expect(sts.calls.filter((call) => call.action === 'AssumeRole')).toHaveLength(6);
    expect(c.secrets).toEqual(expect.arrayContaining([first.token, second.token]));
  });

  it('renews a 2-hour key 5 minutes before it expires', async () => {
    const { chain, sts, advance } = setup({
      ...ENV_KEYS,
      TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_A,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    });
    const c = chain();
    const first = await c.current();
    advance(6_899_000);
    expect(await c.current()).toBe(first);
    advance(2_000);
    expect((await c.current()).secretId).not.toBe(first.secretId);
    expect(sts.calls).toHaveLength(2);
  });

  it('never renews keys without an expiry (from the environment or a profile)', async () => {
    const { chain, advance } = setup({ ...ENV_KEYS, TENCENTCLOUD_SECURITY_TOKEN: 'envtoken-xxxxxxxx' });
    const c = chain();
    const first = await c.current();
    advance(365 * 86_400_000);
    expect(await c.current()).toBe(first);
  });

  it('shares one renewal between concurrent callers', async () => {
    const { chain, sts } = setup({
      ...ENV_KEYS,
      TENCENTCLOUD_ASSUME_ROLE_ARN: ROLE_A,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    });
    const c = chain();
    await Promise.all([c.current(), c.current(), c.current()]);
    expect(sts.calls).toHaveLength(1);
  });

  it('assumes a role for another account chained from the current key, and tells whose key it is', async () => {
    const { chain, sts } = setup(ENV_KEYS);
    const roleB = 'qcs::cam::uin/200002:roleName/inventory-policy';
    sts.trust.set(roleB, ['100001']);
    const c = chain();
    await expect(c.callerIdentity()).resolves.toMatchObject({ accountId: '100001' });
    const role = await c.forRole(roleB).current();
    await expect(c.callerIdentity(c.forRole(roleB))).resolves.toMatchObject({ accountId: '200002' });
    expect(c.secrets).toContain(role.token);
    sts.trust.set(roleB, []);
    const refused = await new CredentialChain({
      env: { ...ENV_KEYS, COS_INVENTORY_STS_ENDPOINT: 'http://127.0.0.1:1' },
      requester: sts.requester,
    })
      .forRole(roleB)
      .current()
      .catch((e: unknown) => e as CredentialError);
    expect((refused as CredentialError).message).toMatch(
      /^role qcs::cam::uin\/200002:roleName\/inventory-policy of account 200002: sts AssumeRole failed/,
    );
  });
});
