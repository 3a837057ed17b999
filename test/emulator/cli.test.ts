import COS from 'cos-nodejs-sdk-v5';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { runCli, startCli, startEmulatorProcess, TestClock, type EmulatorProcess } from '../kit';
import { sampleConfiguration } from './helpers';
import { callSts, issued } from './sts-client';

/** `cos-inventory emulator` as its own process (the bin, as a user starts it). */
async function startEmulator(
  args: string[],
): Promise<EmulatorProcess & { readonly lines: readonly string[] }> {
  const started = await startEmulatorProcess(args);
  return { ...started, lines: started.banner };
}

interface InProcess {
  readonly lines: string[];
  /** Sends the signal and resolves with the exit status. */
  stop(signal?: 'SIGINT' | 'SIGTERM'): Promise<number>;
}

/** `cos-inventory emulator` in process through `runCli`, on a clock nothing moves unless asked. */
async function startInProcess(args: string[], clock = new TestClock()): Promise<InProcess> {
  const started = startCli(['emulator', ...args], {}, { clock });
  await started.waitForStdout('\nhandler:');
  return {
    lines: started.stdout.text.split('\n'),
    stop: async (signal) => (await started.stop(signal)).code,
  };
}

function sdkFor(lines: readonly string[]): COS {
  const port = Number(/:(\d+)$/.exec(lines[0])?.[1]);
  return new COS({
    SecretId: DEFAULT_CREDENTIALS.secretId,
    SecretKey: DEFAULT_CREDENTIALS.secretKey,
    Protocol: 'http:',
    Ip: `127.0.0.1:${port}`,
  });
}

// A child process per start (the bin); the test with two gets more time.
const SLOW = 180_000;

const endpointOf = (lines: readonly string[]): string => lines[0].replace(/^endpoint: /, '');

describe('cos-inventory emulator', () => {
  it('prints the endpoint first, serves the sdk, and exits 0 on SIGTERM', async () => {
    const { child, lines, exited } = await startEmulator([
      '--port',
      '0',
      '--lag-ms',
      '0',
      '--bucket',
      'src-1250000000@ap-guangzhou',
      '--bucket',
      'dst-1250000000@ap-guangzhou',
    ]);
    try {
      expect(lines[0]).toMatch(/^endpoint: http:\/\/127\.0\.0\.1:\d+$/);
      expect(lines).toContain(`secret-id: ${DEFAULT_CREDENTIALS.secretId} (default)`);
      expect(lines).toContain('bucket: src-1250000000@ap-guangzhou');
      const port = Number(/:(\d+)$/.exec(lines[0])?.[1]);
      const cos = new COS({
        SecretId: DEFAULT_CREDENTIALS.secretId,
        SecretKey: DEFAULT_CREDENTIALS.secretKey,
        Protocol: 'http:',
        Ip: `127.0.0.1:${port}`,
      });
      const B = { Bucket: 'src-1250000000', Region: 'ap-guangzhou' };
      const config = {
        ...sampleConfiguration('cli'),
        Destination: {
          COSBucketDestination: { Format: 'CSV' as const, Bucket: 'qcs::cos:ap-guangzhou::dst-1250000000' },
        },
        Filter: undefined,
      };
      await cos.putBucketInventory({ ...B, Id: 'cli', InventoryConfiguration: config });
      expect((await cos.getBucketInventory({ ...B, Id: 'cli' })).InventoryConfiguration.Id).toBe('cli');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('serves accounts, sts and the metadata route from the flags; the banner lists them without their keys', async () => {
    const B = '100000000002';
    const role = `qcs::cam::uin/${B}:roleName/policy-editor`;
    const clock = new TestClock();
    const { lines, stop } = await startInProcess(
      [
        '--port',
        '0',
        '--account',
        `${B}:1250000002:AKIDaccountb:accountbsecretkey`,
        '--role',
        `${role}=100000000001`,
        '--role',
        `qcs::cam::uin/${B}:roleName/own`,
        '--oidc-provider',
        'github-actions',
        '--cvm-role',
        `runner=${role}`,
        '--sts-duration-s',
        '20',
        '--bucket',
        'central-1250000002@ap-guangzhou',
      ],
      clock,
    );
    try {
      expect(lines).toEqual(
        expect.arrayContaining([
          `account: uin 100000000001 appid 1250000000 secret-id ${DEFAULT_CREDENTIALS.secretId} (first)`,
          `account: uin ${B} appid 1250000002 secret-id AKIDaccountb`,
          `role: ${role} trusted by 100000000001`,
          `role: qcs::cam::uin/${B}:roleName/own trusted by ${B}`,
          'oidc-provider: github-actions',
          `cvm-role: runner = ${role}`,
          `sts: COS_INVENTORY_STS_ENDPOINT=${endpointOf(lines)} (credentials live at most 20 s)`,
          `metadata: COS_INVENTORY_METADATA_ENDPOINT=${endpointOf(lines)}`,
          // The buckets it serves, with the accounts and roles (another account's bucket too).
          'bucket: central-1250000002@ap-guangzhou',
        ]),
      );
      expect(lines.filter((line) => line !== '').pop()).toMatch(/^handler: COS_INVENTORY_ENDPOINT=/);
      expect(lines.join('\n')).not.toContain('accountbsecretkey');
      const port = Number(/:(\d+)$/.exec(lines[0])?.[1]);
      const reply = await callSts(
        { host: '127.0.0.1', port },
        {
          action: 'AssumeRole',
          secretId: DEFAULT_CREDENTIALS.secretId,
          secretKey: DEFAULT_CREDENTIALS.secretKey,
          params: { RoleArn: role, RoleSessionName: 'cli' },
        },
      );
      // STS reads the emulator's clock (the one the command was given).
      const creds = issued(reply);
      expect(creds.expiredTime - Math.floor(clock.now() / 1000)).toBeLessThanOrEqual(20);
      const metadata = await fetch(`${endpointOf(lines)}/latest/meta-data/cam/security-credentials/runner`);
      expect(((await metadata.json()) as { Code: string }).Code).toBe('Success');
    } finally {
      expect(await stop('SIGTERM')).toBe(0);
    }
  });

  it('uses the given key pair and says it is not the default', async () => {
    const { lines, stop } = await startInProcess([
      '--port',
      '0',
      '--secret-id',
      'AKIDmine',
      '--secret-key',
      'mine',
    ]);
    expect(await stop('SIGINT')).toBe(0);
    expect(lines).toContain('secret-id: AKIDmine');
    expect(lines).toContain('buckets: none (add with --bucket <name>-<appid>@<region>)');
  });

  it.each([
    [['--port', '70000'], "--port <port>' argument '70000' is invalid"],
    [['--host', '0.0.0.0'], "--host <address>' argument '0.0.0.0' is invalid"],
    [['--bucket', 'nobucket'], "--bucket <name-appid@region>' argument 'nobucket' is invalid"],
    [['--secret-id', 'AKIDonly'], "'--secret-key' is required"],
    [['--lag-ms', '-5'], "--lag-ms <ms>' argument '-5' is invalid"],
    [['--delivery-delay-ms', 'soon'], "--delivery-delay-ms <ms>' argument 'soon' is invalid"],
    [['--data-dir', ''], "--data-dir <dir>' argument '' is invalid"],
  ])('exits 2 naming the flag for %j', async (args, message) => {
    const result = await runCli(['emulator', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});

const SRC = { Bucket: 'src-1250000000', Region: 'ap-guangzhou' };
const DST = { Bucket: 'dst-1250000000', Region: 'ap-guangzhou' };
const BUCKET_FLAGS = ['--bucket', 'src-1250000000@ap-guangzhou', '--bucket', 'dst-1250000000@ap-guangzhou'];
const jobConfig = (id: string): COS.InventoryConfiguration =>
  ({
    ...sampleConfiguration(id),
    Destination: {
      COSBucketDestination: {
        Format: 'CSV' as const,
        Bucket: 'qcs::cos:ap-guangzhou::dst-1250000000',
        Prefix: 'r',
      },
    },
    Filter: undefined,
  }) as COS.InventoryConfiguration;
const policy = {
  version: '2.0',
  statement: [
    {
      sid: 'keep-me',
      effect: 'allow',
      principal: { qcs: ['qcs::cam::uin/100000000001:uin/100000000001'] },
      action: ['name/cos:GetObject'],
      resource: ['qcs::cos:ap-guangzhou:uid/1250000000:src-1250000000/*'],
    },
  ],
};

describe('cos-inventory emulator defaults', () => {
  it('has a read-after-write lag of 1000 ms by default (a read within it sees the previous state)', async () => {
    const clock = new TestClock();
    const { lines, stop } = await startInProcess(['--port', '0', ...BUCKET_FLAGS], clock);
    try {
      expect(lines).toContain('lag-ms: 1000, delivery-delay-ms: 300, policy: normalised');
      const cos = sdkFor(lines);
      await cos.putBucketInventory({ ...SRC, Id: 'lagged', InventoryConfiguration: jobConfig('lagged') });
      clock.advance(999);
      await expect(cos.getBucketInventory({ ...SRC, Id: 'lagged' })).rejects.toMatchObject({
        statusCode: 404,
      });
      clock.advance(1);
      expect((await cos.getBucketInventory({ ...SRC, Id: 'lagged' })).InventoryConfiguration.Id).toBe(
        'lagged',
      );
    } finally {
      expect(await stop('SIGTERM')).toBe(0);
    }
  });
});

describe('cos-inventory emulator --data-dir', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'localcos-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'keeps every acknowledged write across a SIGKILL in the middle of writing',
    async () => {
      const data = join(dir, 'data');
      const args = [
        '--port',
        '0',
        '--lag-ms',
        '0',
        '--delivery-delay-ms',
        '0',
        '--data-dir',
        data,
        ...BUCKET_FLAGS,
      ];
      const first = await startEmulator(args);
      const cos = sdkFor(first.lines);
      const runtime = { Bucket: 'made-1250000000', Region: 'ap-guangzhou' };
      await cos.putBucket(runtime);
      await cos.putBucketPolicy({ ...DST, Policy: policy });
      await cos.putObject({ ...SRC, Key: 'photos/a.jpg', Body: Buffer.from([0, 1, 2, 255]) });
      await cos.putObject({ ...runtime, Key: 'made.txt', Body: 'made at runtime' });
      await cos.request({
        ...SRC,
        Method: 'POST',
        Action: 'inventory',
        Query: { id: 'once' },
        Body:
          '<InventoryConfiguration><Id>once</Id><Destination><COSBucketDestination><Format>CSV</Format>' +
          '<Bucket>qcs::cos:ap-guangzhou::dst-1250000000</Bucket><Prefix>r</Prefix></COSBucketDestination>' +
          '</Destination><IncludedObjectVersions>Current</IncludedObjectVersions></InventoryConfiguration>',
        Headers: {},
      } as COS.RequestParams);
      // Writes keep coming while the process is killed; those acknowledged must survive.
      const acknowledged: string[] = [];
      let stop = false;
      let onFifteen = (): void => undefined;
      const fifteen = new Promise<void>((resolve) => (onFifteen = resolve));
      const writer = (async (): Promise<void> => {
        for (let i = 0; !stop; i++) {
          const id = `job-${i}`;
          try {
            await cos.putBucketInventory({ ...SRC, Id: id, InventoryConfiguration: jobConfig(id) });
            acknowledged.push(id);
            if (acknowledged.length === 15) onFifteen();
          } catch {
            return;
          }
        }
      })();
      await fifteen;
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      stop = true;
      await writer;

      const second = await startEmulator(args);
      try {
        const again = sdkFor(second.lines);
        const listed: string[] = [];
        let token: string | undefined;
        for (;;) {
          const page = await again.listBucketInventory({
            ...SRC,
            ContinuationToken: token,
          } as COS.ListBucketInventoryParams);
          listed.push(...(page.InventoryConfigurations as COS.InventoryConfiguration[]).map((c) => c.Id));
          if (page.IsTruncated !== 'true') break;
          token = (page as unknown as { NextContinuationToken: string }).NextContinuationToken;
        }
        // Every acknowledged job, in creation order; at most one more (written, answer lost).
        expect(listed.slice(0, acknowledged.length)).toEqual(acknowledged);
        expect(listed.length - acknowledged.length).toBeLessThanOrEqual(1);
        const got = await again.getBucketInventory({ ...SRC, Id: 'job-0' });
        expect(got.InventoryConfiguration.Destination.COSBucketDestination.Bucket).toBe(
          'qcs::cos:ap-guangzhou::dst-1250000000',
        );
        const kept = (await again.getBucketPolicy(DST)).Policy as { Statement: { Sid: string }[] };
        expect(kept.Statement.map((s) => s.Sid)).toEqual(['keep-me']);
        const object = await again.getObject({ ...SRC, Key: 'photos/a.jpg' });
        expect(object.Body).toEqual(Buffer.from([0, 1, 2, 255]));
        expect((await again.headBucket(runtime)).statusCode).toBe(200);
        expect(((await again.getObject({ ...runtime, Key: 'made.txt' })).Body as Buffer).toString()).toBe(
          'made at runtime',
        );
        const reports = await again.getBucket({ ...DST, Prefix: 'r/1250000000/src/once/' });
        expect(reports.Contents.some((c) => c.Key.endsWith('/manifest.json'))).toBe(true);
        // The one-time id stays used for the day across the restart.
        await expect(
          again.request({
            ...SRC,
            Method: 'POST',
            Action: 'inventory',
            Query: { id: 'once' },
            Body:
              '<InventoryConfiguration><Id>once</Id><Destination><COSBucketDestination><Format>CSV</Format>' +
              '<Bucket>qcs::cos:ap-guangzhou::dst-1250000000</Bucket></COSBucketDestination>' +
              '</Destination><IncludedObjectVersions>Current</IncludedObjectVersions></InventoryConfiguration>',
            Headers: {},
          } as COS.RequestParams),
        ).rejects.toMatchObject({ statusCode: 409, code: 'DuplicateInventoryId' });
      } finally {
        second.child.kill('SIGTERM');
      }
      expect((await second.exited).code).toBe(0);
    },
    SLOW,
  );

  it('refuses to start on a corrupt file, naming it, and exits 1', async () => {
    const data = join(dir, 'data');
    const args = ['--port', '0', '--lag-ms', '0', '--data-dir', data, ...BUCKET_FLAGS];
    const first = await startInProcess(args);
    await sdkFor(first.lines).putBucketInventory({
      ...SRC,
      Id: 'a',
      InventoryConfiguration: jobConfig('a'),
    });
    expect(await first.stop()).toBe(0);
    const file = join(data, 'buckets', 'src-1250000000', 'inventory.json');
    writeFileSync(file, '{"configurations": [');
    const result = await runCli(['emulator', ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `cos-inventory emulator: cannot start: local cos data file ${file} is corrupt`,
    );
    expect(result.stdout).not.toContain('endpoint:');
    expect(readdirSync(join(data, 'buckets'))).toContain('src-1250000000');
  });
});

describe('cos-inventory emulator deliver', () => {
  it('runs a (backdated) delivery in a running emulator through its admin route', async () => {
    const { lines, stop } = await startInProcess(['--port', '0', '--lag-ms', '0', ...BUCKET_FLAGS]);
    try {
      const cos = sdkFor(lines);
      await cos.putBucketInventory({ ...SRC, Id: 'daily', InventoryConfiguration: jobConfig('daily') });
      await cos.putObject({ ...SRC, Key: 'x.txt', Body: 'x' });
      const endpoint = endpointOf(lines);
      // `emulator deliver` of job `id` of the source bucket, through the running emulator.
      const deliver = (id: string, ...rest: string[]) =>
        runCli([
          'emulator',
          'deliver',
          '--endpoint',
          endpoint,
          '--bucket',
          'src-1250000000',
          '--id',
          id,
          ...rest,
        ]);
      const result = await deliver('daily', '--date', '2026-01-02');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('delivered: daily of src-1250000000 dated 2026-01-02');
      expect(result.stdout).toContain('manifest: r/1250000000/src/daily/20260102/manifest.json');
      expect(result.stdout).toContain('rows: 1');
      const head = await cos.headObject({ ...DST, Key: 'r/1250000000/src/daily/20260102/manifest.json' });
      expect(head.statusCode).toBe(200);
      const json = await deliver('daily', '--date', '2026-01-03', '--format', 'json');
      expect(json).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(json.stdout)).toMatchObject({
        destinationBucket: 'dst-1250000000',
        manifestKey: 'r/1250000000/src/daily/20260103/manifest.json',
        rowCount: 1,
      });

      await cos.putBucketInventory({
        ...SRC,
        Id: 'off',
        InventoryConfiguration: { ...jobConfig('off'), IsEnabled: 'false' },
      });
      const disabled = await deliver('off');
      expect(disabled.code).toBe(1);
      expect(disabled.stderr).toContain('inventory configuration off of bucket src-1250000000 is disabled');
      const missing = await deliver('nope');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('has no inventory configuration nope');
    } finally {
      expect(await stop('SIGTERM')).toBe(0);
    }
  });

  it.each([
    [
      ['--bucket', 'src-1250000000', '--id', 'a', '--date', '2026-02-30', '--endpoint', 'http://127.0.0.1:9'],
      "--date <YYYY-MM-DD>' argument '2026-02-30' is invalid",
    ],
    [
      ['--bucket', 'src-1250000000', '--id', 'a', '--endpoint', 'http://example.com:9000'],
      "--endpoint <url>' argument",
    ],
    [
      ['--id', 'a', '--endpoint', 'http://127.0.0.1:9'],
      "required option '--bucket <name-appid>' not specified",
    ],
  ])('exits 2 naming the flag for %j', async (args, message) => {
    const result = await runCli(['emulator', 'deliver', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('exits 1 when no emulator answers', async () => {
    const result = await runCli([
      'emulator',
      'deliver',
      '--endpoint',
      'http://127.0.0.1:9',
      '--bucket',
      'src-1250000000',
      '--id',
      'a',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the emulator at http://127.0.0.1:9');
  });
});
