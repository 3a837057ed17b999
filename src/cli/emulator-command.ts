import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  DEFAULT_APPID,
  DEFAULT_CREDENTIALS,
  DEFAULT_ONE_TIME_DELIVERY_DELAY_MS,
  DEFAULT_STS_DURATION_SECONDS,
  DEFAULT_UIN,
  LocalCos,
  MAX_STS_DURATION_SECONDS,
  parseBucketSpec,
  type Account,
  type LocalCosOptions,
  type RequestLogEntry,
  type Role,
} from '../emulator';
import { buildAccounts } from '../emulator/accounts';
import { Identities } from '../emulator/identities';
import { exitTwoOnUsageError, integerArgument } from './cos-options';
import type { CliIo, CliRun } from './cli-io';
import { registerDeliverCommand } from './emulator-deliver-command';
import { onParentExit } from './parent-watch';

/** The CLI emulator's read-after-write lag: on by default, as COS's own tests wait for it. */
export const CLI_DEFAULT_LAG_MS = 1000;

/** The flags as commander hands them over. */
export interface EmulatorFlags {
  readonly host: string;
  readonly port: number;
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly account: Account[];
  readonly role: Role[];
  readonly oidcProvider: string[];
  readonly cvmRole: [string, string][];
  readonly stsDurationS: number;
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

const DIGITS = /^[1-9][0-9]{4,19}$/;

/** `UIN:APPID:SECRET_ID:SECRET_KEY` (the key may itself hold colons). */
export function collectAccount(value: string, previous: Account[]): Account[] {
  const [uin, appid, secretId, ...rest] = value.split(':');
  const secretKey = rest.join(':');
  if (!DIGITS.test(uin ?? '') || !DIGITS.test(appid ?? '') || !secretId || secretKey === '') {
    throw new InvalidArgumentError(
      'expected UIN:APPID:SECRET_ID:SECRET_KEY with a 5-20 digit uin and appid, e.g. 100000000002:1250000001:AKIDb:keyb',
    );
  }
  return [...previous, { uin, appid, secretId, secretKey }];
}

const ROLE_ARN = /^qcs::cam::uin\/[0-9]+:(?:roleName|role)\/[\w+=,.@-]{1,128}$/;

/** `ROLE_ARN[=TRUSTED_UIN,...]` */
export function collectRole(value: string, previous: Role[]): Role[] {
  const eq = value.indexOf('=');
  const arn = eq === -1 ? value : value.slice(0, eq);
  const trusted = eq === -1 ? undefined : value.slice(eq + 1).split(',');
  if (!ROLE_ARN.test(arn) || (trusted !== undefined && !trusted.every((uin) => DIGITS.test(uin)))) {
    throw new InvalidArgumentError(
      'expected qcs::cam::uin/<uin>:roleName/<name>, optionally =<trusted uin>,<trusted uin>..., e.g. qcs::cam::uin/100000000002:roleName/deploy=100000000001',
    );
  }
  return [...previous, trusted === undefined ? { arn } : { arn, trustedUins: trusted }];
}

/** `NAME=ROLE_ARN` */
export function collectCvmRole(value: string, previous: [string, string][]): [string, string][] {
  const eq = value.indexOf('=');
  const name = value.slice(0, Math.max(eq, 0));
  const arn = value.slice(eq + 1);
  if (eq < 1 || !/^[\w+=,.@-]{1,128}$/.test(name) || !ROLE_ARN.test(arn)) {
    throw new InvalidArgumentError(
      'expected NAME=ROLE_ARN, e.g. ci-runner=qcs::cam::uin/100000000001:roleName/ci-runner',
    );
  }
  return [...previous, [name, arn]];
}

function collectProvider(value: string, previous: string[]): string[] {
  if (!/^[\w.@:+=,-]{1,128}$/.test(value)) {
    throw new InvalidArgumentError(
      'expected a provider id of letters, digits and ._-@:+=, e.g. github-actions',
    );
  }
  return [...previous, value];
}

function nonEmpty(value: string): string {
  if (value === '') throw new InvalidArgumentError('expected a non-empty value');
  return value;
}

function describeEntry(entry: RequestLogEntry): string {
  const target = [entry.bucket, entry.region, entry.subresource, entry.key ?? entry.id ?? entry.action]
    .filter(Boolean)
    .join(' ');
  return `${entry.method} ${target} -> ${entry.status}${entry.code ? ` ${entry.code}` : ''}`;
}

/** The emulator's flags, on `command`. */
function addEmulatorOptions(command: Command): Command {
  return command
    .option('--host <address>', 'loopback address to listen on', hostArgument, '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', integerArgument(0, 65535), 9000)
    .option(
      '--secret-id <id>',
      'accepted SecretId (with --secret-key); default: the documented local pair',
      nonEmpty,
    )
    .option('--secret-key <key>', 'accepted SecretKey (with --secret-id)', nonEmpty)
    .option(
      '--account <uin:appid:secret-id:secret-key>',
      `another account (the first is uin ${DEFAULT_UIN}, appid ${DEFAULT_APPID}, with the --secret-id pair); repeat for more`,
      collectAccount,
      [],
    )
    .option(
      '--role <arn[=trusted-uin,...]>',
      'a role sts hands out credentials for, trusted by the listed accounts (default: its own); repeat for more',
      collectRole,
      [],
    )
    .option(
      '--oidc-provider <id>',
      'an identity provider whose tokens (any well-formed jwt) AssumeRoleWithWebIdentity accepts; repeat for more',
      collectProvider,
      [],
    )
    .option(
      '--cvm-role <name=arn>',
      'a cvm role the metadata route serves credentials of; repeat for more',
      collectCvmRole,
      [],
    )
    .option(
      '--sts-duration-s <seconds>',
      'the longest life of a temporary credential sts or the metadata route issues',
      integerArgument(1, MAX_STS_DURATION_SECONDS),
      DEFAULT_STS_DURATION_SECONDS,
    )
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
    );
}

/** A flag combination commander cannot check alone: answered like a usage error (exit 2). */
export class EmulatorFlagError extends Error {}

/** The LocalCos options the flags ask for; throws `EmulatorFlagError` naming the flag to fix. */
export function emulatorOptions(flags: EmulatorFlags): LocalCosOptions {
  if ((flags.secretId === undefined) !== (flags.secretKey === undefined)) {
    const missing = flags.secretId === undefined ? '--secret-id' : '--secret-key';
    throw new EmulatorFlagError(
      `error: option '${missing}' is required when the other of --secret-id/--secret-key is given`,
    );
  }
  const first =
    flags.secretId !== undefined && flags.secretKey !== undefined
      ? { secretId: flags.secretId, secretKey: flags.secretKey }
      : DEFAULT_CREDENTIALS;
  const roleArns = new Set(flags.role.map((r) => r.arn));
  for (const [name, arn] of flags.cvmRole) {
    if (!roleArns.has(arn)) {
      throw new EmulatorFlagError(
        `error: option '--cvm-role ${name}=${arn}' names no --role; add --role ${arn}`,
      );
    }
  }
  try {
    // The same checks LocalCos.start makes, reported as flag errors before anything listens.
    const accounts = buildAccounts([first], flags.account, 'error: option --account');
    new Identities(accounts, flags.role, new Set(), flags.stsDurationS, Date.now, 'error: option --role');
  } catch (error) {
    throw new EmulatorFlagError((error as Error).message);
  }
  return {
    host: flags.host,
    port: flags.port,
    credentials: [first],
    accounts: flags.account,
    roles: flags.role,
    oidcProviders: flags.oidcProvider,
    cvmRoles: Object.fromEntries(flags.cvmRole),
    stsDurationSeconds: flags.stsDurationS,
    buckets: flags.bucket,
    rowsPerFile: flags.rowsPerFile,
    consistencyLagMs: flags.lagMs,
    oneTimeDeliveryDelayMs: flags.deliveryDelayMs,
    normalizePolicy: flags.normalizePolicy,
    dataDir: flags.dataDir,
  };
}

/**
 * Parses emulator arguments in process (no server): the options they ask for, or the
 * commander or flag error a user would see.
 */
export function parseEmulatorArgs(args: readonly string[]): LocalCosOptions {
  const command = addEmulatorOptions(new Command('emulator'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  command.parse([...args], { from: 'user' });
  return emulatorOptions(command.opts<EmulatorFlags>());
}

// Accounts, roles and providers, never a secret key beyond the first account's (printed above,
// as before) and never an issued credential.
function bannerIdentities(cos: LocalCos, flags: EmulatorFlags): string[] {
  const [first, ...more] = cos.accounts;
  return [
    `account: uin ${first.uin} appid ${first.appid} secret-id ${first.keys[0].secretId} (first)`,
    ...more.map((a) => `account: uin ${a.uin} appid ${a.appid} secret-id ${a.keys[0].secretId}`),
    ...flags.role.map(
      (r) =>
        `role: ${r.arn} trusted by ${(r.trustedUins ?? [/uin\/([0-9]+):/.exec(r.arn)?.[1] ?? '']).join(', ')}`,
    ),
    ...flags.oidcProvider.map((id) => `oidc-provider: ${id}`),
    ...flags.cvmRole.map(([name, arn]) => `cvm-role: ${name} = ${arn}`),
  ];
}

/** `cos-inventory emulator`: a local COS endpoint in the foreground until SIGINT/SIGTERM. */
export function registerEmulatorCommand(program: Command, cli: CliRun): Command {
  const command = addEmulatorOptions(
    program
      .command('emulator')
      .description(
        "run a local cos endpoint speaking cos's wire protocol (inventory, policy, objects), sts and the cvm metadata service until interrupted",
      ),
  ).action(async (flags: EmulatorFlags) => {
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
  let options: LocalCosOptions;
  try {
    options = emulatorOptions(flags);
  } catch (error) {
    command.error((error as Error).message, { exitCode: 2 });
  }
  let cos: LocalCos;
  try {
    cos = await LocalCos.start({
      ...options,
      dataDir: options.dataDir === undefined ? undefined : resolve(io.cwd ?? process.cwd(), options.dataDir),
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
      unwatch();
      done();
    };
    // The parent pid is the process's own starter: watched only when the emulator owns the
    // process (the bin); a caller running it in process stops it through `io.signals`.
    const unwatch =
      io.signals === undefined
        ? onParentExit((parent) => {
            io.stderr.write(
              `cos-inventory emulator: the process that started it (pid ${parent}) is gone: stopping\n`,
            );
            stop();
          })
        : () => undefined;
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
  const isDefault = flags.secretId === undefined;
  const lines = [
    `endpoint: ${cos.endpoint}`,
    `secret-id: ${cos.credentials.secretId}${isDefault ? ' (default)' : ''}`,
    `secret-key: ${cos.credentials.secretKey}${isDefault ? ' (default)' : ''}`,
    ...bannerIdentities(cos, flags),
    ...(cos.listBuckets().length === 0
      ? ['buckets: none (add with --bucket <name>-<appid>@<region>)']
      : cos.listBuckets().map(({ bucket, region }) => `bucket: ${bucket}@${region}`)),
    `sdk: new COS({ SecretId, SecretKey, Protocol: 'http:', Ip: '${cos.sdkOptions().Ip}' })`,
    `lag-ms: ${flags.lagMs}, delivery-delay-ms: ${flags.deliveryDelayMs}, policy: ${flags.normalizePolicy ? 'normalised' : 'as written'}`,
    `data-dir: ${flags.dataDir ?? 'none (memory only)'}`,
    `deliver: cos-inventory emulator deliver --endpoint ${cos.endpoint} --bucket NAME-APPID --id ID [--date YYYY-MM-DD]`,
    `sts: COS_INVENTORY_STS_ENDPOINT=${cos.endpoint} (credentials live at most ${flags.stsDurationS} s)`,
    `metadata: COS_INVENTORY_METADATA_ENDPOINT=${cos.endpoint}`,
    `handler: COS_INVENTORY_ENDPOINT=${cos.endpoint}`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);

  await stopped;
  await cos.close();
  io.stdout.write('stopped\n');
  return 0;
}
