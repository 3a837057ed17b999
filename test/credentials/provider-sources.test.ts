/**
 * The provider's resources, in process, against LocalCos with its STS and metadata routes:
 * every credential source a Terraform run may pass on to the provider process, the account
 * guard, a destination in another account, and no secret in any diagnostic.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialChain } from '../../src/credentials/credential-chain';
import { nodeRequester, type HttpRequester } from '../../src/credentials/http';
import { DEFAULT_CREDENTIALS, DEFAULT_UIN, type LocalCos } from '../../src/emulator';
import { jobAttributes } from '../../src/model/job-attributes';
import { grantState } from '../../src/provider/grant-schema';
import { jobState } from '../../src/provider/job-schema';
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from '../../src/provider/names';
import { cosInventoryProvider } from '../../src/provider/provider';
import type { Diagnostic } from '../../src/tfplugin/diagnostics';
import type { TfObject } from '../../src/tfplugin/value';
import { ACCOUNT_B, fakeJwt, startKit, type Kit } from '../kit';
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
  };
}
const ENV_KEYS = {
  TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIALS.secretId,
  TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
};

const EMPTY = Buffer.alloc(0);

/** What one resource operation answered: the state written (if any) and the diagnostics. */
interface Outcome {
  readonly state?: TfObject | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** The one error line of a failed operation (the diagnostic's detail). */
function errorLine(outcome: Outcome): string {
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error');
  expect(errors).toHaveLength(1);
  return errors[0].detail ?? '';
}

/** A provider process started by Terraform with `env` and configured with `allowed`. */
function provider(env: Record<string, string>, allowed?: readonly string[]) {
  const started = cosInventoryProvider({ env: { ...baseEnv(), ...env }, requester: recording });
  started.runtime.configure(allowed);
  const resources = started.resources ?? {};
  const record = (outcome: { state?: TfObject | null; diagnostics?: readonly Diagnostic[] }): Outcome => {
    outputs.push(JSON.stringify(outcome));
    return { ...outcome, diagnostics: outcome.diagnostics ?? [] };
  };
  const apply = (type: string, planned: TfObject) =>
    resources[type]
      .create({ priorState: null, plannedState: planned, config: planned, plannedPrivate: EMPTY })
      .then(record);
  return {
    createJob: (planned: TfObject) => apply(JOB_RESOURCE_TYPE, planned),
    readJob: async (state: TfObject) => record(await resources[JOB_RESOURCE_TYPE].read(state, EMPTY)),
    deleteJob: async (state: TfObject) => record(await resources[JOB_RESOURCE_TYPE].delete(state, EMPTY)),
    createGrant: (planned: TfObject) => apply(GRANT_RESOURCE_TYPE, planned),
    deleteGrant: async (state: TfObject) => record(await resources[GRANT_RESOURCE_TYPE].delete(state, EMPTY)),
  };
}

const jobValue = (id: string): TfObject => jobState(jobAttributes(job(id), SOURCE, REGION));

/** Create, refresh, destroy of one job in one provider process: what apply, plan and destroy do. */
async function lifecycle(id: string, env: Record<string, string>): Promise<void> {
  const p = provider(env);
  const created = await p.createJob(jobValue(id));
  expect(created.diagnostics).toEqual([]);
  const read = await p.readJob(created.state as TfObject);
  expect(read.diagnostics).toEqual([]);
  expect(read.state).toEqual(created.state);
  const deleted = await p.deleteJob(created.state as TfObject);
  expect(deleted.diagnostics).toEqual([]);
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
    const line = errorLine(await provider(env as Record<string, string>).createJob(jobValue('never')));
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^cos-inventory provider put-job: bucket=examplebucket-1250000000 id=never /);
    expect(line).toMatch(pattern);
  });

  it('an expired token from the environment is refused by COS', async () => {
    const key = await temporaryKey();
    const env = {
      TENCENTCLOUD_SECRET_ID: key.secretId,
      TENCENTCLOUD_SECRET_KEY: key.secretKey,
      TENCENTCLOUD_SECURITY_TOKEN: `${key.token}x`,
    };
    const line = errorLine(await provider(env).createJob(jobValue('never')));
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(
      /code=InvalidToken .*; hint: the temporary key's token is expired or not its own: export a fresh key with its token \(TENCENTCLOUD_SECURITY_TOKEN, /,
    );
  });
});

describe('account guard', () => {
  it('refuses another account before any write, in one line', async () => {
    const before = local.requestLog.length;
    const outcome = await provider(ENV_KEYS, [B]).createJob(jobValue('guarded'));
    expect(outcome.state).toBeUndefined();
    expect(errorLine(outcome)).toMatch(
      new RegExp(
        `^cos-inventory provider put-job: bucket=${SOURCE} id=guarded code=AccountNotAllowed request-id=-: the credentials of environment \\(TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY\\) belong to account ${A}, allowed_account_ids of the provider "cosinventory" block allows only ${B}: nothing was changed; hint: [^\\n]*$`,
      ),
    );
    expect(local.requestLog.slice(before).map((entry) => entry.subresource)).toEqual(['sts']);
  });

  it('lets the allowed account write', async () => {
    const outcome = await provider(ENV_KEYS, [A]).createJob(jobValue('guarded'));
    expect(outcome.diagnostics).toEqual([]);
  });
});

describe('a destination in another account', () => {
  const SID = 'cosInventory-credentials';
  const grant = (roleArn: string | null): TfObject =>
    grantState({
      bucket: CENTRAL,
      region: REGION,
      sid: SID,
      principals: [`qcs::cam::uin/${B}:uin/${B}`],
      resources: [`qcs::cos:${REGION}:uid/${B_APPID}:${CENTRAL}/*`],
      roleArn,
    });

  it("is edited with the destination's role, trusted by the source account", async () => {
    const p = provider(ENV_KEYS);
    const attached = await p.createGrant(grant(EDITOR_IN_B));
    expect(attached.diagnostics).toEqual([]);
    const detached = await p.deleteGrant(grant(EDITOR_IN_B));
    expect(detached.diagnostics).toEqual([]);
  });

  it('fails in one line naming the account, the role and the action when the role is not trusted', async () => {
    const line = errorLine(await provider(ENV_KEYS).createGrant(grant(UNTRUSTED_IN_B)));
    expect(line).toMatch(
      new RegExp(
        `^cos-inventory provider attach-policy: bucket=${CENTRAL} .*: role qcs::cam::uin/${B}:roleName/b-only of account ${B}: sts AssumeRole failed: .*; hint: let role .* trust the account of .* for sts:AssumeRole, or fix policyRoleArns$`,
      ),
    );
  });

  it("without a role, the source account's key is refused and the line names the action", async () => {
    const line = errorLine(await provider(ENV_KEYS).createGrant(grant(null)));
    expect(line).toMatch(/code=AccessDenied .*name\/cos:(Get|Put)BucketPolicy/);
  });
});
