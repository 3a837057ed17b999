/**
 * Real `terraform` applies, re-plans (the drift check's read in sync) and destroys the seed
 * sample stack against the CLI emulator (`cos-inventory emulator` with accounts, roles, OIDC
 * providers and a CVM role), once per credential source; then searches every output, log,
 * state and plan file for every secret and token used. One stack synthesized once, with its
 * drift check: Terraform runs the check's `read` through the `hashicorp/external` stand-in of
 * `npm run terraform-mirror`, with the credentials of the source under test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import { CredentialChain } from '../../src/credentials/credential-chain';
import { statementSid } from '../../src/model/policy';
import { SEED_BUCKET, SEED_DESTINATION, SEED_REGION } from '../fixtures/seed-samples';
import { ACCOUNT_B, fakeJwt, startEmulatorProcess, type EmulatorProcess } from '../kit';
import COS from 'cos-nodejs-sdk-v5';
import { writeTerraformMirror } from './mirror';
import { planWarnings } from './plan-warnings';
import { RealTerraform, type TerraformCommandError } from './real-terraform';
import { findTerraform, requireTerraform } from './terraform-binary';

const terraform = findTerraform([1, 5]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails this file there.
requireTerraform(terraform, [1, 5], 'credentials-apply.test.ts');
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

/** The CLI emulator as its own process (the one Terraform's provisioners and the check talk to). */
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
  let cliConfig: string;
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
    cliConfig = writeTerraformMirror(path.join(tmp, 'mirror'));
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
      COS_INVENTORY_POLICY_SETTLE_MS: '20',
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
   * init, apply (the check's read after it in sync: no warning), plan with nothing to do and no
   * warning, destroy; all output kept for the leak check.
   */
  async function lifecycle(
    name: string,
    env: Record<string, string>,
    prepare?: (home: string) => void,
  ): Promise<void> {
    const real = new RealTerraform(stackDir, path.join(tmp, 'private', name), env, { cliConfig });
    prepare?.(real.env.HOME ?? '');
    await real.init();
    await real.plan();
    const applied = await real.applySavedPlan();
    outputs.push(real.lastPlanText, applied);
    expect(planWarnings(applied)).toEqual([]);
    const again = await real.plan();
    outputs.push(real.lastPlanText);
    // The check's data source is read at every plan; every resource is a no-op.
    expect(
      (again.resource_changes ?? []).filter(
        (c) => c.mode !== 'data' && !c.change.actions.every((a) => a === 'no-op'),
      ),
    ).toEqual([]);
    expect(planWarnings(real.lastPlanText)).toEqual([]);
    outputs.push(await real.destroy());
    for (const file of fs.readdirSync(tmp).filter((f) => f.startsWith('terraform.tfstate'))) {
      outputs.push(fs.readFileSync(path.join(tmp, file), 'utf8'));
    }
    outputs.push(fs.readFileSync(path.join(real.privateDir, 'step.tfplan')).toString('latin1'));
  }

  it('keys from the environment', async () => {
    await lifecycle('env-keys', { ...base(), ...keys() });
  });

  it.each(['TENCENTCLOUD_SECURITY_TOKEN', 'TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN'])(
    'temporary keys with the token in %s',
    async (variable) => {
      const { token, ...key } = await temporaryKey();
      await lifecycle(variable.toLowerCase(), { ...base(), ...key, [variable]: token });
    },
  );

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
    expect(outputs.length).toBeGreaterThan(50);
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
  let cliConfig: string;

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
    cliConfig = writeTerraformMirror(path.join(tmp, 'mirror'));
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
        COS_INVENTORY_POLICY_SETTLE_MS: '20',
      },
      { cliConfig },
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

  it("one apply in A creates the job and the grant in B's policy through B's role; adding the guard plans nothing; destroy removes both", async () => {
    const real = synth('trusted', EDITOR_IN_B);
    await real.init();
    await real.plan();
    // The check, read after the apply with A's keys, finds the job in sync.
    expect(planWarnings(await real.applySavedPlan())).toEqual([]);
    expect(await sourceJobs()).toEqual(['to-central']);
    expect(await centralPolicy()).toContain(statementSid(SEED_BUCKET));
    // Adding the guard changes provisioner literals only: nothing to plan, nothing replaced.
    const guarded = synth('trusted', EDITOR_IN_B, [UIN]);
    const plan = await guarded.plan();
    // The only planned action is the drift check's read, planned again at every apply.
    expect(
      (plan.resource_changes ?? [])
        .filter((c) => !c.change.actions.every((a) => a === 'no-op'))
        .map((c) => [c.address, c.change.actions, c.action_reason]),
    ).toEqual([['data.external.Logs_drift', ['read'], 'read_because_check_nested']]);
    // So never "No changes.": the plan says the check's configuration will be reloaded.
    expect(guarded.lastPlanText).toContain('# (config will be reloaded to verify a check block)');
    expect(guarded.lastPlanText).toContain('Plan: 0 to add, 0 to change, 0 to destroy.');
    expect(planWarnings(guarded.lastPlanText)).toEqual([]);
    await real.destroy();
    expect(await sourceJobs()).toEqual([]);
    expect(await centralPolicy()).not.toContain(statementSid(SEED_BUCKET));
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
    // Terraform wraps the provisioner's output in its error box: unwrap it first.
    const text = (failure?.stderr ?? '')
      .split('\n')
      .map((line) => line.replace(/^│ ?/, '').trim())
      .join(' ');
    expect(text.split('cos-inventory attach-policy:')).toHaveLength(2);
    expect(text).toMatch(
      new RegExp(
        `cos-inventory attach-policy: bucket=${CENTRAL} .*role qcs::cam::uin/${B}:roleName/b-only of account ${B}: sts AssumeRole failed: .*hint: let role .* for sts:AssumeRole, or fix policyRoleArns`,
      ),
    );
    expect(await sourceJobs()).toEqual([]);
    expect(await centralPolicy()).toBe('');
  });
});
