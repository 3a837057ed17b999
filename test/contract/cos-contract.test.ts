/**
 * The COS contract the product depends on, run through the provider's resources and the CLI in
 * process (the provider process and the bin have their own smoke tests): against the local endpoint by default (COS's lag and policy normalisation
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
import { jobAttributes } from '../../src/model/job-attributes';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { grantState } from '../../src/provider/grant-schema';
import { jobState } from '../../src/provider/job-schema';
import { GRANT_RESOURCE_TYPE, JOB_RESOURCE_TYPE } from '../../src/provider/names';
import { cosInventoryProvider } from '../../src/provider/provider';
import type { ResourceDefinition } from '../../src/tfplugin/provider';
import type { TfObject } from '../../src/tfplugin/value';
import { runCli } from '../kit';
import { create as applyCreate } from '../provider/helpers';
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

  const EMPTY = Buffer.alloc(0);

  /** The resources of a fresh provider process (its listings cached for its life, like a Terraform run's). */
  function provider(): Record<string, ResourceDefinition> {
    const started = cosInventoryProvider({ env: target.env, clock: target.clock });
    started.runtime.configure(undefined);
    return started.resources ?? {};
  }

  const jobValue = (config: InventoryConfiguration): TfObject =>
    jobState(jobAttributes(config, target.source, target.region));

  /** Apply: ApplyResourceChange's create, failing the test on any diagnostic. */
  async function create(resource: ResourceDefinition, planned: TfObject) {
    const created = await applyCreate(resource, planned);
    expect(created.diagnostics).toEqual([]);
    return created;
  }

  /** A refresh in a new provider process: the state COS holds for `state`, null when absent. */
  async function refresh(resource: string, state: TfObject): Promise<TfObject | null> {
    const result = await provider()[resource].read(state, EMPTY);
    expect(result.diagnostics ?? []).toEqual([]);
    return result.state === undefined ? state : result.state;
  }

  it('inventory: create stores the job, a refresh reads it unchanged, delete removes it', async () => {
    const id = uniqueId('contract-job');
    jobs.push(id);
    const config = contractJob(target, id);
    const resource = provider()[JOB_RESOURCE_TYPE];
    const created = await create(resource, jobValue(config));
    // The same process's refresh waits out COS's lag after its own write (private state).
    const read = await resource.read(created.state, created.private);
    expect(read.diagnostics ?? []).toEqual([]);
    expect(read.state).toEqual(created.state);
    const stored = await getInventory(target.client, bucketTarget(), id);
    expect(normalizeRemoteConfiguration(stored)).toEqual(canonicalConfiguration(config));

    const deleted = await resource.delete(created.state, EMPTY);
    expect(deleted.diagnostics ?? []).toEqual([]);
    const gone = await eventually(
      target.clock,
      () => refresh(JOB_RESOURCE_TYPE, created.state),
      (state) => state === null,
    );
    expect(gone).toBeNull();
  });

  it('inventory: a prefix-only filter written as <And><Prefix> by the raw sdk refreshes unchanged', async () => {
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
    const state = jobValue(config);
    const read = await eventually(
      target.clock,
      () => refresh(JOB_RESOURCE_TYPE, state),
      (value) => value !== null,
    );
    // In sync: the refresh keeps the configuration's own spelling.
    expect(read).toEqual(state);
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

      const grant = grantState({
        bucket: target.destination,
        region: target.region,
        sid: ours.sid,
        principals: ours.principal.qcs,
        resources: ours.resource,
        roleArn: null,
      });
      const grants = provider()[GRANT_RESOURCE_TYPE];
      await create(grants, grant);
      // An apply does not wait for COS to show its write: the next read may be stale a while.
      const afterAttach = await eventually(
        target.clock,
        () => getPolicy(target.client, dest),
        (doc) => findStatement(doc, ours.sid) !== undefined,
      );
      expect(holdsStatement(afterAttach, ours.sid, ours)).toBe(true);
      expect(holdsStatement(afterAttach, foreign.sid, foreign)).toBe(true);
      // A refresh in another process finds the statement as written, however COS spells it.
      expect(await refresh(GRANT_RESOURCE_TYPE, grant)).toEqual(grant);

      const detached = await grants.delete(grant, EMPTY);
      expect(detached.diagnostics ?? []).toEqual([]);
      const afterDetach = await eventually(
        target.clock,
        () => getPolicy(target.client, dest),
        (doc) => findStatement(doc, ours.sid) === undefined,
      );
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
    await create(provider()[JOB_RESOURCE_TYPE], jobValue(contractJob(target, id)));
    // `run` reads the job: wait until COS shows what the apply wrote.
    await eventually(
      target.clock,
      () => getInventory(target.client, bucketTarget(), id),
      (stored) => stored !== undefined,
    );
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
