/** `startOneTimeRun` (what `cos-inventory run` posts) against LocalCos: fresh ids, never the job's own. */
import type { CosClient } from '../../src/cos/client';
import { getInventory, putInventory } from '../../src/cos/inventory';
import type { LocalCos } from '../../src/emulator';
import { describeLocation, startOneTimeRun } from '../../src/handler/run-once';
import { startKit } from '../kit';
import { DESTINATION, job, REGION, SOURCE } from './fixtures';

const target = { bucket: SOURCE, region: REGION };
let cos: LocalCos;
let client: CosClient;

beforeAll(async () => {
  const kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`] });
  cos = kit.cos;
  client = kit.client;
});
afterAll(async () => {
  await cos.close();
});
beforeEach(() => {
  cos.clearRequestLog();
});

describe('startOneTimeRun', () => {
  it('posts under a fresh id per run, derived from the job, and says where the report lands', async () => {
    const ids: string[] = [];
    for (let run = 0; run < 2; run++) {
      const started = await startOneTimeRun(client, target, job('once'));
      expect(started.id).toMatch(/^once-once-\d{14}-[0-9a-f]{6}$/);
      expect(started).toMatchObject({
        jobId: 'once',
        sourceBucket: SOURCE,
        destinationBucket: DESTINATION,
        destinationRegion: REGION,
        destinationPrefix: 'inventory',
        folder: `inventory/1250000000/examplebucket/${started.id}/`,
      });
      expect(describeLocation(started)).toBe(
        `cos://${DESTINATION}/inventory/1250000000/examplebucket/${started.id}/ (region ${REGION}; manifest at inventory/1250000000/examplebucket/${started.id}/<YYYYMMDD>/manifest.json)`,
      );
      ids.push(started.id);
    }
    expect(ids[0]).not.toBe(ids[1]);
    expect(
      cos.requestLog.map((entry) => `${entry.method} ${entry.subresource} ${entry.id} ${entry.status}`),
    ).toEqual(ids.map((id) => `POST inventory ${id} 200`));
    // A one-time run is not a stored job.
    expect(await getInventory(client, target, 'once')).toBeUndefined();
    expect(await getInventory(client, target, ids[0])).toBeUndefined();
  });

  it("never posts a scheduled job's own id, even while that job exists", async () => {
    await putInventory(client, target, job('scheduled'));
    cos.clearRequestLog();
    await startOneTimeRun(client, target, job('scheduled'));
    const posted = cos.requestLog.filter((entry) => entry.method === 'POST').map((entry) => entry.id);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(/^scheduled-once-\d{14}-[0-9a-f]{6}$/);
  });

  it('cuts a long job id so the run id fits 64 characters', async () => {
    const started = await startOneTimeRun(client, target, job('j'.repeat(64)));
    expect(started.id).toHaveLength(64);
    expect(started.id.startsWith('j'.repeat(37))).toBe(true);
  });
});
