import COS from 'cos-nodejs-sdk-v5';
import type { CosClient } from '../../src/cos/client';
import { deleteInventory, putInventory } from '../../src/cos/inventory';
import type { LocalCos } from '../../src/emulator';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { DESTINATION, job, REGION } from './fixtures';
import { endpointEnv, startKit } from '../kit';
import { runRead } from './read-query';

let cos: LocalCos;
let client: CosClient;
let env: Record<string, string>;

beforeAll(async () => {
  const kit = await startKit({ buckets: [`${DESTINATION}@${REGION}`] });
  cos = kit.cos;
  env = endpointEnv(cos);
  client = kit.client;
});

afterAll(async () => {
  await cos.close();
});

function query(
  bucket: string,
  configurations: readonly InventoryConfiguration[],
  addresses: Record<string, string> = {},
): string {
  return JSON.stringify({
    bucket,
    region: REGION,
    configurations: JSON.stringify(configurations),
    addresses: JSON.stringify(addresses),
  });
}

/** Reads twice (it must not change anything) and returns the parsed answer. */
async function read(
  bucket: string,
  configurations: readonly InventoryConfiguration[],
  addresses: Record<string, string> = {},
) {
  cos.clearRequestLog();
  const first = await runRead(query(bucket, configurations, addresses), env);
  const second = await runRead(query(bucket, configurations, addresses), env);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(second.stdout).toBe(first.stdout);
  const answer: unknown = JSON.parse(first.stdout);
  // One flat object of strings (what the stack's drift query answers).
  expect(Object.values(answer as object).every((value) => typeof value === 'string')).toBe(true);
  const lists = cos.requestLog.filter((entry) => entry.method === 'GET' && entry.subresource === 'inventory');
  expect(cos.requestLog.every((entry) => entry.method === 'GET' && entry.id === undefined)).toBe(true);
  return { answer: answer as Record<string, string>, listRequestsPerRun: lists.length / 2 };
}

describe('read', () => {
  it('with no jobs anywhere: in sync, one list request', async () => {
    const bucket = 'empty-1250000000';
    cos.createBucket(bucket, REGION);
    const { answer, listRequestsPerRun } = await read(bucket, []);
    expect(answer).toEqual({
      in_sync: 'true',
      bucket_status: 'present',
      remote_count: '0',
      undeclared: '',
      drift_message: '',
      undeclared_message: '',
    });
    expect(listRequestsPerRun).toBe(1);
  });

  it('with one matching job: in sync', async () => {
    const bucket = 'one-1250000000';
    cos.createBucket(bucket, REGION);
    await putInventory(client, { bucket, region: REGION }, job('daily'));
    const { answer, listRequestsPerRun } = await read(bucket, [job('daily')]);
    expect(answer['job.daily']).toBe('in-sync');
    expect(answer.in_sync).toBe('true');
    expect(answer.remote_count).toBe('1');
    expect(listRequestsPerRun).toBe(1);
  });

  it('with 250 jobs: three list requests, no get per job', async () => {
    const bucket = 'many-1250000000';
    cos.createBucket(bucket, REGION);
    const jobs = Array.from({ length: 250 }, (_, index) => job(`job-${String(index).padStart(3, '0')}`));
    for (const config of jobs) await putInventory(client, { bucket, region: REGION }, config);
    const { answer, listRequestsPerRun } = await read(bucket, jobs);
    expect(listRequestsPerRun).toBe(3);
    expect(answer.in_sync).toBe('true');
    expect(answer.remote_count).toBe('250');
    expect(Object.keys(answer).filter((key) => key.startsWith('job.'))).toHaveLength(250);
  });

  it('reports absent, drifted and undeclared jobs with the repair command', async () => {
    const bucket = 'drift-1250000000';
    cos.createBucket(bucket, REGION);
    const target = { bucket, region: REGION };
    await putInventory(
      client,
      target,
      job('drifted', { Filter: { Prefix: 'elsewhere/' }, IsEnabled: 'false' }),
    );
    await putInventory(client, target, job('fine'));
    await putInventory(client, target, job('stray-b'));
    await putInventory(client, target, job('stray-a'));
    const { answer } = await read(bucket, [job('drifted'), job('fine'), job('absent')], {
      drifted: 'terraform_data.inventory_drifted',
      absent: 'terraform_data.inventory_absent',
    });
    expect(answer.in_sync).toBe('false');
    expect(answer['job.fine']).toBe('in-sync');
    expect(answer['job.drifted']).toBe('drifted:Filter.Prefix,IsEnabled');
    expect(answer['job.absent']).toBe('absent');
    expect(answer.undeclared).toBe('stray-a,stray-b');
    expect(answer.remote_count).toBe('4');
    expect(answer.drift_message.split('\n')).toEqual([
      `inventory job drifted on bucket ${bucket} drifted in Filter.Prefix, IsEnabled; run terraform apply -replace=terraform_data.inventory_drifted to restore it`,
      `inventory job absent is absent: it is missing from bucket ${bucket}; run terraform apply -replace=terraform_data.inventory_absent to restore it`,
    ]);
    expect(answer.undeclared_message).toContain('stray-a, stray-b');
    await deleteInventory(client, target, 'drifted');
  });

  it('reports in sync a job written by the raw sdk with <Filter><And><Prefix> (as the go sdk does)', async () => {
    const bucket = 'andprefix-1250000000';
    cos.createBucket(bucket, REGION);
    const sdk = new COS(cos.sdkOptions());
    const declared = job('daily');
    await sdk.putBucketInventory({
      Bucket: bucket,
      Region: REGION,
      Id: 'daily',
      InventoryConfiguration: {
        ...declared,
        Filter: { And: { Prefix: 'logs/' } },
      } as unknown as COS.InventoryConfiguration,
    });
    const put = cos.requestLog.find((entry) => entry.method === 'PUT' && entry.id === 'daily');
    expect(put).toBeDefined();
    const { answer } = await read(bucket, [declared]);
    expect(answer['job.daily']).toBe('in-sync');
    expect(answer.in_sync).toBe('true');
  });

  it.each([
    ['no configurations', { bucket: 'one-1250000000', region: REGION }, /field configurations: is required/],
    [
      'an unknown key',
      { bucket: 'one-1250000000', region: REGION, configurations: '[]', configuration: '[]' },
      /field configuration: is not a field of the read query: expected only bucket, region, configurations, addresses, delivery_check \(received "\[\]"\)/,
    ],
  ])('refuses a query with %s, sending nothing', async (_, body, message) => {
    cos.clearRequestLog();
    const result = await runRead(JSON.stringify(body), env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^cos-inventory drift: bucket=one-1250000000 .*code=InvalidSpec/);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(cos.requestLog).toHaveLength(0);
  });

  it('answers for a bucket that does not exist instead of failing', async () => {
    const { answer } = await read('vanished-1250000000', [job('daily')], { daily: 'terraform_data.d' });
    expect(answer).toMatchObject({
      in_sync: 'false',
      bucket_status: 'absent',
      remote_count: '0',
      'job.daily': 'absent',
      undeclared: '',
    });
    expect(answer.drift_message).toContain('bucket vanished-1250000000 does not exist');
  });

  it('fails with a clear line on an invalid declared configuration', async () => {
    const bad = { ...job('x'), Schedule: { Frequency: 'Hourly' } } as unknown as InventoryConfiguration;
    cos.clearRequestLog();
    const result = await runRead(query('one-1250000000', [bad]), env);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^cos-inventory drift: bucket=one-1250000000 .*code=InvalidConfiguration.*Schedule\.Frequency/,
    );
    expect(cos.requestLog).toHaveLength(0);
  });
});
