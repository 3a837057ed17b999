/** `status` of several buckets at once, and of a bucket without jobs, in process against LocalCos. */
import type { LocalCos } from '../../src/emulator';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { type Kit, runCli, startKit } from '../kit';
import { putThroughSdk } from './helpers';

const REGION = 'ap-guangzhou';
const A = 'alpha-1250000000';
const B = 'beta-1250000000';
const EMPTY = 'empty-1250000000';
const DEST = 'reports-1250000000';

const job = (id: string): InventoryConfiguration => ({
  Id: id,
  IsEnabled: 'true',
  Destination: { COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::${DEST}` } },
  Schedule: { Frequency: 'Daily' },
  IncludedObjectVersions: 'Current',
});

let kit: Kit;

let local: LocalCos;

beforeAll(async () => {
  kit = await startKit({ buckets: [A, B, EMPTY, DEST].map((b) => `${b}@${REGION}`) });
  local = kit.cos;
  await putThroughSdk(local, A, REGION, [job('a1')]);
  await putThroughSdk(local, B, REGION, [job('b1'), job('b2')]);
  for (const [bucket, id] of [
    [A, 'a1'],
    [B, 'b1'],
    [B, 'b2'],
  ])
    local.runInventory(bucket, id);
});
afterAll(async () => {
  await kit.close();
});

function status(buckets: string[], format: 'table' | 'json') {
  const flags = [
    ...buckets.flatMap((bucket) => ['--bucket', bucket]),
    '--region',
    REGION,
    '--format',
    format,
  ];
  return runCli(['status', ...flags], kit.env());
}

describe('cos-inventory status --bucket A --bucket B', () => {
  it('reports every bucket given, each line naming its bucket (json)', async () => {
    const result = await status([A, B], 'json');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = JSON.parse(result.stdout) as { bucket: string; id: string; verdict: string }[];
    expect(lines.map((l) => [l.bucket, l.id, l.verdict])).toEqual([
      [A, 'a1', 'ok'],
      [B, 'b1', 'ok'],
      [B, 'b2', 'ok'],
    ]);
  });

  it('prints a table per bucket under its name, and says so for a bucket without jobs', async () => {
    const result = await status([A, EMPTY, B], 'table');
    expect(result.code).toBe(0);
    const headings = result.stdout.split('\n').filter((line) => line.startsWith('bucket '));
    expect(headings).toEqual([
      `bucket ${A} (${REGION}):`,
      `bucket ${EMPTY} (${REGION}):`,
      `bucket ${EMPTY} (${REGION}) has no inventory jobs`,
      `bucket ${B} (${REGION}):`,
    ]);
    expect(result.stdout.match(/^job\s+enabled/gm)).toHaveLength(2);
  });

  it('one bucket without jobs: one line saying so, not an empty table; json: []', async () => {
    expect(await status([EMPTY], 'table')).toEqual({
      code: 0,
      stdout: `bucket ${EMPTY} (${REGION}) has no inventory jobs\n`,
      stderr: '',
    });
    expect((await status([EMPTY], 'json')).stdout).toBe('[]\n');
  });

  it('a bucket that cannot be read gets its error line; the others are still reported, exit 1', async () => {
    const result = await status([A, 'missing-1250000000', B], 'json');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^cos-inventory status: bucket=missing-1250000000 .*code=NoSuchBucket.*\n$/,
    );
    const lines = JSON.parse(result.stdout) as { bucket: string }[];
    expect(lines.map((l) => l.bucket)).toEqual([A, B, B]);
    const alone = await status(['missing-1250000000'], 'json');
    expect(alone).toMatchObject({ code: 1, stdout: '' });
  });

  it('a bucket given twice is reported once', async () => {
    const lines = JSON.parse((await status([B, B], 'json')).stdout) as unknown[];
    expect(lines).toHaveLength(2);
  });
});
