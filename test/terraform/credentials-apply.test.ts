/**
 * Real `terraform` applies, re-plans (`plan -detailed-exitcode` = 0: the provider's refresh
 * finds COS in sync) and destroys the seed sample stack against the CLI emulator
 * (`cos-inventory emulator` with accounts, roles, OIDC providers and a CVM role), once per
 * credential source: the provider Terraform starts resolves its credential from the
 * environment it inherits, like every CLI command. Then every output, log, state and plan file
 * is searched for every secret and token used. One stack synthesized once, with the account
 * guard (the provider asks STS whose credential it runs with before writing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import { CredentialChain } from '../../src/credentials/credential-chain';
import { SEED_BUCKET, SEED_DESTINATION, SEED_REGION } from '../fixtures/seed-samples';
import { ACCOUNT_B, fakeJwt, startEmulatorProcess, type EmulatorProcess } from '../kit';
import COS from 'cos-nodejs-sdk-v5';
import { planWarnings } from './plan-warnings';
import { RealTerraform, type TerraformCommandError } from './real-terraform';
import { findTerraform, requireTerraform } from './terraform-binary';

const terraform = findTerraform([1, 8]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails this file there.
requireTerraform(terraform, [1, 8], 'credentials-apply.test.ts');
if (!terraform.found) console.log(`credentials-apply.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const UIN = '100000000001';
const DEPLOYER = `qcs::cam::uin/${UIN}:roleName/deployer`;
const JWT = fakeJwt();

interface Emulator {
  readonly process: EmulatorProcess;
  readonly endpoint: string;
  readonly secretId: string;
  readonly secretKey: string;
  /** Its request log (`--log`, stderr), line by line. */
  readonly log: readonly string[];
}

/** The CLI emulator as its own process (the one the provider Terraform starts talks to). */
async function startEmulator(extra: readonly string[] = []): Promise<Emulator> {
  const started = await startEmulatorProcess([
    ...extra,
    '--port',
    '0',
    '--log',
    '--lag-ms',
    '0',
    '--role',
    DEPLOYER,
    '--oidc-provider',
    'github-actions',
    '--oidc-provider',
    'tke-oidc',
    '--cvm-role',
    `ci-runner=${DEPLOYER}`,
    '--bucket',
    `${SEED_BUCKET}@${SEED_REGION}`,
    '--bucket',
    `${SEED_DESTINATION}@${SEED_REGION}`,
  ]);
  // The emulator's own banner prints its key on purpose: not searched.
  return {
    process: started,
    endpoint: started.endpoint,
    secretId: started.env.TENCENTCLOUD_SECRET_ID,
    secretKey: started.env.TENCENTCLOUD_SECRET_KEY,
    log: started.stderr,
  };
}

describeReal('every credential source under real terraform', () => {
  let emulator: Emulator;
  let tmp: string;
  let stackDir: string;
  const secrets = new Set<string>([JWT]);
  const outputs: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    secrets.add(emulator.secretKey);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'credentials-apply-'));
    const app = new App({ outdir: path.join(tmp, 'cdktf.out') });
    const stack = new TerraformStack(app, 'seed');
    new LocalBackend(stack, { path: path.join(tmp, 'terraform.tfstate') });
    new BucketInventory(stack, 'Seed', {
      bucket: SEED_BUCKET,
      region: SEED_REGION,
      ownerUin: UIN,
      allowedAccountIds: [UIN],
      reportOutputs: false,
      jobs: [
        {
          id: 'inventory_test',
          destination: { bucket: SEED_DESTINATION, prefix: 'inventory_test_prefix', accountId: UIN },
          schedule: { frequency: 'Daily' },
          filter: { prefix: 'filter_prefix' },
          includedObjectVersions: 'All',
          optionalFields: ['Size', 'LastModifiedDate', 'StorageClass', 'ETag'],
        },
      ],
    });
    app.synth();
    stackDir = path.join(tmp, 'cdktf.out', 'stacks', 'seed');
  });

  afterAll(async () => {
    if (emulator) await emulator.process.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  function base(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      COS_INVENTORY_ENDPOINT: emulator.endpoint,
      COS_INVENTORY_STS_ENDPOINT: emulator.endpoint,
      COS_INVENTORY_METADATA_ENDPOINT: emulator.endpoint,
    };
  }
  const keys = (): Record<string, string> => ({
    TENCENTCLOUD_SECRET_ID: emulator.secretId,
    TENCENTCLOUD_SECRET_KEY: emulator.secretKey,
  });

  /** A temporary key of DEPLOYER, as a pipeline that exported it would hold it. */
  async function temporaryKey(): Promise<Record<string, string>> {
    const chain = new CredentialChain({
      env: {
        ...base(),
        ...keys(),
        TENCENTCLOUD_ASSUME_ROLE_ARN: DEPLOYER,
        TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'export',
      },
    });
    const credential = await chain.current();
    secrets.add(credential.secretKey);
    secrets.add(credential.token ?? '');
    return {
      TENCENTCLOUD_SECRET_ID: credential.secretId,
      TENCENTCLOUD_SECRET_KEY: credential.secretKey,
      token: credential.token ?? '',
    };
  }

  /**
   * init, apply, a plan with nothing to do (exit code 0), destroy; all output kept for the leak
   * check.
   */
  async function lifecycle(
    name: string,
    env: Record<string, string>,
    prepare?: (home: string) => void,
  ): Promise<void> {
    const real = new RealTerraform(stackDir, path.join(tmp, 'private', name), env);
    prepare?.(real.env.HOME ?? '');
    await real.init();
    await real.plan();
    const applied = await real.applySavedPlan();
    outputs.push(real.lastPlanText, applied);
    expect(applied).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
    expect(planWarnings(applied)).toEqual([]);
    expect(await real.planExitCode()).toBe(0);
    outputs.push(real.lastPlanText);
    const destroyed = await real.destroy();
    outputs.push(destroyed);
    expect(destroyed).toContain('Destroy complete! Resources: 2 destroyed.');
    for (const file of fs.readdirSync(tmp).filter((f) => f.startsWith('terraform.tfstate'))) {
      outputs.push(fs.readFileSync(path.join(tmp, file), 'utf8'));
    }
    outputs.push(fs.readFileSync(path.join(real.privateDir, 'step.tfplan')).toString('latin1'));
  }

  it('keys from the environment', async () => {
    await lifecycle('env-keys', { ...base(), ...keys() });
  });

  // The chain reads the token from any of its three variables (test/credentials/chain.test.ts);
  // here, that a temporary key reaches the provider Terraform starts.
  it('temporary keys with their token', async () => {
    const { token, ...key } = await temporaryKey();
    await lifecycle('token', { ...base(), ...key, TENCENTCLOUD_SECURITY_TOKEN: token });
  });

  it('a tccli profile only, in the temporary HOME terraform runs with', async () => {
    await lifecycle('profile', base(), (home) => {
      fs.mkdirSync(path.join(home, '.tccli'), { recursive: true });
      fs.writeFileSync(
        path.join(home, '.tccli', 'default.credential'),
        JSON.stringify({ secretId: emulator.secretId, secretKey: emulator.secretKey }),
      );
    });
  });

  it('a profile with role-arn', async () => {
    const dir = path.join(tmp, 'shared');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'deploy.credential'),
      JSON.stringify({
        secretId: emulator.secretId,
        secretKey: emulator.secretKey,
        'role-arn': DEPLOYER,
        'role-session-name': 'laptop',
      }),
    );
    await lifecycle('profile-role', {
      ...base(),
      TENCENTCLOUD_PROFILE: 'deploy',
      TENCENTCLOUD_SHARED_CREDENTIALS_DIR: dir,
    });
  });

  it('an assume role from the environment, chained from the environment keys', async () => {
    await lifecycle('assume-role', {
      ...base(),
      ...keys(),
      TENCENTCLOUD_ASSUME_ROLE_ARN: DEPLOYER,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    });
  });

  it('a web identity token file', async () => {
    const file = path.join(tmp, 'token.json');
    fs.writeFileSync(file, JSON.stringify({ web_identity_token: JWT }));
    await lifecycle('web-identity', {
      ...base(),
      TENCENTCLOUD_ASSUME_ROLE_ARN: DEPLOYER,
      TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'gha',
      TENCENTCLOUD_ASSUME_ROLE_WEB_IDENTITY_TOKEN_FILE: file,
      TENCENTCLOUD_ASSUME_ROLE_PROVIDER_ID: 'github-actions',
    });
  });

  it('the TKE pod variables', async () => {
    const file = path.join(tmp, 'tke-token');
    fs.writeFileSync(file, JWT);
    await lifecycle('tke', {
      ...base(),
      TKE_REGION: SEED_REGION,
      TKE_WEB_IDENTITY_TOKEN_FILE: file,
      TKE_PROVIDER_ID: 'tke-oidc',
      TKE_ROLE_ARN: DEPLOYER,
    });
  });

  it('a cvm role', async () => {
    await lifecycle('cvm-role', { ...base(), TENCENTCLOUD_CAM_ROLE_NAME: 'ci-runner' });
  });

  it('no secret or token in any output, log, state or plan file', () => {
    const all = [...outputs, ...emulator.log].join('\n');
    expect(outputs.length).toBeGreaterThan(40);
    for (const secret of secrets) expect(all.includes(secret) ? secret : '').toBe('');
  });
});

const B = ACCOUNT_B.uin;
const B_APPID = '1300000000';
const B_KEYS = ACCOUNT_B.keys;
const CENTRAL = `central-${B_APPID}`;
const EDITOR_IN_B = `qcs::cam::uin/${B}:roleName/inventory-policy`;
const UNTRUSTED_IN_B = `qcs::cam::uin/${B}:roleName/b-only`;

describeReal('a destination in another account under real terraform', () => {
  let emulator: Emulator;
  let tmp: string;
  let central: COS;

  beforeAll(async () => {
    emulator = await startEmulator([
      '--account',
      `${B}:${B_APPID}:${B_KEYS.secretId}:${B_KEYS.secretKey}`,
      '--role',
      `${EDITOR_IN_B}=${UIN}`,
      '--role',
      UNTRUSTED_IN_B,
      '--bucket',
      `${CENTRAL}@${SEED_REGION}`,
    ]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cross-account-apply-'));
    central = new COS({
      SecretId: B_KEYS.secretId,
      SecretKey: B_KEYS.secretKey,
      Protocol: 'http:',
      Ip: new URL(emulator.endpoint).host,
    });
  });
  afterAll(async () => {
    if (emulator) await emulator.process.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** One stack in account A: a job of A's bucket delivering to B's bucket, B's policy edited as `role`. */
  function synth(name: string, role: string, allowedAccountIds?: readonly string[]): RealTerraform {
    fs.mkdirSync(path.join(tmp, name), { recursive: true });
    const app = new App({ outdir: path.join(tmp, name, 'cdktf.out') });
    const stack = new TerraformStack(app, 'cross');
    new LocalBackend(stack, { path: path.join(tmp, name, 'terraform.tfstate') });
    new BucketInventory(stack, 'Logs', {
      bucket: SEED_BUCKET,
      region: SEED_REGION,
      reportOutputs: false,
      policyRoleArns: { [CENTRAL]: role },
      ...(allowedAccountIds ? { allowedAccountIds } : {}),
      jobs: [{ id: 'to-central', destination: { bucket: CENTRAL, accountId: B } }],
    });
    app.synth();
    return new RealTerraform(
      path.join(tmp, name, 'cdktf.out', 'stacks', 'cross'),
      path.join(tmp, name, 'private'),
      {
        PATH: process.env.PATH ?? '',
        TENCENTCLOUD_SECRET_ID: emulator.secretId,
        TENCENTCLOUD_SECRET_KEY: emulator.secretKey,
        COS_INVENTORY_ENDPOINT: emulator.endpoint,
        COS_INVENTORY_STS_ENDPOINT: emulator.endpoint,
      },
    );
  }

  async function centralPolicy(): Promise<string> {
    try {
      const answer = await central.getBucketPolicy({ Bucket: CENTRAL, Region: SEED_REGION });
      return JSON.stringify(answer.Policy);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return '';
      throw error;
    }
  }

  async function sourceJobs(): Promise<string[]> {
    const source = new COS({
      SecretId: emulator.secretId,
      SecretKey: emulator.secretKey,
      Protocol: 'http:',
      Ip: new URL(emulator.endpoint).host,
    });
    const answer = await source.listBucketInventory({ Bucket: SEED_BUCKET, Region: SEED_REGION });
    return (answer.InventoryConfigurations ?? []).map((config: { Id: string }) => config.Id);
  }

  it("one apply in A creates the job and the grant in B's policy through B's role; adding the guard changes it alone, writing nothing; destroy removes both", async () => {
    const real = synth('trusted', EDITOR_IN_B);
    await real.init();
    await real.plan();
    expect(planWarnings(await real.applySavedPlan())).toEqual([]);
    expect(await sourceJobs()).toEqual(['to-central']);
    expect(await centralPolicy()).toContain(`cosInventory-${SEED_BUCKET}`);
    expect(await real.planExitCode()).toBe(0);
    // Adding the guard is an in-place change of allowed_account_ids on the job and the grant;
    // the provider checks the account, and COS keeps what it holds.
    const policyBefore = await centralPolicy();
    const guarded = synth('trusted', EDITOR_IN_B, [UIN]);
    await guarded.init();
    expect(await guarded.planExitCode()).toBe(2);
    expect(guarded.lastPlanText).toContain('Plan: 0 to add, 2 to change, 0 to destroy.');
    // The changed attributes (`+ name = ...`): the guard of each, nothing else.
    const changedAttributes = [...guarded.lastPlanText.matchAll(/^\s+[~+-] (\w+)\s+=/gm)].map((m) => m[1]);
    expect(changedAttributes).toEqual(['allowed_account_ids', 'allowed_account_ids']);
    await guarded.plan();
    expect(planWarnings(await guarded.applySavedPlan())).toEqual([]);
    expect(await centralPolicy()).toBe(policyBefore);
    expect(await sourceJobs()).toEqual(['to-central']);
    expect(await guarded.planExitCode()).toBe(0);
    await guarded.destroy();
    expect(await sourceJobs()).toEqual([]);
    expect(await centralPolicy()).not.toContain(`cosInventory-${SEED_BUCKET}`);
  });

  it('an untrusted role fails the apply in one line naming the account, the role and the action, and changes nothing', async () => {
    const real = synth('untrusted', UNTRUSTED_IN_B);
    await real.init();
    await real.plan();
    const failure = await real.applySavedPlan().then(
      () => undefined,
      (error: unknown) => error as TerraformCommandError,
    );
    expect(failure).toBeDefined();
    // Terraform frames and wraps the provider's diagnostic: unwrap it first.
    const text = (failure?.stderr ?? '')
      .split('\n')
      .map((line) => line.replace(/^│ ?/, '').trim())
      .join(' ');
    expect(text.split('cos-inventory provider attach-policy:')).toHaveLength(2);
    expect(text).toMatch(
      new RegExp(
        `cos-inventory provider attach-policy: bucket=${CENTRAL} .*role qcs::cam::uin/${B}:roleName/b-only of account ${B}: sts AssumeRole failed: .*hint: let role .* for sts:AssumeRole, or fix policyRoleArns`,
      ),
    );
    expect(await sourceJobs()).toEqual([]);
    expect(await centralPolicy()).toBe('');
  });
});
