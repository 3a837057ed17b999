/**
 * The handler's verbs, in process, against LocalCos with its STS and metadata routes: every
 * credential source, the account guard, a destination in another account, and no secret in any
 * output.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialChain } from '../../src/credentials/credential-chain';
import { nodeRequester, type HttpRequester } from '../../src/credentials/http';
import { DEFAULT_CREDENTIALS, DEFAULT_UIN, type LocalCos } from '../../src/emulator';
import { ACCOUNT_B, fakeJwt, startKit, type Kit } from '../kit';
import { runHandler } from '../../src/handler/main';
import { REGION, SOURCE, job } from '../handler/fixtures';

const A = DEFAULT_UIN;
const B = ACCOUNT_B.uin;
const B_APPID = '1250000002';
const B_KEYS = ACCOUNT_B.keys;
const DEPLOYER = `qcs::cam::uin/${A}:roleName/deployer`;
const EDITOR_IN_B = `qcs::cam::uin/${B}:roleName/inventory-policy`;
const UNTRUSTED_IN_B = `qcs::cam::uin/${B}:roleName/b-only`;
const CENTRAL = `central-${B_APPID}`;
const DESTINATION = 'reports-1250000000';
const JWT = fakeJwt();

let kit: Kit;
let local: LocalCos;
let dir: string;
/** Every secret value the tests used or STS issued: none may appear in any output. */
const secrets = new Set<string>([DEFAULT_CREDENTIALS.secretKey, B_KEYS.secretKey, JWT]);
const outputs: string[] = [];

/** Records the temporary keys STS and the metadata route hand out. */
const recording: HttpRequester = async (exchange) => {
  const answer = await nodeRequester(exchange);
  const found = answer.body.match(/"(?:TmpSecretKey|Token)"\s*:\s*"([^"]+)"/g) ?? [];
  for (const field of found) secrets.add(field.replace(/^.*:\s*"|"$/g, ''));
  return answer;
};

beforeAll(async () => {
  kit = await startKit({
    accounts: [{ uin: B, appid: B_APPID, ...B_KEYS }],
    roles: [{ arn: DEPLOYER }, { arn: EDITOR_IN_B, trustedUins: [A] }, { arn: UNTRUSTED_IN_B }],
    oidcProviders: ['github-actions', 'tke-oidc'],
    cvmRoles: { 'ci-runner': DEPLOYER },
    buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`, `${CENTRAL}@${REGION}`],
  });
  local = kit.cos;
  dir = mkdtempSync(join(tmpdir(), 'cos-inventory-credentials-'));
});
afterAll(async () => {
  await kit.close();
  rmSync(dir, { recursive: true, force: true });
  // The leak check covers every output of every test in this file.
  const all = outputs.join('\n');
  // Keys of A and B, the JWT, and the temporary keys and tokens of every STS answer.
  expect(secrets.size).toBeGreaterThan(20);
  for (const secret of secrets) expect(all.includes(secret) ? secret : '').toBe('');
});

/** The endpoint variables plus a HOME with no tccli profile. */
function baseEnv(): Record<string, string> {
  const home = join(dir, 'empty-home');
  mkdirSync(home, { recursive: true });
  return {
    HOME: home,
    COS_INVENTORY_ENDPOINT: local.endpoint,
    COS_INVENTORY_STS_ENDPOINT: local.endpoint,
    COS_INVENTORY_METADATA_ENDPOINT: local.endpoint,
    COS_INVENTORY_POLICY_SETTLE_MS: '50',
  };
}
const ENV_KEYS = {
  TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
};

async function handle(
  verb: string,
  input: unknown,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const text = JSON.stringify(input);
  const code = await runHandler([verb], {
    env: { ...baseEnv(), ...env, ...(verb === 'read' ? {} : { COS_INVENTORY_SPEC: text }) },
    requester: recording,
    readStdin: () => Promise.resolve(text),
    writeStdout: (chunk) => (stdout += chunk),
    writeStderr: (chunk) => (stderr += chunk),
  });
  outputs.push(stdout, stderr);
  return { code, stdout, stderr };
}

/** put-job, read in sync, delete-job: what apply, re-plan and destroy run. */
async function lifecycle(id: string, env: Record<string, string>): Promise<void> {
  const configuration = job(id);
  const put = await handle('put-job', { bucket: SOURCE, region: REGION, configuration }, env);
  expect([put.code, put.stderr]).toEqual([0, '']);
  const read = await handle(
    'read',
    { bucket: SOURCE, region: REGION, configurations: JSON.stringify([configuration]), addresses: '{}' },
    env,
  );
  expect([read.code, read.stderr]).toEqual([0, '']);
  expect(JSON.parse(read.stdout)).toMatchObject({ in_sync: 'true' });
  const deleted = await handle('delete-job', { bucket: SOURCE, region: REGION, id }, env);
  expect([deleted.code, deleted.stderr]).toEqual([0, '']);
}

/** A temporary key of DEPLOYER, as a pipeline that exported it would hold it. */
async function temporaryKey(): Promise<{ secretId: string; secretKey: string; token: string }> {
  const chain = new CredentialChain({
    env: {
      ...baseEnv(),
      ...ENV_KEYS,
      TENCENTCLOUD_ASSUME_ROLE_ARN: DEPLOYER,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'export',
    },
    requester: recording,
  });
  const credential = await chain.current();
  return { secretId: credential.secretId, secretKey: credential.secretKey, token: credential.token ?? '' };
}

function writeFile(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

describe('every credential source runs apply, re-plan and destroy', () => {
  it('keys from the environment', async () => {
    await lifecycle('env-keys', ENV_KEYS);
  });

  it.each(['TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN'])(
    'temporary keys from the environment with the token in %s',
    async (variable) => {
      const key = await temporaryKey();
      await lifecycle(`token-${variable.length}`, {
        TENCENTCLOUD_SECRET_ID: key.secretId,
        TENCENTCLOUD_SECRET_KEY: key.secretKey,
        [variable]: key.token,
      });
    },
  );

  it('a tccli profile only, in a temporary HOME', async () => {
    const home = join(dir, 'profile-home');
    writeFile(
      'profile-home/.tccli/default.credential',
      JSON.stringify({ secretId: DEFAULT_CREDENTIALS.secretId, secretKey: DEFAULT_CREDENTIALS.secretKey }),
    );
    await lifecycle('profile', { HOME: home });
  });

  it('a profile with role-arn', async () => {
    writeFile(
      'shared/deploy.credential',
      JSON.stringify({
        secretId: DEFAULT_CREDENTIALS.secretId,
        secretKey: DEFAULT_CREDENTIALS.secretKey,
        'role-arn': DEPLOYER,
        'role-session-name': 'laptop',
      }),
    );
    await lifecycle('profile-role', {
      TENCENTCLOUD_PROFILE: 'deploy',
      TENCENTCLOUD_SHARED_CREDENTIALS_DIR: join(dir, 'shared'),
    });
  });

  it('an assume role from the environment chained from the environment keys', async () => {
    await lifecycle('assume-role', {
      ...ENV_KEYS,
      TENCENTCLOUD_ASSUME_ROLE_ARN: DEPLOYER,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    });
  });

  it('a web identity token file', async () => {
    const file = writeFile('oidc/token.json', JSON.stringify({ web_identity_token: JWT }));
    await lifecycle('web-identity', {
      TENCENTCLOUD_ASSUME_ROLE_ARN: DEPLOYER,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'gha',
      TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: file,
      TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID: 'github-actions',
    });
  });

  it('the TKE pod variables', async () => {
    const file = writeFile('tke/token', `${JWT}\n`);
    await lifecycle('tke', {
      TKE_REGION: REGION,
      TKE_WEB_IDENTITY_TOKEN_FILE: file,
      TKE_PROVIDER_ID: 'tke-oidc',
      TKE_ROLE_ARN: DEPLOYER,
    });
  });

  it('a cvm role from the metadata route', async () => {
    await lifecycle('cvm-role', { TENCENTCLOUD_CAM_ROLE_NAME: 'ci-runner' });
  });
});

describe('failures are one line naming what to fix', () => {
  const putSpec = { bucket: SOURCE, region: REGION, configuration: job('never') };

  it.each([
    [
      'an unknown profile',
      { TENCENTCLOUD_PROFILE: 'nope' },
      /code=UnknownProfile .*: profile "nope": .*nope\.credential does not exist; hint: run tccli configure --profile nope/,
    ],
    [
      'a missing token file',
      {
        TENCENTCLOUD_ASSUME_ROLE_ARN: DEPLOYER,
        TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 's',
        TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: '/nonexistent/token.json',
      },
      /code=MissingTokenFile .*token file \/nonexistent\/token\.json does not exist; hint: fix TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE/,
    ],
    [
      'an untrusted role',
      {
        ...ENV_KEYS,
        TENCENTCLOUD_ASSUME_ROLE_ARN: UNTRUSTED_IN_B,
        TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 's',
      },
      /assume role qcs::cam::uin\/100000000002:roleName\/b-only \(TENCENTCLOUD_ASSUME_ROLE_ARN\): sts AssumeRole failed: .*; hint: check TENCENTCLOUD_ASSUME_ROLE_ARN and that the role trusts the key of environment/,
    ],
    [
      'an unknown cvm role',
      { TENCENTCLOUD_CAM_ROLE_NAME: 'ghost' },
      /cvm role "ghost" \(TENCENTCLOUD_CAM_ROLE_NAME\): the metadata service answered 404/,
    ],
    [
      'an unreachable metadata service',
      { TENCENTCLOUD_CAM_ROLE_NAME: 'ci-runner', COS_INVENTORY_METADATA_ENDPOINT: 'http://127.0.0.1:9' },
      /code=MetadataUnreachable .*could not be reached \(ECONNREFUSED\); hint: run on a cvm with a cam role bound/,
    ],
  ])('%s', async (_name, env, pattern) => {
    const result = await handle('put-job', putSpec, env as Record<string, string>);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(pattern);
  });

  it('an expired token from the environment is refused by COS', async () => {
    const key = await temporaryKey();
    const env = {
      TENCENTCLOUD_SECRET_ID: key.secretId,
      TENCENTCLOUD_SECRET_KEY: key.secretKey,
      TENCENTCLOUD_SECURITY_TOKEN: `${key.token}x`,
    };
    const result = await handle('put-job', putSpec, env);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('account guard', () => {
  it('refuses another account before any write, in one line', async () => {
    const before = local.requestLog.length;
    const result = await handle(
      'put-job',
      { ...{ bucket: SOURCE, region: REGION, configuration: job('guarded') }, allowedAccountIds: [B] },
      ENV_KEYS,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^cos-inventory put-job: bucket=${SOURCE} id=guarded code=AccountNotAllowed request-id=-: the credentials of environment \\(TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY\\) belong to account ${A}, allowedAccountIds allows only ${B}: nothing was changed; hint: .*\\n$`,
      ),
    );
    expect(local.requestLog.slice(before).map((entry) => entry.subresource)).toEqual(['sts']);
  });

  it('lets the allowed account write', async () => {
    const result = await handle(
      'put-job',
      { bucket: SOURCE, region: REGION, configuration: job('guarded'), allowedAccountIds: [A] },
      ENV_KEYS,
    );
    expect([result.code, result.stderr]).toEqual([0, '']);
  });
});

describe('a destination in another account', () => {
  const statement = {
    Sid: 'cos-inventory-examplebucket-1250000000',
    Effect: 'allow',
    Principal: { qcs: [`qcs::cam::uin/${B}:uin/${B}`] },
    Action: ['name/cos:PutObject'],
    Resource: [`qcs::cos:${REGION}:uid/${B_APPID}:${CENTRAL}/*`],
  };

  it("is edited with the destination's role, trusted by the source account", async () => {
    const attach = await handle(
      'attach-policy',
      { bucket: CENTRAL, region: REGION, statements: [statement], roleArn: EDITOR_IN_B },
      ENV_KEYS,
    );
    expect([attach.code, attach.stderr]).toEqual([0, '']);
    const detach = await handle(
      'detach-policy',
      { bucket: CENTRAL, region: REGION, sids: [statement.Sid], roleArn: EDITOR_IN_B },
      ENV_KEYS,
    );
    expect([detach.code, detach.stderr]).toEqual([0, '']);
  });

  it('fails in one line naming the account, the role and the action when the role is not trusted', async () => {
    const result = await handle(
      'attach-policy',
      { bucket: CENTRAL, region: REGION, statements: [statement], roleArn: UNTRUSTED_IN_B },
      ENV_KEYS,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^cos-inventory attach-policy: bucket=${CENTRAL} .*: role qcs::cam::uin/${B}:roleName/b-only of account ${B}: sts AssumeRole failed: .*; hint: let role .* trust the account of .* for sts:AssumeRole, or fix policyRoleArns\\n$`,
      ),
    );
  });

  it("without a role, the source account's key is refused and the line names the action", async () => {
    const result = await handle(
      'attach-policy',
      { bucket: CENTRAL, region: REGION, statements: [statement] },
      ENV_KEYS,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/code=AccessDenied .*name\/cos:(Get|Put)BucketPolicy/);
  });
});
