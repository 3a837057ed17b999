/**
 * The COS contract the product depends on, run through the handler's verbs and the CLI in
 * process (the kit's runners; the bundle and the bin have their own smoke tests): against the local endpoint by default (COS's lag and policy normalisation
 * off, then on), against real COS with COS_INVENTORY_LIVE=1 (see docs/contract-tests.md).
 * Every id is unique and everything created is removed again.
 */
import COS from 'cos-nodejs-sdk-v5';
import { deleteInventory, getInventory } from '../../src/cos/inventory';
import { deletePolicy, getPolicy, putPolicy } from '../../src/cos/policy';
import { holdsStatement } from '../../src/handler/policy-match';
import { canonicalConfiguration } from '../../src/model/canonical';
import { normalizeRemoteConfiguration } from '../../src/model/compare';
import {
  findStatement,
  inventoryPolicyStatement,
  upsertStatement,
  type PolicyDocument,
} from '../../src/model/policy';
import { parseBucketName } from '../../src/model/bucket';
import { runCli, runHandler } from '../kit';
import { contractJob, CONTRACT_PREFIX, eventually } from './contract';
import { contractTargets, uniqueId, type ContractTarget } from './target';

const { targets, note } = contractTargets();
console.log(note);

const describeTargets =
  targets.length > 0
    ? describe.each(targets)
    : describe.skip.each([{ name: 'none', start: () => Promise.reject(new Error('unused')) }]);

describeTargets('cos contract: $name', ({ start }) => {
  let target: ContractTarget;
  const jobs: string[] = [];

  beforeAll(async () => {
    target = await start();
  });

  afterAll(async () => {
    if (target === undefined) return;
    for (const id of jobs)
      await deleteInventory(target.client, { bucket: target.source, region: target.region }, id);
    await target.close();
  });

  const bucketTarget = () => ({ bucket: target.source, region: target.region });

  async function read(configurations: readonly unknown[]): Promise<Record<string, string>> {
    const result = await runHandler('read', {
      stdin: JSON.stringify({
        bucket: target.source,
        region: target.region,
        configurations: JSON.stringify(configurations),
        addresses: '{}',
      }),
      env: target.env,
      clock: target.clock,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as Record<string, string>;
  }

  it('inventory: put-job stores and verifies, read sees it in sync, delete-job removes it', async () => {
    const id = uniqueId('contract-job');
    jobs.push(id);
    const config = contractJob(target, id);
    const put = await runHandler('put-job', {
      spec: { bucket: target.source, region: target.region, configuration: config },
      env: target.env,
      clock: target.clock,
    });
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    const stored = await getInventory(target.client, bucketTarget(), id);
    expect(normalizeRemoteConfiguration(stored)).toEqual(canonicalConfiguration(config));
    const answer = await eventually(
      target.clock,
      () => read([config]),
      (a) => a[`job.${id}`] !== 'absent',
    );
    expect(answer[`job.${id}`]).toBe('in-sync');

    const deleted = await runHandler('delete-job', {
      spec: { bucket: target.source, region: target.region, id },
      env: target.env,
      clock: target.clock,
    });
    expect(deleted.code).toBe(0);
    const gone = await eventually(
      target.clock,
      () => read([config]),
      (a) => a[`job.${id}`] === 'absent',
    );
    expect(gone[`job.${id}`]).toBe('absent');
  });

  it('inventory: a prefix-only filter written as <And><Prefix> by the raw sdk reads in sync', async () => {
    const id = uniqueId('contract-and');
    jobs.push(id);
    const config = { ...contractJob(target, id), Filter: { Prefix: 'logs/' } };
    const sdk = target.local
      ? new COS(target.local.sdkOptions())
      : new COS({
          SecretId: target.env.TENCENTCLOUD_SECRET_ID,
          SecretKey: target.env.TENCENTCLOUD_SECRET_KEY,
          ...(target.env.TENCENTCLOUD_SECURITY_TOKEN
            ? { SecurityToken: target.env.TENCENTCLOUD_SECURITY_TOKEN }
            : {}),
        });
    await sdk.putBucketInventory({
      Bucket: target.source,
      Region: target.region,
      Id: id,
      InventoryConfiguration: {
        ...config,
        Filter: { And: { Prefix: 'logs/' } },
      } as unknown as COS.InventoryConfiguration,
    });
    const answer = await eventually(
      target.clock,
      () => read([config]),
      (a) => a[`job.${id}`] !== 'absent',
    );
    expect(answer[`job.${id}`]).toBe('in-sync');
  });

  it('policy: attach and detach keep a foreign statement, however cos spells it back', async () => {
    const dest = { bucket: target.destination, region: target.region };
    const original = await getPolicy(target.client, dest);
    const appId = parseBucketName(target.destination).appId;
    const foreign = {
      sid: uniqueId('contractForeign'),
      effect: 'deny',
      principal: { qcs: ['qcs::cam::anyone:anyone'] },
      action: ['name/cos:GetObject'],
      resource: [`qcs::cos:${target.region}:uid/${appId}:${target.destination}/${CONTRACT_PREFIX}-foreign/*`],
    };
    const ours = {
      ...inventoryPolicyStatement({
        destinationBucket: target.destination,
        destinationRegion: target.region,
        sourceBucket: target.source,
        prefixes: [CONTRACT_PREFIX],
        ownerUin: target.ownerUin,
      }),
      sid: uniqueId('cosInventoryContract'),
    };
    try {
      await putPolicy(target.client, dest, upsertStatement(original, foreign));
      const withForeign = await eventually(
        target.clock,
        () => getPolicy(target.client, dest),
        (doc) => findStatement(doc, foreign.sid) !== undefined,
      );
      expect(holdsStatement(withForeign, foreign.sid, foreign)).toBe(true);

      const attached = await runHandler('attach-policy', {
        spec: { ...dest, statement: ours },
        env: target.env,
        clock: target.clock,
      });
      expect(attached.stderr).toBe('');
      expect(attached.code).toBe(0);
      const afterAttach = await getPolicy(target.client, dest);
      expect(holdsStatement(afterAttach, ours.sid, ours)).toBe(true);
      expect(holdsStatement(afterAttach, foreign.sid, foreign)).toBe(true);

      const again = await runHandler('attach-policy', {
        spec: { ...dest, statement: ours },
        env: target.env,
        clock: target.clock,
      });
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('were already attached');

      const detached = await runHandler('detach-policy', {
        spec: { ...dest, sid: ours.sid },
        env: target.env,
        clock: target.clock,
      });
      expect(detached.stderr).toBe('');
      expect(detached.code).toBe(0);
      const afterDetach = await getPolicy(target.client, dest);
      expect(findStatement(afterDetach, ours.sid)).toBeUndefined();
      expect(holdsStatement(afterDetach, foreign.sid, foreign)).toBe(true);
    } finally {
      // Leave the destination's policy as it was found.
      if (original === undefined) await deletePolicy(target.client, dest);
      else await putPolicy(target.client, dest, original as PolicyDocument);
    }
  });

  it('one-time run: run --wait returns once the report is delivered and verified; report finds it by the run id', async () => {
    const id = uniqueId('contract-run');
    jobs.push(id);
    const put = await runHandler('put-job', {
      spec: { bucket: target.source, region: target.region, configuration: contractJob(target, id) },
      env: target.env,
      clock: target.clock,
    });
    expect(put.code).toBe(0);
    const run = await runCli(
      [
        'run',
        '--bucket',
        target.source,
        '--region',
        target.region,
        '--job',
        id,
        '--wait',
        '--timeout',
        String(target.deliveryTimeoutSeconds),
      ],
      target.env,
      { clock: target.clock },
    );
    expect(run.code).toBe(0);
    const runId = new RegExp(
      `^started one-time inventory run (${id}-once-\\d{14}-[0-9a-f]{6}) of job ${id}`,
      'm',
    ).exec(run.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(run.stdout).toMatch(/^verified \d+ data files of \S+\/manifest\.json$/m);
    expect(run.stdout).toMatch(/^all objects +\d+ +\d+$/m);
    const report = await runCli(
      [
        'report',
        '--bucket',
        target.destination,
        '--region',
        target.region,
        '--source',
        target.source,
        '--job',
        runId ?? '',
        '--prefix',
        CONTRACT_PREFIX,
        '--summary',
        '--format',
        'table',
      ],
      target.env,
      { clock: target.clock },
    );
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/^all objects +\d+ +\d+$/m);
  });
});
