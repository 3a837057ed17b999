import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  findDelivery,
  readInventoryRows,
  readManifest,
  ReportFormatError,
  type Delivery,
  type InventoryRow,
} from '../../src/report';
import { DEST, JOB, PREFIX, putJob, REGION, SOURCE, startFixture, type Fixture } from './fixture';

const LOCATION = { bucket: DEST, region: REGION, sourceBucket: SOURCE, jobId: JOB, prefix: PREFIX };

const md5 = (body: Buffer): string => createHash('md5').update(body).digest('hex');

/**
 * A delivery whose second data file is replaced by `csv` (gzipped), with manifest.json and
 * manifest.checksum rewritten to match, so only the CSV itself is wrong.
 */
async function deliverWithSecondFile(fixture: Fixture, edit: (csv: string) => string): Promise<string> {
  const delivery: Delivery = await findDelivery(fixture.client, LOCATION);
  const manifest = await readManifest(fixture.client, delivery);
  const victim = manifest.files[1].key;
  const original = await fixture.sdk.getObject({ Bucket: DEST, Region: REGION, Key: victim });
  const body = gzipSync(Buffer.from(edit(gunzipSync(original.Body).toString('utf8')), 'utf8'));
  await fixture.sdk.putObject({ Bucket: DEST, Region: REGION, Key: victim, Body: body });
  const manifestBody = await fixture.sdk.getObject({
    Bucket: DEST,
    Region: REGION,
    Key: delivery.manifestKey,
  });
  const document = JSON.parse(manifestBody.Body.toString('utf8')) as {
    files: { key: string; size: string | number; md5Checksum: string }[];
  };
  for (const file of document.files) {
    if (file.key !== victim) continue;
    file.size = typeof file.size === 'number' ? body.length : String(body.length);
    file.md5Checksum = md5(body);
  }
  const rewritten = Buffer.from(JSON.stringify(document, null, 2), 'utf8');
  await fixture.sdk.putObject({ Bucket: DEST, Region: REGION, Key: delivery.manifestKey, Body: rewritten });
  await fixture.sdk.putObject({
    Bucket: DEST,
    Region: REGION,
    Key: delivery.checksumKey,
    Body: md5(rewritten),
  });
  return victim;
}

async function failure(client: Fixture['client']): Promise<{ error: unknown; rows: InventoryRow[] }> {
  const rows: InventoryRow[] = [];
  try {
    const delivery = await findDelivery(client, LOCATION);
    for await (const row of readInventoryRows(client, delivery)) rows.push(row);
  } catch (error) {
    return { error, rows };
  }
  throw new Error('expected the read to fail');
}

describe('a data file that is not valid csv', () => {
  let fixture: Fixture;

  beforeAll(async () => {
    // Two rows per data file.
    fixture = await startFixture(2);
    for (const key of ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt', 'f.txt']) {
      await fixture.sdk.putObject({ Bucket: SOURCE, Region: REGION, Key: key, Body: Buffer.from(key) });
    }
    await putJob(fixture.sdk);
  });
  afterAll(() => fixture.close());

  it('is a ReportFormatError naming the file and the line, after the earlier files', async () => {
    fixture.cos.runInventory(SOURCE, JOB, { date: new Date('2026-06-01T00:00:00Z') });
    // Text after the closing quote of the first cell of line 2.
    const victim = await deliverWithSecondFile(fixture, (csv) => {
      const lines = csv.split('\n');
      lines[1] = lines[1].replace(/^"([^"]*)"/, '"$1"x');
      return lines.join('\n');
    });
    const { error, rows } = await failure(fixture.client);
    expect(error).toBeInstanceOf(ReportFormatError);
    expect((error as ReportFormatError).line).toBe(2);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^${victim.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} line 2: not valid csv: cell 1 has text after its closing quote`,
      ),
    );
    // The first file's rows came before; rows decoded with the bad one (same chunk) do not.
    expect(rows.map((row) => row.Key)).toEqual(['a.txt', 'b.txt']);
  });

  it('is a ReportFormatError when a quote is never closed', async () => {
    fixture.cos.runInventory(SOURCE, JOB, { date: new Date('2026-06-02T00:00:00Z') });
    await deliverWithSecondFile(fixture, (csv) => `${csv}"unclosed,`);
    const { error } = await failure(fixture.client);
    expect(error).toBeInstanceOf(ReportFormatError);
    expect((error as Error).message).toMatch(
      /line 3: not valid csv: quoted cell is not closed before the end/,
    );
  });

  it('reads a file with CRLF line ends and a byte-order mark like any other', async () => {
    fixture.cos.runInventory(SOURCE, JOB, { date: new Date('2026-06-03T00:00:00Z') });
    await deliverWithSecondFile(fixture, (csv) => `\ufeff${csv.replace(/\n/g, '\r\n')}`);
    const delivery = await findDelivery(fixture.client, LOCATION);
    const keys: string[] = [];
    for await (const row of readInventoryRows(fixture.client, delivery)) keys.push(row.Key);
    expect(keys.sort()).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt', 'f.txt']);
  });
});
