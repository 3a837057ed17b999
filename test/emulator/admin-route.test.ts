import COS from 'cos-nodejs-sdk-v5';
import { ADMIN_PREFIX, LocalCos } from '../../src/emulator';
import { REGION, sampleConfiguration, SOURCE, SRC, startCos, TARGET } from './helpers';

let local: LocalCos;
let cos: COS;

beforeEach(async () => {
  ({ local, cos } = await startCos());
});

afterEach(async () => {
  await local.close();
});

const admin = async (
  method: string,
  query: string,
): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(`${local.endpoint}${ADMIN_PREFIX}deliver?${query}`, { method });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('the local admin route (POST /_localcos/deliver)', () => {
  it('runs a stored job dated the given day and answers the delivery as json', async () => {
    await cos.putBucketInventory({
      ...SRC,
      Id: 'daily',
      InventoryConfiguration: sampleConfiguration('daily'),
    });
    const answer = await admin('POST', `bucket=${SOURCE}&id=daily&date=2025-12-31`);
    expect(answer.status).toBe(200);
    expect(answer.body.manifestKey).toMatch(/\/daily\/20251231\/manifest\.json$/);
    const head = await cos.headObject({
      Bucket: TARGET,
      Region: REGION,
      Key: answer.body.manifestKey as string,
    });
    expect(head.statusCode).toBe(200);
    // Written "that day": the manifest's Last-Modified is the backdated date.
    expect(new Date(head.headers?.['last-modified'] as string).toISOString()).toBe(
      '2025-12-31T00:00:00.000Z',
    );
  });

  it.each([
    ['POST', `bucket=${SOURCE}&id=missing`, 404, /has no inventory configuration missing/],
    ['POST', 'bucket=nobucket-1250000000&id=a', 404, /bucket nobucket-1250000000 does not exist/],
    ['POST', `bucket=${SOURCE}`, 400, /bucket and id query parameters are required/],
    ['POST', `bucket=${SOURCE}&id=a&date=2025-13-01`, 400, /date 2025-13-01 is not allowed; use YYYY-MM-DD/],
    ['GET', `bucket=${SOURCE}&id=a`, 405, /use POST/],
  ])('%s %s answers %i', async (method, query, status, message) => {
    const answer = await admin(method, query);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toMatch(message);
  });

  it('answers 409 for a disabled job', async () => {
    await cos.putBucketInventory({
      ...SRC,
      Id: 'off',
      InventoryConfiguration: { ...sampleConfiguration('off'), IsEnabled: 'false' },
    });
    const answer = await admin('POST', `bucket=${SOURCE}&id=off`);
    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatch(/is disabled/);
  });

  it('is not reachable through a cos host: there the path is an object key', async () => {
    await cos.putObject({ ...SRC, Key: '_localcos/deliver', Body: 'just an object' });
    const object = await cos.getObject({ ...SRC, Key: '_localcos/deliver' });
    expect((object.Body as Buffer).toString()).toBe('just an object');
  });
});
