import { createCliClient, isSetupError, PROFILE_DESCRIPTION, PROFILE_FLAG } from './cli-client';
import { environmentSecrets } from '../credentials/credential-chain';
import { InvalidArgumentError, type Command } from 'commander';
import type { CosClient } from '../cos/client';
import { listAllInventories } from '../cos/inventory';
import { exitCodeFor, formatErrorLine } from '../handler/errors';
import { normalizeRemoteConfiguration } from '../model/compare';
import { compareStrings } from '../model/canonical';
import { FAILING_VERDICTS, OVERDUE_AFTER_DAYS } from '../model/delivery-verdict';
import { deliveryStatuses, type JobDeliveryStatus } from '../report/delivery-status';
import {
  bucketArgument,
  EXIT_FAILURE,
  exitTwoOnUsageError,
  integerArgument,
  regionArgument,
} from './cos-options';
import { repeatable } from './repeated-options';
import type { CliIo, CliRun } from './cli-io';
import { CREDENTIALS_HELP } from './credentials-help';

const STATUS_FORMATS = ['table', 'json'] as const;
type StatusFormat = (typeof STATUS_FORMATS)[number];

export interface StatusFlags {
  /** `--profile`: the tccli profile to take credentials from. */
  readonly profile?: string;
  /** Source buckets, in the order given; each is reported. */
  readonly bucket: readonly string[];
  readonly region: string;
  readonly format: StatusFormat;
  readonly concurrency: number;
}

/** From this many jobs on, progress goes to stderr. */
export const STATUS_PROGRESS_THRESHOLD = 50;

function formatArgument(value: string): StatusFormat {
  if (!(STATUS_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${STATUS_FORMATS.join(', ')}`);
  }
  return value as StatusFormat;
}

/**
 * `cos-inventory status`: one line per job of a source bucket with its newest delivery and a
 * verdict. Exit status 0 only when no job is `overdue` or `unreadable`, so cron or CI can alert.
 */
export function registerStatusCommand(program: Command, cli: CliRun): Command {
  const margins = Object.entries(OVERDUE_AFTER_DAYS)
    .map(([frequency, days]) => `${frequency.toLowerCase()} ${days} days`)
    .join(', ');
  const command = program
    .command('status')
    .description("show, per inventory job of one or more buckets, whether cos's reports keep arriving")
    .requiredOption(
      '--bucket <bucket>',
      'source bucket, <name>-<appid>; repeat for more (all in --region)',
      repeatable(bucketArgument),
    )
    .requiredOption('--region <region>', 'region of the bucket, e.g. ap-guangzhou', regionArgument)
    .option(PROFILE_FLAG, PROFILE_DESCRIPTION)
    .option('--format <format>', `output: ${STATUS_FORMATS.join(' or ')}`, formatArgument, 'table')
    .option('--concurrency <n>', 'destinations listed at once (1-64)', integerArgument(1, 64), 8)
    .addHelpText(
      'after',
      `\nVerdicts: ok; overdue (no delivery within the schedule plus a margin: ${margins});\n` +
        'never (no delivery yet); disabled; unreadable (the destination refused the listing).\n' +
        'Exit status: 0 when no job is overdue or unreadable, 1 otherwise or when a request failed,\n' +
        '2 for bad flags or credentials.\n' +
        'Cost: one folder listing of each job report folder, plus one HEAD of its newest manifest.\n' +
        CREDENTIALS_HELP,
    )
    .action(async (flags: StatusFlags) => {
      cli.exitCode = await runStatus(flags, cli.io);
    });
  return exitTwoOnUsageError(command);
}

const COLUMNS = ['job', 'enabled', 'schedule', 'destination', 'newest', 'manifest time', 'verdict'] as const;

function row(status: JobDeliveryStatus): string[] {
  return [
    status.id,
    String(status.enabled),
    status.schedule,
    status.destination,
    status.newestDate ?? '-',
    status.manifestTime ?? '-',
    status.verdict,
  ];
}

/** Aligned columns, then a note for every job whose verdict needs one. */
export function statusTable(statuses: readonly JobDeliveryStatus[]): string {
  const rows = [[...COLUMNS], ...statuses.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
  const notes = statuses.filter((s) => s.verdict !== 'ok' && s.verdict !== 'disabled').map((s) => s.detail);
  return `${[...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`;
}

/** One bucket's statuses; the text says so when the bucket holds no job. */
function bucketText(bucket: string, region: string, statuses: readonly JobDeliveryStatus[]): string {
  return statuses.length === 0
    ? `bucket ${bucket} (${region}) has no inventory jobs\n`
    : statusTable(statuses);
}

/**
 * `status` of every bucket given: one table each (headed when several), or one json array. A
 * bucket whose listing fails gets its error line on stderr; the others are still reported.
 */
export async function runStatus(flags: StatusFlags, io: CliIo): Promise<number> {
  const { env } = io;
  const buckets = [...new Set(flags.bucket)];
  let client: CosClient;
  const secrets = environmentSecrets(env);
  try {
    client = await createCliClient(flags.profile, secrets, {
      env,
      ...(io.clock ? { clock: io.clock } : {}),
      retries: { who: 'cos-inventory status', write: (line) => io.stderr.write(line) },
    });
  } catch (error) {
    // Before any bucket is read: the error line names the bucket when only one was given.
    const context = { verb: 'status', ...(buckets.length === 1 ? { bucket: buckets[0] } : {}) };
    io.stderr.write(`${formatErrorLine(context, error, secrets)}\n`);
    return isSetupError(error) ? exitCodeFor(error) : EXIT_FAILURE;
  }
  const all: (JobDeliveryStatus & { readonly bucket: string })[] = [];
  const texts: string[] = [];
  let failed = false;
  for (const bucket of buckets) {
    let statuses: JobDeliveryStatus[];
    try {
      statuses = await bucketStatuses(client, bucket, flags, io);
    } catch (error) {
      io.stderr.write(`${formatErrorLine({ verb: 'status', bucket }, error, secrets)}\n`);
      failed = true;
      continue;
    }
    all.push(...statuses.map((status) => ({ bucket, ...status })));
    const text = bucketText(bucket, flags.region, statuses);
    texts.push(buckets.length === 1 ? text : `bucket ${bucket} (${flags.region}):\n${text}`);
  }
  // Nothing on stdout when no bucket could be read: an empty answer would read as "no jobs".
  if (texts.length === 0) return EXIT_FAILURE;
  io.stdout.write(flags.format === 'json' ? `${JSON.stringify(all, null, 2)}\n` : texts.join('\n'));
  return failed || all.some((s) => FAILING_VERDICTS.includes(s.verdict)) ? EXIT_FAILURE : 0;
}

async function bucketStatuses(
  client: CosClient,
  bucket: string,
  flags: StatusFlags,
  io: CliIo,
): Promise<JobDeliveryStatus[]> {
  const listing = await listAllInventories(client, { bucket, region: flags.region });
  const configurations = listing.configurations
    .map((raw) => normalizeRemoteConfiguration(raw))
    .sort((a, b) => compareStrings(a.Id, b.Id));
  const total = configurations.length;
  const step = Math.max(1, Math.ceil(total / 20));
  return deliveryStatuses(client, {
    bucket,
    region: flags.region,
    configurations,
    concurrency: flags.concurrency,
    onProgress: (done) => {
      if (total >= STATUS_PROGRESS_THRESHOLD && (done % step === 0 || done === total)) {
        io.stderr.write(`cos-inventory status: checked ${done} of ${total} jobs\n`);
      }
    },
  });
}
