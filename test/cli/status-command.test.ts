import type { LocalCos } from '../../src/emulator';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { endpointEnv, runCli, startKit } from '../kit';
import { putThroughSdk } from './helpers';

const REGION = 'ap-guangzhou';
const SOURCE = 'logs-1250000000';
const DEST = 'reports-1250000000';
const DENIED = 'locked-1250000000';
const DAY = 86_400_000;

function job(
  id: string,
  options: {
    readonly destination?: string;
    readonly frequency?: 'Daily' | 'Weekly' | 'Monthly';
    readonly enabled?: boolean;
  } = {},
): InventoryConfiguration {
  const frequency = options.frequency ?? 'Daily';
  return {
    Id: id,
    IsEnabled: options.enabled === false ? 'false' : 'true',
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        Bucket: `qcs::cos:${REGION}::${options.destination ?? DEST}`,
        Prefix: 'inv',
      },
    },
    Schedule: frequency === 'Monthly' ? { Frequency: frequency, MonthlyDate: '1' } : { Frequency: frequency },
    IncludedObjectVersions: 'Current',
    OptionalFields: ['Size'],
  };
}

interface StatusLine {
  readonly id: string;
  readonly enabled: boolean;
  readonly schedule: string;
  readonly destination: string;
  readonly newestDate?: string;
  readonly manifestTime?: string;
  readonly verdict: string;
  readonly detail: string;
}

const ymd = (date: Date): string => date.toISOString().slice(0, 10).replace(/-/g, '');

describe('cos-inventory status', () => {
  let local: LocalCos;
  const status = (format: 'table' | 'json') =>
    runCli(['status', '--bucket', SOURCE, '--region', REGION, '--format', format], endpointEnv(local));

  beforeEach(async () => {
    local = (await startKit({ buckets: [SOURCE, DEST, DENIED].map((bucket) => `${bucket}@${REGION}`) })).cos;
  });
  afterEach(async () => {
    await local.close();
  });

  it('judges fresh, backdated, never-delivered, disabled and unreadable jobs, and exits 1', async () => {
    await putThroughSdk(local, SOURCE, REGION, [
      job('fresh'),
      job('late'),
      job('weekly-ok', { frequency: 'Weekly' }),
      job('monthly-late', { frequency: 'Monthly' }),
      job('waiting'),
      job('off', { enabled: false }),
      job('denied', { destination: DENIED }),
    ]);
    const now = Date.now();
    local.runInventory(SOURCE, 'fresh');
    local.runInventory(SOURCE, 'late', { date: new Date(now - 10 * DAY) });
    local.runInventory(SOURCE, 'late', { date: new Date(now - 20 * DAY) });
    local.runInventory(SOURCE, 'weekly-ok', { date: new Date(now - 5 * DAY) });
    local.runInventory(SOURCE, 'monthly-late', { date: new Date(now - 40 * DAY) });
    local.injectFault({ method: 'GET', subresource: 'bucket', bucket: DENIED, status: 403, times: Infinity });
    local.clearRequestLog();

    const result = await status('json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const lines = JSON.parse(result.stdout) as StatusLine[];
    const verdicts = Object.fromEntries(lines.map((line) => [line.id, line.verdict]));
    expect(verdicts).toEqual({
      denied: 'unreadable',
      fresh: 'ok',
      late: 'overdue',
      'monthly-late': 'overdue',
      off: 'disabled',
      waiting: 'never',
      'weekly-ok': 'ok',
    });
    const byId = new Map(lines.map((line) => [line.id, line]));
    expect(byId.get('fresh')).toMatchObject({
      enabled: true,
      schedule: 'Daily',
      destination: `cos://${DEST}/inv/1250000000/logs/fresh/`,
      newestDate: ymd(new Date(now)),
    });
    expect(Date.parse(byId.get('fresh')!.manifestTime!)).toBeGreaterThan(now - 10 * 60_000);
    expect(byId.get('late')!.newestDate).toBe(ymd(new Date(now - 10 * DAY)));
    expect(byId.get('late')!.detail).toContain('older than 2 days for a daily schedule');
    expect(byId.get('monthly-late')!.schedule).toBe('Monthly/1');
    expect(byId.get('off')).toMatchObject({ enabled: false, verdict: 'disabled' });
    expect(byId.get('waiting')!.newestDate).toBeUndefined();
    expect(byId.get('denied')!.detail).toBe(
      `inventory job denied: deliveries cannot be checked: destination bucket ${DENIED} refused getBucket (AccessDenied): the key needs name/cos:GetBucket on ${DENIED}`,
    );

    // One folder listing per job (a 403 is not retried), one HEAD per job with a delivery.
    const listings = local.requestLog.filter((e) => e.method === 'GET' && e.subresource === 'bucket');
    expect(listings.length).toBe(7);
    const heads = local.requestLog.filter((e) => e.method === 'HEAD');
    expect(heads.length).toBe(4);
  }, 180_000);

  it('prints a table with a note per job needing attention', async () => {
    await putThroughSdk(local, SOURCE, REGION, [job('fresh'), job('waiting')]);
    local.runInventory(SOURCE, 'fresh');
    const result = await status('table');
    expect(result.code).toBe(0);
    const [header, first, second, blank, note] = result.stdout.split('\n');
    expect(header).toMatch(/^job\s+enabled\s+schedule\s+destination\s+newest\s+manifest time\s+verdict$/);
    expect(first).toMatch(
      new RegExp(
        `^fresh\\s+true\\s+Daily\\s+cos://${DEST}/inv/1250000000/logs/fresh/\\s+\\d{8}\\s+\\S+Z\\s+ok$`,
      ),
    );
    expect(second).toMatch(/^waiting\s+true\s+Daily\s+\S+\s+-\s+-\s+never$/);
    expect(blank).toBe('');
    expect(note).toBe('inventory job waiting: no report has been delivered yet');
  }, 180_000);

  it('exits 0 when every job is fresh, with progress on stderr for many jobs', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `job-${String(i).padStart(2, '0')}`);
    await putThroughSdk(local, SOURCE, REGION, [...ids.map((id) => job(id)), job('off', { enabled: false })]);
    for (const id of ids) local.runInventory(SOURCE, id);
    const result = await status('json');
    expect(result.code).toBe(0);
    const lines = JSON.parse(result.stdout) as StatusLine[];
    expect(lines).toHaveLength(61);
    expect(new Set(lines.map((line) => line.verdict))).toEqual(new Set(['ok', 'disabled']));
    expect(result.stderr).toContain('cos-inventory status: checked 61 of 61 jobs\n');
    // About one line per 5% of the jobs, never one per job.
    const progress = result.stderr.split('\n').filter((l) => l.startsWith('cos-inventory status: checked'));
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.length).toBeLessThanOrEqual(21);
  }, 180_000);

  it('refuses a bad format with exit 2 and fails a missing bucket with exit 1', async () => {
    const bad = await runCli(['status', '--bucket', SOURCE, '--region', REGION, '--format', 'xml'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'xml' is invalid. expected one of table, json");
    const missing = await runCli(
      ['status', '--bucket', 'nope-1250000000', '--region', REGION],
      endpointEnv(local),
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^cos-inventory status: bucket=nope-1250000000 .*code=NoSuchBucket/);
  }, 180_000);
});
