/**
 * `--sts-duration-s 20`: temporary keys outlive neither a `run --wait` longer than 60 s nor a
 * provider process applying 50 jobs over 100 s unless they are renewed. One clock for all: jest's fake Date and timers drive
 * LocalCos (its STS expiry and one-time delivery), the chain, the SDK and the wait loop, so
 * minutes pass in milliseconds.
 */
import { createChainClient } from '../../src/cos/chain-client';
import { getInventory } from '../../src/cos/inventory';
import { CredentialChain } from '../../src/credentials/credential-chain';
import { DEFAULT_CREDENTIALS, DEFAULT_UIN, LocalCos } from '../../src/emulator';
import { waitForDelivery } from '../../src/cli/run-command';
import { readManifest } from '../../src/report/read-manifest';
import { readInventoryRows } from '../../src/report/read-rows';
import { startOneTimeRun } from '../../src/handler/run-once';
import { normalizeRemoteConfiguration } from '../../src/model/compare';
import { jobAttributes } from '../../src/model/job-attributes';
import { jobState } from '../../src/provider/job-schema';
import { JOB_RESOURCE_TYPE } from '../../src/provider/names';
import { cosInventoryProvider } from '../../src/provider/provider';
import type { TfObject } from '../../src/tfplugin/value';
import { DESTINATION, REGION, SOURCE, job } from '../handler/fixtures';

const DEPLOYER = `qcs::cam::uin/${DEFAULT_UIN}:roleName/deployer`;
let local: LocalCos;
let env: Record<string, string>;

beforeAll(async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  local = await LocalCos.start({
    roles: [{ arn: DEPLOYER }],
    stsDurationSeconds: 20,
    oneTimeDeliveryDelayMs: 70_000,
    buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`],
  });
  env = {
    TENCENTCLOUD_SECRET_ID: DEFAULT_CREDENTIALS.secretId,
    TENCENTCLOUD_SECRET_KEY: DEFAULT_CREDENTIALS.secretKey,
    TENCENTCLOUD_ASSUME_ROLE_ARN: DEPLOYER,
    TENCENTCLOUD_ASSUME_ROLE_SESSION_NAME: 'ci',
    COS_INVENTORY_ENDPOINT: local.endpoint,
    COS_INVENTORY_STS_ENDPOINT: local.endpoint,
  };
});
afterAll(async () => {
  await local.close();
  jest.useRealTimers();
});

/** Creates job `id` as Terraform's ApplyResourceChange would; the diagnostics' details. */
async function createJob(provider: ReturnType<typeof cosInventoryProvider>, id: string): Promise<string[]> {
  const planned: TfObject = jobState(jobAttributes(job(id), SOURCE, REGION));
  const result = await (provider.resources ?? {})[JOB_RESOURCE_TYPE].create({
    priorState: null,
    plannedState: planned,
    config: planned,
    plannedPrivate: Buffer.alloc(0),
  });
  return (result.diagnostics ?? []).map((d) => d.detail ?? d.summary);
}

const clock = {
  now: () => Date.now(),
  sleep: (ms: number) => jest.advanceTimersByTimeAsync(ms),
};

function refusals(): string[] {
  return local.requestLog
    .filter((entry) => entry.status >= 400)
    .map((entry) => `${entry.subresource} ${entry.code}`);
}

function assumeRoleCalls(): number {
  return local.requestLog.filter((entry) => entry.subresource === 'sts' && entry.action === 'AssumeRole')
    .length;
}

it('one provider process applying 50 jobs over 100 s of 20 s keys: every job written, no request refused', async () => {
  const provider = cosInventoryProvider({ env, clock });
  provider.runtime.configure(undefined);
  const before = assumeRoleCalls();
  for (let i = 0; i < 50; i += 1) {
    expect([i, await createJob(provider, `j${i}`)]).toEqual([i, []]);
    await clock.sleep(2_000);
  }
  // 100 s of 20 s keys renewed after 15 s each.
  expect(assumeRoleCalls() - before).toBeGreaterThanOrEqual(5);
  expect(refusals()).toEqual([]);
});

it('run --wait of more than 60 s renews the key inside one process, no request refused', async () => {
  const chain = new CredentialChain({ env });
  const client = await createChainClient(env, chain);
  const before = assumeRoleCalls();
  const target = { bucket: SOURCE, region: REGION };
  for (const key of ['logs/a.txt', 'logs/b.txt', 'logs/c.txt']) {
    await client.sdk.putObject({ Bucket: SOURCE, Region: REGION, Key: key, Body: key });
  }
  const raw = await getInventory(client, target, 'j0');
  const started = await startOneTimeRun(client, target, normalizeRemoteConfiguration(raw as never));
  const begun = Date.now();
  const lines: string[] = [];
  const delivery = await waitForDelivery(client, started, 600_000, clock, (line) => lines.push(line));
  expect(delivery.manifestKey).toContain(started.id);
  expect(Date.now() - begun).toBeGreaterThan(60_000);
  expect(lines.length).toBeGreaterThan(3);
  // 70 s of 20 s keys renewed after 15 s each: at least 4 more AssumeRole calls.
  expect(assumeRoleCalls() - before).toBeGreaterThanOrEqual(4);
  // Reading the report later still renews first, the streamed data files too.
  const manifest = await readManifest(client, delivery);
  await clock.sleep(30_000);
  let rows = 0;
  for await (const row of readInventoryRows(client, delivery, { manifest })) rows += row ? 1 : 0;
  expect(manifest.files.length).toBeGreaterThan(0);
  expect(rows).toBe(3);
  expect(refusals()).toEqual([]);
});

it('an exported temporary key that expired is one line naming the token variables, nothing written', async () => {
  const credential = await new CredentialChain({ env }).current();
  const exported = {
    COS_INVENTORY_ENDPOINT: local.endpoint,
    TENCENTCLOUD_SECRET_ID: credential.secretId,
    TENCENTCLOUD_SECRET_KEY: credential.secretKey,
    TENCENTCLOUD_SESSION_TOKEN: credential.token ?? '',
  };
  await clock.sleep(21_000);
  const provider = cosInventoryProvider({ env: exported, clock });
  provider.runtime.configure(undefined);
  const before = local.requestLog.length;
  const lines = await createJob(provider, 'late');
  expect(lines).toHaveLength(1);
  const line = lines[0];
  expect(line).toMatch(
    /^cos-inventory provider put-job: bucket=\S+ id=late code=ExpiredToken request-id=\S+: putBucketInventory failed: .*; hint: the temporary key's token is expired or not its own: export a fresh key with its token \(TENCENTCLOUD_SECURITY_TOKEN, TENCENTCLOUD_SESSION_TOKEN, TENCENTCLOUD_TOKEN\), or let cos-inventory assume the role itself \(TENCENTCLOUD_ASSUME_ROLE_ARN, renewed before expiry\)$/,
  );
  expect(local.requestLog.slice(before).filter((entry) => entry.status < 400)).toEqual([]);
  expect(line).not.toContain(credential.token);
  expect(line).not.toContain(credential.secretKey);
});
