import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import {
  DEFAULT_CREDENTIALS,
  DEFAULT_ONE_TIME_DELIVERY_DELAY_MS,
  LocalCos,
  parseBucketSpec,
  type RequestLogEntry,
} from '../emulator';
import { exitTwoOnUsageError, integerArgument } from './cos-options';
import type { CliIo, CliRun } from './cli-io';
import { registerDeliverCommand } from './emulator-deliver-command';

/** The CLI emulator's read-after-write lag: on by default, as COS's own tests wait for it. */
export const CLI_DEFAULT_LAG_MS = 1000;

interface EmulatorFlags {
  readonly host: string;
  readonly port: number;
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly bucket: string[];
  readonly rowsPerFile?: number;
  readonly log?: boolean;
  readonly lagMs: number;
  readonly deliveryDelayMs: number;
  readonly dataDir?: string;
  readonly normalizePolicy: boolean;
}

/** The endpoint only ever listens on loopback. */
function hostArgument(value: string): string {
  if (!/^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/.test(value)) {
    throw new InvalidArgumentError('expected a loopback address such as 127.0.0.1');
  }
  return value;
}

const BUCKET_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]+$/;
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function collectBucket(value: string, previous: string[]): string[] {
  let parsed: { bucket: string; region: string };
  try {
    parsed = parseBucketSpec(value);
  } catch {
    throw new InvalidArgumentError(
      'expected <name>-<appid>@<region>, e.g. examplebucket-1250000000@ap-guangzhou',
    );
  }
  if (!BUCKET_NAME.test(parsed.bucket) || !REGION.test(parsed.region)) {
    throw new InvalidArgumentError(
      'expected <name>-<appid>@<region>, e.g. examplebucket-1250000000@ap-guangzhou',
    );
  }
  return [...previous, value];
}

function nonEmpty(value: string): string {
  if (value === '') throw new InvalidArgumentError('expected a non-empty value');
  return value;
}

function describeEntry(entry: RequestLogEntry): string {
  const target = [entry.bucket, entry.region, entry.subresource, entry.key ?? entry.id]
    .filter(Boolean)
    .join(' ');
  return `${entry.method} ${target} -> ${entry.status}${entry.code ? ` ${entry.code}` : ''}`;
}

/** `cos-inventory emulator`: a local COS endpoint in the foreground until SIGINT/SIGTERM. */
export function registerEmulatorCommand(program: Command, cli: CliRun): Command {
  const command = program
    .command('emulator')
    .description(
      "run a local cos endpoint speaking cos's wire protocol (inventory, policy, objects) until interrupted",
    )
    .option('--host <address>', 'loopback address to listen on', hostArgument, '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', integerArgument(0, 65535), 9000)
    .option(
      '--secret-id <id>',
      'accepted SecretId (with --secret-key); default: the documented local pair',
      nonEmpty,
    )
    .option('--secret-key <key>', 'accepted SecretKey (with --secret-id)', nonEmpty)
    .option('--bucket <name-appid@region>', 'create a bucket; repeat for more', collectBucket, [])
    .option('--rows-per-file <n>', 'rows per delivered data file', integerArgument(1, 10_000_000))
    .option('--log', 'print one line per request to stderr')
    .option(
      '--lag-ms <ms>',
      'read-after-write lag: for this long after a write of a job or policy, reads answer the previous state',
      integerArgument(0, 3_600_000),
      CLI_DEFAULT_LAG_MS,
    )
    .option(
      '--delivery-delay-ms <ms>',
      'delay between accepting a one-time run and writing its report',
      integerArgument(0, 3_600_000),
      DEFAULT_ONE_TIME_DELIVERY_DELAY_MS,
    )
    .option(
      '--data-dir <dir>',
      'keep buckets, jobs, policies and objects in this directory across restarts (default: memory only)',
      nonEmpty,
    )
    .option(
      '--no-normalize-policy',
      "answer GET ?policy with the bytes written instead of cos's normalised form",
    )
    .action(async (flags: EmulatorFlags) => {
      cli.exitCode = await serve(flags, command, cli.io);
    });
  // `emulator deliver --bucket B` must not be read as the emulator's own `--bucket NAME@REGION`:
  // options belong to the command they follow (the program has only --version and --help).
  program.enablePositionalOptions();
  command.enablePositionalOptions();
  registerDeliverCommand(command, cli);
  return exitTwoOnUsageError(command);
}

async function serve(flags: EmulatorFlags, command: Command, io: CliIo): Promise<number> {
  if ((flags.secretId === undefined) !== (flags.secretKey === undefined)) {
    const missing = flags.secretId === undefined ? '--secret-id' : '--secret-key';
    command.error(
      `error: option '${missing}' is required when the other of --secret-id/--secret-key is given`,
      {
        exitCode: 2,
      },
    );
  }
  const credentials =
    flags.secretId !== undefined && flags.secretKey !== undefined
      ? { secretId: flags.secretId, secretKey: flags.secretKey }
      : DEFAULT_CREDENTIALS;
  let cos: LocalCos;
  try {
    cos = await LocalCos.start({
      host: flags.host,
      port: flags.port,
      credentials: [credentials],
      buckets: flags.bucket,
      rowsPerFile: flags.rowsPerFile,
      consistencyLagMs: flags.lagMs,
      oneTimeDeliveryDelayMs: flags.deliveryDelayMs,
      normalizePolicy: flags.normalizePolicy,
      dataDir: flags.dataDir === undefined ? undefined : resolve(io.cwd ?? process.cwd(), flags.dataDir),
      ...(io.clock ? { clock: io.clock } : {}),
      onRequest: flags.log ? (entry) => io.stderr.write(`${describeEntry(entry)}\n`) : undefined,
    });
  } catch (error) {
    const message = (error as Error).message;
    const isListenError =
      typeof (error as NodeJS.ErrnoException).syscall === 'string' &&
      (error as NodeJS.ErrnoException).syscall === 'listen';
    io.stderr.write(
      !isListenError
        ? `cos-inventory emulator: cannot start: ${message}\n`
        : `cos-inventory emulator: cannot listen on ${flags.host}:${flags.port}: ${message}\n`,
    );
    return 1;
  }
  // Listen for signals before printing: whoever reads the banner may signal at once.
  const signals = io.signals ?? process;
  const stopped = new Promise<void>((done) => {
    const stop = (): void => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      done();
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
  const isDefault = credentials === DEFAULT_CREDENTIALS;
  const lines = [
    `endpoint: ${cos.endpoint}`,
    `secret-id: ${cos.credentials.secretId}${isDefault ? ' (default)' : ''}`,
    `secret-key: ${cos.credentials.secretKey}${isDefault ? ' (default)' : ''}`,
    ...(flags.bucket.length === 0
      ? ['buckets: none (add with --bucket <name>-<appid>@<region>)']
      : flags.bucket.map((spec) => `bucket: ${spec}`)),
    `sdk: new COS({ SecretId, SecretKey, Protocol: 'http:', Ip: '${cos.sdkOptions().Ip}' })`,
    `lag-ms: ${flags.lagMs}, delivery-delay-ms: ${flags.deliveryDelayMs}, policy: ${flags.normalizePolicy ? 'normalised' : 'as written'}`,
    `data-dir: ${flags.dataDir ?? 'none (memory only)'}`,
    `deliver: cos-inventory emulator deliver --endpoint ${cos.endpoint} --bucket NAME-APPID --id ID [--date YYYY-MM-DD]`,
    `handler: COS_INVENTORY_ENDPOINT=${cos.endpoint}`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);

  await stopped;
  await cos.close();
  io.stdout.write('stopped\n');
  return 0;
}
