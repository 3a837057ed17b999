/**
 * cosinventory_job's hooks in process against LocalCos: one PUT per write, one listing per
 * bucket per process, the recent-write rule under COS's lag, import and moves from 0.1.0.
 */
import { putInventory } from '../../src/cos/inventory';
import { configurationFromAttributes, jobAttributes } from '../../src/model/job-attributes';
import { attributesOf } from '../../src/provider/job-schema';
import { decodePrivate } from '../../src/provider/private-state';
import { DEFAULT_READBACK_MS } from '../../src/handler/read-back';
import {
  create,
  jobConfiguration,
  jobValue,
  legacyDataState,
  read,
  REGION,
  SOURCE,
  startProviderKit,
  update,
  type ProviderKit,
} from './helpers';
import { remoteIds } from '../kit';

const target = { bucket: SOURCE, region: REGION };
const listRequests = (kit: ProviderKit) => kit.requests().filter((r) => r === 'GET inventory');

describe('without lag', () => {
  let p: ProviderKit;
  beforeAll(async () => {
    p = await startProviderKit();
  });
  afterAll(() => p.close());
  beforeEach(() => p.clearRequests());

  test('create is one PUT and keeps the write time in private state', async () => {
    const before = p.clock.now();
    const created = await create(p.job, { ...jobValue('create-one'), id: null });
    expect(p.requests()).toEqual(['PUT inventory create-one']);
    expect(created.state).toEqual(jobValue('create-one'));
    expect(created.state.id).toBe(`${REGION}/${SOURCE}/create-one`);
    expect(decodePrivate(created.private).writtenAt).toBeGreaterThanOrEqual(before);
  });

  test('writes run concurrently, at most 10 at once', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `bounded-${i}`);
    await Promise.all(ids.map((id) => create(p.job, jobValue(id))));
    expect(p.runtime.writes.peak).toBe(10);
    expect(p.requests().filter((r) => r.startsWith('PUT'))).toHaveLength(30);
  });

  test('update of one field is one PUT of the whole job with the new value', async () => {
    const { state } = await create(p.job, jobValue('update-one'));
    p.clearRequests();
    const planned = { ...state, frequency: 'Weekly' };
    const updated = await update(p.job, state, planned);
    expect(p.requests()).toEqual(['PUT inventory update-one']);
    expect(updated.state.frequency).toBe('Weekly');
    const fresh = await startProviderKitReader(p);
    expect(await read(fresh.job, updated.state)).toEqual(updated.state);
  });

  test('reads of many jobs of one bucket share one paged listing, concurrent or not', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `many-${String(i).padStart(3, '0')}`);
    for (const id of ids) await putInventory(p.kit.client, target, jobConfiguration(id));
    const held = await remoteIds(p.kit.sdk, SOURCE, REGION);
    expect(held.length).toBeGreaterThan(100);
    const reader = await startProviderKitReader(p);
    p.clearRequests();
    const states = await Promise.all(ids.slice(0, 120).map((id) => read(reader.job, jobValue(id))));
    for (const id of ids.slice(120)) await read(reader.job, jobValue(id));
    expect(states.every((state, i) => state?.job_id === ids[i])).toBe(true);
    // One paged listing for all 150 reads: one request per page of 100 jobs.
    expect(listRequests(p)).toHaveLength(Math.ceil(held.length / 100));
    expect(p.requests().every((r) => r === 'GET inventory')).toBe(true);
  });

  test('an out-of-band change reads as the job COS holds; a job gone reads as null after one listing', async () => {
    const { state } = await create(p.job, jobValue('drift'));
    await putInventory(
      p.kit.client,
      target,
      jobConfiguration('drift', { IsEnabled: 'false', Schedule: { Frequency: 'Weekly' } }),
    );
    const reader = await startProviderKitReader(p);
    const drifted = await read(reader.job, state);
    expect(drifted).toEqual({ ...state, enabled: false, frequency: 'Weekly' });
    p.clearRequests();
    expect(await read(reader.job, jobValue('never-created'))).toBeNull();
    expect(p.requests()).toEqual([]); // the listing is cached for the process
  });

  test('a read keeps the configuration spelling of an unchanged job (order of optional_fields)', async () => {
    const { state } = await create(p.job, { ...jobValue('spelling'), optional_fields: ['Size', 'ETag'] });
    const reader = await startProviderKitReader(p);
    expect((await read(reader.job, state))?.optional_fields).toEqual(['Size', 'ETag']);
  });

  test('delete is one DELETE; already gone and bucket gone are success', async () => {
    const { state } = await create(p.job, jobValue('delete-me'));
    p.clearRequests();
    expect(await p.job.delete(state, Buffer.alloc(0))).toEqual({});
    expect(await p.job.delete(state, Buffer.alloc(0))).toEqual({});
    expect(await p.job.delete({ ...state, bucket: 'gone-1250000000' }, Buffer.alloc(0))).toEqual({});
    expect(p.requests()).toEqual([
      'DELETE inventory delete-me',
      'DELETE inventory delete-me',
      'DELETE inventory delete-me',
    ]);
  });

  test('import by <region>/<bucket>/<job_id> reads the job with a listing and nothing else', async () => {
    await putInventory(
      p.kit.client,
      target,
      jobConfiguration('imported', { Schedule: { Frequency: 'Weekly' } }),
    );
    const reader = await startProviderKitReader(p);
    p.clearRequests();
    const result = await reader.job.importState?.(`${REGION}/${SOURCE}/imported`);
    expect(result?.state).toEqual(jobValue('imported', { Schedule: { Frequency: 'Weekly' } }));
    // The bucket's listing (two pages: the jobs of the test above are there too), nothing else.
    expect(p.requests()).toEqual(['GET inventory', 'GET inventory']);
  });

  test.each([
    ['imported', '1 part'],
    [`${SOURCE}/imported`, '2 parts'],
    [`${REGION}/${SOURCE}/imported/x`, '4 parts'],
    [`Guangzhou/${SOURCE}/imported`, 'no valid region first (received "Guangzhou")'],
    [`${REGION}/source/imported`, 'no valid bucket name-appid second (received "source")'],
    [`${REGION}/${SOURCE}/bad id`, 'no valid job id third (received "bad id"'],
  ])('import id %j is refused naming the id and the allowed form', async (id, problem) => {
    p.clearRequests();
    const result = await p.job.importState?.(id);
    expect(result?.state).toBeUndefined();
    expect(result?.diagnostics).toEqual([
      {
        severity: 'error',
        summary: 'cannot import cosinventory_job',
        detail: expect.stringContaining(`import id ${JSON.stringify(id)} has ${problem}`),
        attribute: undefined,
      },
    ]);
    expect(result?.diagnostics?.[0].detail).toContain('expected <region>/<bucket>/<job_id>');
    expect(p.requests()).toEqual([]);
  });

  test('import of a job the bucket does not hold says so', async () => {
    const result = await p.job.importState?.(`${REGION}/${SOURCE}/nothing-here`);
    expect(result?.diagnostics?.[0].detail).toContain(
      `bucket ${SOURCE} in ${REGION} holds no inventory job nothing-here`,
    );
  });

  test('a 0.1.0 terraform_data job moves to the same attributes without a request', async () => {
    p.clearRequests();
    const configuration = jobConfiguration('legacy', { Filter: { Prefix: 'logs/' } });
    const result = await p.job.moveState?.({
      sourceProviderAddress: 'terraform.io/builtin/terraform',
      sourceTypeName: 'terraform_data',
      sourceSchemaVersion: 0,
      sourceState: legacyDataState({ bucket: SOURCE, region: REGION, id: 'legacy', configuration }),
      sourcePrivate: Buffer.alloc(0),
    });
    expect(result?.state).toEqual(jobValue('legacy', { Filter: { Prefix: 'logs/' } }));
    expect(configurationFromAttributes(attributesOf(result?.state ?? {}))).toEqual(
      configurationFromAttributes(jobAttributes(configuration, SOURCE, REGION)),
    );
    expect(p.requests()).toEqual([]);
  });

  test('a move from anything else is refused naming what was received', async () => {
    const other = await p.job.moveState?.({
      sourceProviderAddress: 'registry.terraform.io/hashicorp/null',
      sourceTypeName: 'null_resource',
      sourceSchemaVersion: 0,
      sourceState: { id: '1' },
      sourcePrivate: Buffer.alloc(0),
    });
    expect(other?.diagnostics?.[0].detail).toContain(
      'cannot move a "null_resource" resource to cosinventory_job',
    );
    const noTriggers = await p.job.moveState?.({
      sourceProviderAddress: 'terraform.io/builtin/terraform',
      sourceTypeName: 'terraform_data',
      sourceSchemaVersion: 0,
      sourceState: { id: '1', triggers_replace: null },
      sourcePrivate: Buffer.alloc(0),
    });
    expect(noTriggers?.diagnostics?.[0].detail).toContain(
      'its triggers_replace is null, expected the object 0.1.0 wrote',
    );
  });

  test('validation reports what COS would refuse, and empty lists', async () => {
    const diagnostics = await p.job.validate?.({
      ...jobValue('v'),
      frequency: 'Hourly',
      optional_fields: [],
    });
    const details = (diagnostics ?? []).map((d) => d.detail);
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringContaining('optional_fields: must be null or hold at least one entry'),
        expect.stringContaining('Schedule.Frequency'),
      ]),
    );
    expect(await p.job.validate?.(jobValue('v'))).toEqual([]);
  });
});

/** A second provider process on the same endpoint: its own listing cache, same clock. */
async function startProviderKitReader(p: ProviderKit) {
  const { cosInventoryProvider } = await import('../../src/provider/provider');
  const provider = cosInventoryProvider({ env: p.kit.env(), clock: p.clock });
  return {
    job: provider.resources?.cosinventory_job ?? p.job,
    grant: provider.resources?.cosinventory_destination_grant ?? p.grant,
  };
}

describe('under a 3 s read-after-write lag', () => {
  let p: ProviderKit;
  beforeAll(async () => {
    p = await startProviderKit({ lagMs: 3000 });
  });
  afterAll(() => p.close());
  beforeEach(() => p.clearRequests());

  test('a refresh right after the write re-lists per bucket with backoff until the jobs show', async () => {
    const ids = ['lag-a', 'lag-b', 'lag-c'];
    const written = await Promise.all(ids.map((id) => create(p.job, jobValue(id))));
    const reader = await startProviderKitReader(p);
    p.clearRequests();
    const started = p.clock.now();
    const states = await Promise.all(written.map((w) => read(reader.job, w.state, w.private)));
    expect(states).toEqual(written.map((w) => w.state));
    const lists = listRequests(p).length;
    // 100, 200, 400, 800, 1600 ms (and more) of backoff: about 3 s of lag shared by the three jobs.
    expect(lists).toBeGreaterThan(1);
    expect(lists).toBeLessThanOrEqual(7);
    expect(p.clock.now() - started).toBeGreaterThanOrEqual(2900);
    expect(p.clock.now() - started).toBeLessThan(DEFAULT_READBACK_MS);
  });

  test('without a recent write, an absent job is null after one listing (no wait)', async () => {
    const reader = await startProviderKitReader(p);
    const started = p.clock.now();
    expect(await read(reader.job, jobValue('not-mine'))).toBeNull();
    expect(listRequests(p)).toHaveLength(1);
    expect(p.clock.now()).toBe(started);
  });

  test('a recent write that never shows gives up within the read-back window', async () => {
    const w = await create(p.job, jobValue('vanishing'));
    // Deleted out of band at once: the listing never shows the job.
    await p.kit.sdk.deleteBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'vanishing' });
    p.clock.advance(3100);
    const reader = await startProviderKitReader(p);
    p.clearRequests();
    expect(await read(reader.job, w.state, w.private)).toBeNull();
    expect(p.clock.now() - (decodePrivate(w.private).writtenAt as number)).toBeLessThanOrEqual(
      DEFAULT_READBACK_MS,
    );
    expect(listRequests(p).length).toBeGreaterThan(1);
  });
});

describe("the job's account guard (allowed_account_ids)", () => {
  const OTHER = '100000000999';
  let p: ProviderKit;
  let uin: string;
  beforeAll(async () => {
    p = await startProviderKit();
    uin = p.kit.cos.accounts[0].uin;
  });
  afterAll(() => p.close());
  beforeEach(() => p.clearRequests());

  const guarded = (id: string, allowed: readonly string[] | null) => ({
    ...jobValue(id),
    allowed_account_ids: allowed === null ? null : [...allowed],
  });
  const writes = () => p.requests().filter((r) => !r.startsWith('GET') && r !== 'POST sts GetCallerIdentity');

  test('create, update and delete by another account are refused in one line, writing nothing', async () => {
    const refused = await p.job.create({
      priorState: null,
      plannedState: guarded('guarded-create', [OTHER]),
      config: null,
      plannedPrivate: Buffer.alloc(0),
    });
    expect(refused.state).toBeUndefined();
    const line = refused.diagnostics?.[0].detail ?? '';
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(
      new RegExp(
        `^cos-inventory provider put-job: bucket=${SOURCE} id=guarded-create code=AccountNotAllowed .*belong to account ${uin}, allowed_account_ids of this cosinventory_job allows only ${OTHER}: nothing was changed; hint: .*allowedAccountIds in the BucketInventory props`,
      ),
    );
    expect(writes()).toEqual([]);

    // Made under its own account, then in state with a guard this credential does not meet.
    const { state } = await create(p.job, guarded('guarded-delete', [uin]));
    p.clearRequests();
    const wrongState = { ...state, allowed_account_ids: [OTHER] };
    const updated = await p.job.update({
      priorState: wrongState,
      plannedState: { ...wrongState, frequency: 'Weekly' },
      config: null,
      plannedPrivate: Buffer.alloc(0),
    });
    expect(updated.diagnostics?.[0].detail).toContain('code=AccountNotAllowed');
    const deleted = await p.job.delete(wrongState, Buffer.alloc(0));
    expect(deleted.diagnostics?.[0].summary).toBe(
      `deleting inventory job guarded-delete from bucket ${SOURCE} failed`,
    );
    expect(deleted.diagnostics?.[0].detail).toMatch(
      new RegExp(
        `^cos-inventory provider delete-job: bucket=${SOURCE} id=guarded-delete code=AccountNotAllowed .*allows only ${OTHER}: nothing was changed`,
      ),
    );
    expect(writes()).toEqual([]);
    expect(await remoteIds(p.kit.sdk, SOURCE, REGION)).toContain('guarded-delete');
    // The guard in state is the one checked: with the account allowed there, the delete goes through.
    expect(await p.job.delete(state, Buffer.alloc(0))).toEqual({});
    expect(writes()).toEqual(['DELETE inventory guarded-delete']);
  });

  test('the allowed account writes; GetCallerIdentity once per process; a guard-only change writes nothing', async () => {
    const before = p.requests().length;
    const created = await create(p.job, guarded('guarded-ok', [OTHER, uin]));
    const other = await create(p.job, guarded('guarded-ok-2', [uin]));
    // The process asked STS in the test before: not again.
    expect(p.requests().slice(before)).toEqual(['PUT inventory guarded-ok', 'PUT inventory guarded-ok-2']);
    p.clearRequests();
    const reguarded = await update(p.job, created.state, guarded('guarded-ok', [uin]));
    expect(reguarded.state.allowed_account_ids).toEqual([uin]);
    const unguarded = await update(p.job, other.state, guarded('guarded-ok-2', null));
    expect(unguarded.state.allowed_account_ids).toBeNull();
    expect(p.requests()).toEqual([]);
    // A refresh keeps the guard, also when COS's job differs.
    await putInventory(
      p.kit.client,
      target,
      jobConfiguration('guarded-ok', { Schedule: { Frequency: 'Weekly' } }),
    );
    const refreshed = await read(p.job, reguarded.state);
    expect(refreshed).toMatchObject({ frequency: 'Weekly', allowed_account_ids: [uin] });
  });

  test('validation takes uins only', async () => {
    const diagnostics = await p.job.validate?.(guarded('v', [uin, 'prod']));
    expect(diagnostics?.map((d) => d.detail)).toEqual([
      'allowed_account_ids: each entry must be an account uin (digits), received "prod"',
    ]);
  });
});
