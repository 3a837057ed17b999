import { once } from 'node:events';
import COS from 'cos-nodejs-sdk-v5';
import { parse } from 'csv-parse/sync';
import { findDelivery, readManifest } from '../../src/report';
import {
  AWKWARD_KEYS,
  DEST,
  JOB,
  listSource,
  PREFIX,
  putJob,
  REGION,
  SOURCE,
  startFixture,
  unquote,
  type ExpectedObject,
  type Fixture,
} from './fixture';
import stringWidth from 'string-width';
import { spawnCli } from '../cli-process';
import { endpointEnv, runCli, startCli, startKit, TestClock } from '../kit';

const reportArgs = (job: string, source = SOURCE): string[] => [
  'report',
  '--bucket',
  DEST,
  '--region',
  REGION,
  '--source',
  source,
  '--job',
  job,
  '--prefix',
  PREFIX,
];
const REPORT = reportArgs(JOB);

/** `<job>-once-<UTC YYYYMMDDhhmmss>-<6 hex>`: a one-time run's own id. */
const RUN_ID = new RegExp(
  `^started one-time inventory run (${JOB}-once-\\d{14}-[0-9a-f]{6}) of job ${JOB} on ${SOURCE}$`,
  'm',
);

describe('cos-inventory run and report', () => {
  let fixture: Fixture;
  let env: NodeJS.ProcessEnv;
  let expected: ExpectedObject[];
  let runId = '';
  let runOutput = '';
  const report = (): string[] => reportArgs(runId);
  const sizes = AWKWARD_KEYS.map((_, index) => index * 101 + 3);
  const classes = AWKWARD_KEYS.map((_, index) => (index % 4 === 0 ? 'STANDARD_IA' : 'STANDARD'));

  beforeAll(async () => {
    // One clock for the endpoint's delivery delay and `run --wait`'s polling: no real waiting.
    const clock = new TestClock();
    fixture = await startFixture(5, false, clock);
    for (const [index, key] of AWKWARD_KEYS.entries()) {
      await fixture.sdk.putObject({
        Bucket: SOURCE,
        Region: REGION,
        Key: key,
        Body: Buffer.alloc(sizes[index], 7),
        StorageClass: classes[index] as 'STANDARD',
      });
    }
    await putJob(fixture.sdk);
    expected = await listSource(fixture.sdk);
    env = endpointEnv(fixture.cos, { COS_INVENTORY_RETRY_BUDGET_MS: '500' });
    const run = await runCli(
      ['run', '--bucket', SOURCE, '--region', REGION, '--job', JOB, '--wait', '--timeout', '120'],
      env,
      { clock },
    );
    expect(run.code).toBe(0);
    runOutput = run.stdout;
    runId = RUN_ID.exec(run.stdout)?.[1] ?? '';
    expect(runId).not.toBe('');
    // Progress while waiting goes to stderr, never stdout.
    expect(run.stderr).toContain(`run: report of ${runId} delivered in`);
  });
  afterAll(() => fixture.close());

  it('run printed the run id, the exact report location and the verified summary', () => {
    const folder = `${PREFIX}/1250000000/source/${runId}/`;
    expect(runOutput).toContain(
      `report location: cos://${DEST}/${folder} (region ${REGION}; manifest at ${folder}<YYYYMMDD>/manifest.json)\n`,
    );
    expect(runOutput).toContain(
      `read it with: cos-inventory report --bucket ${DEST} --region ${REGION} --source ${SOURCE} --job ${runId} --prefix ${PREFIX}\n`,
    );
    expect(runOutput).toMatch(new RegExp(`^verified 3 data files of ${folder}\\d{8}/manifest.json$`, 'm'));
    expect(runOutput).toMatch(new RegExp(`^all objects +${AWKWARD_KEYS.length} +\\d+$`, 'm'));
  });

  it('a second run of the same job the same day succeeds under a new id', async () => {
    const again = await runCli(['run', '--bucket', SOURCE, '--region', REGION, '--job', JOB], env);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    const second = RUN_ID.exec(again.stdout)?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(runId);
    const posts = fixture.cos.requestLog.filter(
      (entry) => entry.method === 'POST' && entry.subresource === 'inventory',
    );
    expect(posts.map((entry) => entry.status)).toEqual([200, 200]);
  });

  it('run --format json prints the run as one object, with the report command', async () => {
    const result = await runCli(
      ['run', '--bucket', SOURCE, '--region', REGION, '--job', JOB, '--format', 'json'],
      env,
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const printed = JSON.parse(result.stdout) as {
      run: { id: string; jobId: string; folder: string };
      readWith: string;
    };
    expect(printed.run).toMatchObject({ jobId: JOB, sourceBucket: SOURCE, destinationBucket: DEST });
    expect(printed.run.id).toMatch(new RegExp(`^${JOB}-once-\\d{14}-[0-9a-f]{6}$`));
    expect(printed.readWith).toBe(
      `cos-inventory report --bucket ${DEST} --region ${REGION} --source ${SOURCE} --job ${printed.run.id} --prefix ${PREFIX}`,
    );
  });

  it('run posted the one-time run and a delivery is there', async () => {
    const posts = fixture.cos.requestLog.filter(
      (entry) => entry.method === 'POST' && entry.subresource === 'inventory',
    );
    expect(posts.slice(0, 1).map((entry) => [entry.bucket, entry.id, entry.status])).toEqual([
      [SOURCE, runId, 200],
    ]);
    const delivery = await findDelivery(fixture.client, {
      bucket: DEST,
      region: REGION,
      sourceBucket: SOURCE,
      jobId: runId,
      prefix: PREFIX,
    });
    expect((await readManifest(fixture.client, delivery)).files.length).toBe(3);
  });

  it('report --format jsonl prints exactly the objects', async () => {
    const result = await runCli([...report(), '--format', 'jsonl'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = result.stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const got = rows
      .map((row): ExpectedObject => ({
        Key: row.Key as string,
        Size: row.Size as number,
        ETag: unquote(row.ETag as string),
        StorageClass: row.StorageClass as string,
        LastModified: Date.parse(row.LastModifiedDate as string),
      }))
      .sort((a, b) => (a.Key < b.Key ? -1 : 1));
    expect(got).toEqual(expected);
    expect(rows.every((row) => row.IsMultipartUploaded === false && row.Appid === '1250000000')).toBe(true);
  });

  it('report --format json prints the same rows as one json array', async () => {
    const [json, jsonl] = await Promise.all([
      runCli([...report(), '--format', 'json'], env),
      runCli([...report(), '--format', 'jsonl'], env),
    ]);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const lines = jsonl.stdout.split('\n').filter((line) => line !== '');
    expect(JSON.parse(json.stdout)).toEqual(lines.map((line) => JSON.parse(line)));
  });

  it('report of a delivery listing no objects says so on stderr (stdout stays valid json)', async () => {
    const empty = 'empty-1250000000';
    fixture.cos.createBucket(empty, REGION);
    await fixture.sdk.putBucketInventory({
      Bucket: empty,
      Region: REGION,
      Id: 'nothing',
      InventoryConfiguration: {
        Id: 'nothing',
        IsEnabled: 'true',
        Destination: {
          COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::${DEST}`, Prefix: PREFIX },
        },
        Schedule: { Frequency: 'Daily' },
        IncludedObjectVersions: 'Current',
      } as COS.InventoryConfiguration,
    });
    const delivered = fixture.cos.runInventory(empty, 'nothing');
    const result = await runCli([...reportArgs('nothing', empty), '--format', 'json'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('[]\n');
    expect(result.stderr).toBe(`cos-inventory report: ${delivered.manifestKey} lists no objects\n`);
  });

  it('report --format csv prints a header and rows a csv reader gets the keys back from', async () => {
    const result = await runCli([...report(), '--format', 'csv', '--progress'], env);
    expect(result.code).toBe(0);
    // stderr is not a terminal here: one progress line per data file, only because of --progress.
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^report: 1\/3 files, 5 rows, \d+ of \d+ bytes$/),
      expect.stringMatching(/^report: 2\/3 files, 10 rows, /),
      expect.stringMatching(
        new RegExp(`^report: 3/3 files, ${AWKWARD_KEYS.length} rows, (\\d+) of \\1 bytes$`),
      ),
    ]);
    const records = parse(result.stdout) as string[][];
    expect(records[0]).toEqual([
      'Appid',
      'Bucket',
      'Key',
      'Size',
      'LastModifiedDate',
      'ETag',
      'StorageClass',
      'IsMultipartUploaded',
    ]);
    const byKey = new Map(records.slice(1).map((record) => [record[2], record]));
    expect([...byKey.keys()].sort()).toEqual([...AWKWARD_KEYS].sort());
    for (const object of expected) {
      const record = byKey.get(object.Key) ?? [];
      expect([record[3], unquote(record[5]), record[6]]).toEqual([
        String(object.Size),
        object.ETag,
        object.StorageClass,
      ]);
    }
  });

  it('report --format table aligns one line per object', async () => {
    const result = await runCli([...report(), '--format', 'table'], env);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(AWKWARD_KEYS.length + 2);
    expect(lines[0]).toMatch(
      /^Appid\s+Bucket\s+Key\s+Size\s+LastModifiedDate\s+ETag\s+StorageClass\s+IsMultipartUploaded$/,
    );
    // Each key is on one line, control characters escaped, and every Size column ends at the same
    // terminal column: padding is by display width, so '中文/文件 名.txt' (CJK, two columns each)
    // and the emoji key line up with the ASCII ones.
    const sizeEnd = stringWidth(lines[0].slice(0, lines[0].indexOf('Size') + 'Size'.length));
    const upToColumn = (line: string, columns: number): string => {
      const chars = Array.from(line);
      let count = 0;
      while (count < chars.length && stringWidth(chars.slice(0, count).join('')) < columns) count += 1;
      return chars.slice(0, count).join('');
    };
    for (const [index, key] of AWKWARD_KEYS.entries()) {
      const line = lines.find((l) =>
        l.includes(` ${key.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t')} `),
      );
      expect(line).toBeDefined();
      const head = upToColumn(line as string, sizeEnd);
      expect(stringWidth(head)).toBe(sizeEnd);
      expect(head.endsWith(` ${sizes[index]}`)).toBe(true);
    }
  });

  it('report --summary counts objects and bytes by storage class and prefix', async () => {
    const total = sizes.reduce((a, b) => a + b, 0);
    const ia = sizes.filter((_, index) => classes[index] === 'STANDARD_IA');
    const result = await runCli([...report(), '--summary', '--format', 'jsonl', '--top', '3'], env);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    const prefixTotals = new Map<string, { objects: number; bytes: number }>();
    AWKWARD_KEYS.forEach((key, index) => {
      const name = key.includes('/') ? key.slice(0, key.indexOf('/') + 1) : '(top level)';
      const totals = prefixTotals.get(name) ?? { objects: 0, bytes: 0 };
      prefixTotals.set(name, { objects: totals.objects + 1, bytes: totals.bytes + sizes[index] });
    });
    const top = [...prefixTotals]
      .map(([name, totals]) => ({ name, ...totals }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 3);
    expect(summary).toEqual({
      objects: AWKWARD_KEYS.length,
      bytes: total,
      deleteMarkers: 0,
      byStorageClass: [
        {
          name: 'STANDARD',
          objects: AWKWARD_KEYS.length - ia.length,
          bytes: total - ia.reduce((a, b) => a + b, 0),
        },
        { name: 'STANDARD_IA', objects: ia.length, bytes: ia.reduce((a, b) => a + b, 0) },
      ],
      byPrefix: top,
      prefixCount: prefixTotals.size,
      depth: 1,
    });
    const text = await runCli([...report(), '--summary', '--format', 'table'], env);
    expect(text.stdout).toContain(
      `all objects  ${String(AWKWARD_KEYS.length).padStart(7)}  ${String(total).padStart(5)}`,
    );
  });

  it('exits 1 with one line naming the file when a data file was tampered with', async () => {
    const delivery = await findDelivery(fixture.client, {
      bucket: DEST,
      region: REGION,
      sourceBucket: SOURCE,
      jobId: runId,
      prefix: PREFIX,
    });
    const manifest = await readManifest(fixture.client, delivery);
    const victim = manifest.files[2];
    await fixture.sdk.putObject({ Bucket: DEST, Region: REGION, Key: victim.key, Body: 'not the report' });
    for (const extra of [[], ['--verify-first']]) {
      const result = await runCli([...report(), ...extra], env);
      expect(result.code).toBe(1);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(
        `cos-inventory report: bucket=${DEST} id=${runId} code=ReportIntegrityError`,
      );
      expect(lines[0]).toContain(
        `${victim.key}: size does not match the manifest: expected ${victim.size} bytes, received 14 bytes`,
      );
      expect(result.stderr).not.toContain(fixture.cos.credentials.secretKey);
      if (extra.length > 0) expect(result.stdout).toBe('');
    }
  });

  it.each([
    [
      ['--date', '20261345'],
      "option '--date <YYYYMMDD>' argument '20261345' is invalid. expected a calendar date as YYYYMMDD",
    ],
    [
      ['--format', 'xml'],
      "option '--format <format>' argument 'xml' is invalid. Allowed choices are jsonl, json, csv, table",
    ],
    [
      ['--concurrency', '0'],
      "option '--concurrency <n>' argument '0' is invalid. expected a whole number from 1 to 64",
    ],
    [
      ['--source', 'Bad_Bucket'],
      "option '--source <bucket>' argument 'Bad_Bucket' is invalid. expected <name>-<appid>",
    ],
  ])('refuses bad flag values with exit 2: %j', async (extra, message) => {
    fixture.cos.clearRequestLog();
    const result = await runCli([...report(), ...extra], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(fixture.cos.requestLog).toEqual([]);
  });

  it('refuses a missing flag and a missing credential with exit 2', async () => {
    const missing = await runCli(['report', '--bucket', DEST, '--region', REGION, '--source', SOURCE], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--job <id>' not specified");
    const noKey = await runCli(report(), { ...env, TENCENTCLOUD_SECRET_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('TENCENTCLOUD_SECRET_KEY');
    const run = await runCli(['run', '--bucket', SOURCE, '--region', 'Mars', '--job', JOB], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("option '--region <region>' argument 'Mars' is invalid");
  });

  it('run exits 1 naming the job when it is not declared', async () => {
    const result = await runCli(['run', '--bucket', SOURCE, '--region', REGION, '--job', 'nope'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `cos-inventory run: bucket=${SOURCE} id=nope code=InventoryConfigurationNotFoundError`,
    );
  });
});

describe('cos-inventory report into a pipe closed early', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await startFixture(100);
    // Enough output (about 200 KB) to outgrow a pipe buffer.
    const keys = Array.from(
      { length: 500 },
      (_, index) => `long/${String(index).padStart(4, '0')}-${'x'.repeat(300)}`,
    );
    for (let start = 0; start < keys.length; start += 50) {
      await Promise.all(
        keys
          .slice(start, start + 50)
          .map((key) => fixture.sdk.putObject({ Bucket: SOURCE, Region: REGION, Key: key, Body: 'b' })),
      );
    }
    await putJob(fixture.sdk);
    fixture.cos.runInventory(SOURCE, JOB);
  });
  afterAll(() => fixture.close());

  // A process-level smoke test of the bin: a real pipe, closed by its reader.
  it('stops quietly with exit 0 when the reader goes away (| head -1)', async () => {
    const child = spawnCli(REPORT, endpointEnv(fixture.cos));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const first = await new Promise<string>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) {
          child.stdout.destroy();
          resolve(text.slice(0, text.indexOf('\n')));
        }
      });
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(JSON.parse(first)).toMatchObject({ Key: `long/0000-${'x'.repeat(300)}` });
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('cos-inventory run --wait when no report comes', () => {
  it('gives up after --timeout with exit 1, progress on stderr and the report command to try later', async () => {
    const clock = new TestClock();
    const kit = await startKit({
      oneTimeDeliveryDelayMs: 600_000,
      clock,
      buckets: [`${SOURCE}@${REGION}`, `${DEST}@${REGION}`],
    });
    try {
      await putJob(kit.sdk);
      const result = await runCli(
        ['run', '--bucket', SOURCE, '--region', REGION, '--job', JOB, '--wait', '--timeout', '20'],
        kit.env(),
        { clock },
      );
      expect(result.code).toBe(1);
      // 0.5 s doubling up to 15 s, the last pause cut to what is left of the 20 s.
      expect(clock.sleeps).toEqual([500, 1000, 2000, 4000, 8000, 4500]);
      const id = RUN_ID.exec(result.stdout)?.[1] ?? '';
      expect(id).not.toBe('');
      const lines = result.stderr.trim().split('\n');
      expect(
        lines.slice(0, -1).every((line) => line.startsWith(`run: waiting for the report of ${id}`)),
      ).toBe(true);
      expect(lines.length).toBeGreaterThan(1);
      expect(lines[lines.length - 1]).toMatch(
        new RegExp(
          `^cos-inventory run: bucket=${SOURCE} id=${JOB} code=DeliveryTimeout request-id=-: no report of one-time run ${id} .*hint: cos may still deliver it: look later with \`cos-inventory report .* --job ${id} --prefix ${PREFIX}\``,
        ),
      );
    } finally {
      await kit.close();
    }
  });
});

describe('cos-inventory run --wait against the cli emulator with its defaults', () => {
  it('returns after the delivery exists, and a second run the same day succeeds under a new id', async () => {
    // The emulator as a user starts it (1000 ms lag, async delivery), on a clock the test moves.
    const clock = new TestClock();
    const emulator = startCli(
      ['emulator', '--port', '0', '--bucket', `${SOURCE}@${REGION}`, '--bucket', `${DEST}@${REGION}`],
      {},
      { clock },
    );
    try {
      await emulator.waitForStdout('handler: COS_INVENTORY_ENDPOINT=');
      const banner = emulator.stdout.text;
      const field = (name: string): string => new RegExp(`^${name}: (\\S+)`, 'm').exec(banner)?.[1] ?? '';
      expect(banner).toMatch(/^lag-ms: 1000, delivery-delay-ms: \d+, policy: normalised$/m);
      const env = {
        TENCENTCLOUD_SECRET_ID: field('secret-id'),
        TENCENTCLOUD_SECRET_KEY: field('secret-key'),
        COS_INVENTORY_ENDPOINT: field('endpoint'),
      };
      const sdk = new COS({
        SecretId: env.TENCENTCLOUD_SECRET_ID,
        SecretKey: env.TENCENTCLOUD_SECRET_KEY,
        Protocol: 'http:',
        Ip: env.COS_INVENTORY_ENDPOINT.replace('http://', ''),
      });
      await sdk.putObject({ Bucket: SOURCE, Region: REGION, Key: 'a.txt', Body: 'abc' });
      await putJob(sdk);
      // The job was just written: the first read of it may see nothing for the lag.
      clock.advance(1200);
      const ids: string[] = [];
      for (let run = 0; run < 2; run++) {
        const result = await runCli(
          [
            'run',
            '--bucket',
            SOURCE,
            '--region',
            REGION,
            '--job',
            JOB,
            ...(run === 0 ? ['--wait', '--timeout', '120'] : []),
          ],
          env,
          { clock },
        );
        expect(result.code).toBe(0);
        ids.push(RUN_ID.exec(result.stdout)?.[1] ?? '');
        if (run === 0) expect(result.stdout).toMatch(/^all objects +1 +3$/m);
      }
      expect(ids[0]).not.toBe('');
      expect(ids[1]).not.toBe('');
      expect(ids[1]).not.toBe(ids[0]);
    } finally {
      expect((await emulator.stop('SIGTERM')).code).toBe(0);
    }
  });
});
