import type { CosClient } from '../../src/cos/client';
import { getInventory, listAllInventories, putInventory } from '../../src/cos/inventory';
import type { LocalCos } from '../../src/emulator';
import { diffConfigurations, normalizeRemoteConfiguration } from '../../src/model/compare';
import { endpointEnv, runHandler, startKit } from '../kit';
import {
  DESTINATION,
  job,
  REGION,
  SEED_BUCKET,
  SEED_DESTINATION,
  SEED_REGION,
  seedSample,
  SOURCE,
} from './fixtures';

let cos: LocalCos;
let client: CosClient;
let env: Record<string, string>;

beforeAll(async () => {
  const kit = await startKit({
    buckets: [
      `${SOURCE}@${REGION}`,
      `${DESTINATION}@${REGION}`,
      `${SEED_BUCKET}@${SEED_REGION}`,
      `${SEED_DESTINATION}@${SEED_REGION}`,
    ],
  });
  cos = kit.cos;
  env = endpointEnv(cos);
  client = kit.client;
});

afterAll(async () => {
  await cos.close();
});

beforeEach(() => {
  cos.clearRequestLog();
  cos.clearFaults();
});

function requests(method?: string): number {
  return cos.requestLog.filter((entry) => method === undefined || entry.method === method).length;
}

describe('put-job', () => {
  it.each([
    ['with SSE-COS', true],
    ['without encryption', false],
  ])('stores the SDK reference sample %s exactly, twice in a row', async (_name, encrypted) => {
    const sample = seedSample(encrypted);
    for (let run = 0; run < 2; run++) {
      const result = await runHandler('put-job', {
        spec: { bucket: SEED_BUCKET, region: SEED_REGION, configuration: sample },
        env,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('stored inventory job inventory_test');
    }
    // Each run puts, then reads back.
    expect(cos.requestLog.map((entry) => `${entry.method} ${entry.subresource} ${entry.status}`)).toEqual([
      'PUT inventory 200',
      'GET inventory 200',
      'PUT inventory 200',
      'GET inventory 200',
    ]);
    const stored = await getInventory(client, { bucket: SEED_BUCKET, region: SEED_REGION }, 'inventory_test');
    expect(diffConfigurations(sample, normalizeRemoteConfiguration(stored))).toEqual([]);
    const encryption = (stored as { Destination: { COSBucketDestination: { Encryption?: unknown } } })
      .Destination.COSBucketDestination.Encryption;
    expect(encryption !== undefined).toBe(encrypted);
  });

  it('overwrites a changed job', async () => {
    await runHandler('put-job', {
      spec: { bucket: SOURCE, region: REGION, configuration: job('change') },
      env,
    });
    const changed = job('change', { Filter: { Prefix: 'other/' }, OptionalFields: ['StorageClass'] });
    const result = await runHandler('put-job', {
      spec: { bucket: SOURCE, region: REGION, configuration: changed },
      env,
    });
    expect(result.code).toBe(0);
    const stored = await getInventory(client, { bucket: SOURCE, region: REGION }, 'change');
    expect(diffConfigurations(changed, normalizeRemoteConfiguration(stored))).toEqual([]);
  });

  it('rejects an invalid configuration without sending a request', async () => {
    const bad = { ...job('bad'), IncludedObjectVersions: 'Some' };
    const result = await runHandler('put-job', {
      spec: { bucket: SOURCE, region: REGION, configuration: bad },
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^cos-inventory put-job: bucket=examplebucket-1250000000 id=- code=InvalidConfiguration request-id=-: .*IncludedObjectVersions.*"Some"/,
    );
    expect(requests()).toBe(0);
  });

  it('fails when reading back finds no job', async () => {
    cos.injectFault({
      method: 'GET',
      subresource: 'inventory',
      status: 404,
      code: 'InventoryConfigurationNotFoundError',
      times: Infinity,
    });
    const result = await runHandler('put-job', {
      spec: { bucket: SOURCE, region: REGION, configuration: job('vanishing') },
      env: { ...env, COS_INVENTORY_READBACK_MS: '1000' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^cos-inventory put-job: bucket=examplebucket-1250000000 id=vanishing code=VerificationFailed request-id=-: cos accepted inventory job vanishing but reading it back found no such job \(\d+ reads within the 1000 ms read-back window, COS_INVENTORY_READBACK_MS\)/,
    );
    // It kept reading for the window rather than failing at the first stale read.
    expect(requests('GET')).toBeGreaterThan(2);
  });

  it('fails on a bucket that does not exist, naming it', async () => {
    const result = await runHandler('put-job', {
      spec: { bucket: 'missing-1250000000', region: REGION, configuration: job('x') },
      env,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /code=NoSuchBucket request-id=\S+: putBucketInventory failed: .*hint: check the bucket name and region/,
    );
  });
});

describe('bad input', () => {
  it.each(['put-job', 'delete-job', 'prune', 'attach-policy', 'detach-policy', 'run-once'])(
    '%s: spec that is not json is an error and sends nothing',
    async (verb) => {
      const result = await runHandler(verb, { spec: '{"bucket": "examplebucket-1250000000",', env });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(
        new RegExp(
          `^cos-inventory ${verb}: bucket=- id=- code=InvalidSpec request-id=-: COS_INVENTORY_SPEC is not valid json`,
        ),
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(requests()).toBe(0);
    },
  );

  it('read: a query that is not json is an error and sends nothing', async () => {
    const result = await runHandler('read', { stdin: 'bucket=x', env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cos-inventory read: .*code=InvalidSpec.*query is not valid json/);
    expect(requests()).toBe(0);
  });

  it('an unknown verb lists the verbs', async () => {
    const result = await runHandler('create', { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'expected one of put-job, delete-job, prune, attach-policy, detach-policy, run-once, read',
    );
  });

  it('missing credentials fail before any request, naming the variables', async () => {
    const result = await runHandler('delete-job', {
      spec: { bucket: SOURCE, region: REGION, id: 'a' },
      // An empty shared-credentials directory: no default profile to fall back on.
      env: { COS_INVENTORY_ENDPOINT: cos.endpoint, TENCENTCLOUD_SHARED_CREDENTIALS_DIR: __dirname },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /code=MissingCredentials request-id=-: credential chain: no credentials found; hint: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY, a tccli profile/,
    );
    expect(requests()).toBe(0);
  });

  it('an endpoint of the wrong form fails before any request', async () => {
    const result = await runHandler('delete-job', {
      spec: { bucket: SOURCE, region: REGION, id: 'a' },
      env: { ...env, COS_INVENTORY_ENDPOINT: `${cos.endpoint}/path` },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('COS_INVENTORY_ENDPOINT must have the form http://HOST:PORT');
    expect(requests()).toBe(0);
  });
});

describe('delete-job and prune', () => {
  it('deletes a job; deleting it again succeeds', async () => {
    await putInventory(client, { bucket: SOURCE, region: REGION }, job('gone'));
    const first = await runHandler('delete-job', {
      spec: { bucket: SOURCE, region: REGION, id: 'gone' },
      env,
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('deleted inventory job gone');
    const second = await runHandler('delete-job', {
      spec: { bucket: SOURCE, region: REGION, id: 'gone' },
      env,
    });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already absent');
    expect(await getInventory(client, { bucket: SOURCE, region: REGION }, 'gone')).toBeUndefined();
  });

  it('fails when the bucket does not exist', async () => {
    const result = await runHandler('delete-job', {
      spec: { bucket: 'nowhere-1250000000', region: REGION, id: 'a' },
      env,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^cos-inventory delete-job: bucket=nowhere-1250000000 id=a code=NoSuchBucket/,
    );
  });

  it('prune deletes ids no longer declared and keeps the rest, idempotently', async () => {
    const bucket = 'prune-1250000000';
    cos.createBucket(bucket, REGION);
    for (const id of ['keep', 'drop1', 'drop2'])
      await putInventory(client, { bucket, region: REGION }, job(id));
    const spec = { bucket, region: REGION, previous: ['keep', 'drop1', 'drop2'], desired: ['keep', 'new'] };
    const messages: string[] = [];
    for (let run = 0; run < 2; run++) {
      const result = await runHandler('prune', { spec, env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      messages.push(result.stdout.trim());
    }
    expect(messages).toEqual([
      'pruned inventory jobs drop1, drop2 from prune-1250000000: deleted 2, 0 already gone',
      'pruned inventory jobs drop1, drop2 from prune-1250000000: deleted 0, 2 already gone',
    ]);
    const listing = await listAllInventories(client, { bucket, region: REGION });
    expect(listing.configurations.map((raw) => normalizeRemoteConfiguration(raw).Id)).toEqual(['keep']);
    // Deletes run concurrently: compare without order.
    const deletes = cos.requestLog.filter((entry) => entry.method === 'DELETE').map((entry) => entry.id);
    expect(deletes.sort()).toEqual(['drop1', 'drop1', 'drop2', 'drop2']);
  });

  it('prune empties a bucket of many jobs, one delete each', async () => {
    const bucket = 'prune-many-1250000000';
    cos.createBucket(bucket, REGION);
    const ids = Array.from({ length: 40 }, (_, i) => `job${String(i).padStart(2, '0')}`);
    for (const id of ids) await putInventory(client, { bucket, region: REGION }, job(id));
    cos.clearRequestLog();
    const result = await runHandler('prune', {
      spec: { bucket, region: REGION, previous: ids, desired: [] },
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(': deleted 40, 0 already gone');
    const listing = await listAllInventories(client, { bucket, region: REGION });
    expect(listing.configurations).toEqual([]);
    const deletes = cos.requestLog.filter((entry) => entry.method === 'DELETE' && entry.bucket === bucket);
    expect(deletes.map((entry) => entry.id).sort()).toEqual(ids);
  });
});

describe('run-once', () => {
  it('posts under a fresh id per run, derived from the job, and says where the report lands', async () => {
    const ids: string[] = [];
    for (let run = 0; run < 2; run++) {
      const result = await runHandler('run-once', {
        spec: { bucket: SOURCE, region: REGION, configuration: job('once') },
        env,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const match =
        /^started one-time inventory run (once-once-\d{14}-[0-9a-f]{6}) of job once on examplebucket-1250000000; its report will land in cos:\/\/reports-1250000000\/inventory\/1250000000\/examplebucket\/(\S+)\/ \(region ap-guangzhou; manifest at \S+<YYYYMMDD>\/manifest.json\)\n$/.exec(
          result.stdout,
        );
      expect(match).not.toBeNull();
      expect(match?.[2]).toBe(match?.[1]);
      ids.push(match?.[1] ?? '');
    }
    expect(ids[0]).not.toBe(ids[1]);
    expect(
      cos.requestLog.map((entry) => `${entry.method} ${entry.subresource} ${entry.id} ${entry.status}`),
    ).toEqual(ids.map((id) => `POST inventory ${id} 200`));
    // A one-time run is not a stored job.
    expect(await getInventory(client, { bucket: SOURCE, region: REGION }, 'once')).toBeUndefined();
    expect(await getInventory(client, { bucket: SOURCE, region: REGION }, ids[0])).toBeUndefined();
  });

  it("never posts a scheduled job's own id, even while that job exists", async () => {
    await putInventory(client, { bucket: SOURCE, region: REGION }, job('scheduled'));
    cos.clearRequestLog();
    const result = await runHandler('run-once', {
      spec: { bucket: SOURCE, region: REGION, configuration: job('scheduled') },
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const posted = cos.requestLog.filter((entry) => entry.method === 'POST').map((entry) => entry.id);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/^scheduled-once-\d{14}-[0-9a-f]{6}$/);
  });

  it('cuts a long job id so the run id fits 64 characters', async () => {
    const long = 'j'.repeat(64);
    const result = await runHandler('run-once', {
      spec: { bucket: SOURCE, region: REGION, configuration: job(long) },
      env,
    });
    expect(result.code).toBe(0);
    const id = /run (\S+) of job/.exec(result.stdout)?.[1] ?? '';
    expect(id).toHaveLength(64);
    expect(id.startsWith('j'.repeat(37))).toBe(true);
  });
});
