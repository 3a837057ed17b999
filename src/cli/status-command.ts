import { InvalidArgumentError, type Command } from 'commander';
import { ClientConfigError, createCosClient, credentialsFromEnv } from '../cos/client';
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
import type { CliIo, CliRun } from './cli-io';

const STATUS_FORMATS = ['table', 'json'] as const;
type StatusFormat = (typeof STATUS_FORMATS)[number];

interface StatusFlags {
  readonly bucket: string;
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
    .description("show, per inventory job of a bucket, whether cos's reports keep arriving")
    .requiredOption('--bucket <bucket>', 'source bucket, <name>-<appid>', bucketArgument)
    .requiredOption('--region <region>', 'region of the bucket, e.g. ap-guangzhou', regionArgument)
    .option('--format <format>', `output: ${STATUS_FORMATS.join(' or ')}`, formatArgument, 'table')
    .option('--concurrency <n>', 'destinations listed at once (1-64)', integerArgument(1, 64), 8)
    .addHelpText(
      'after',
      `\nVerdicts: ok; overdue (no delivery within the schedule plus a margin: ${margins});\n` +
        'never (no delivery yet); disabled; unreadable (the destination refused the listing).\n' +
        'Exit status: 0 when no job is overdue or unreadable, 1 otherwise or when a request failed,\n' +
        '2 for bad flags or credentials.\n' +
        'Cost: one folder listing of each job report folder, plus one HEAD of its newest manifest.\n' +
        'Credentials: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (TENCENTCLOUD_SECURITY_TOKEN);\n' +
        'COS_INVENTORY_ENDPOINT=http://HOST:PORT sends every request to a local endpoint.',
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

async function runStatus(flags: StatusFlags, io: CliIo): Promise<number> {
  const context = { verb: 'status', bucket: flags.bucket };
  let secrets: readonly string[] = [];
  try {
    const client = await createCosClient(credentialsFromEnv(io.env));
    secrets = client.secrets;
    const listing = await listAllInventories(client, { bucket: flags.bucket, region: flags.region });
    const configurations = listing.configurations
      .map((raw) => normalizeRemoteConfiguration(raw))
      .sort((a, b) => compareStrings(a.Id, b.Id));
    const total = configurations.length;
    const step = Math.max(1, Math.ceil(total / 20));
    const statuses = await deliveryStatuses(client, {
      bucket: flags.bucket,
      region: flags.region,
      configurations,
      concurrency: flags.concurrency,
      onProgress: (done) => {
        if (total >= STATUS_PROGRESS_THRESHOLD && (done % step === 0 || done === total)) {
          io.stderr.write(`cos-inventory status: checked ${done} of ${total} jobs\n`);
        }
      },
    });
    io.stdout.write(
      flags.format === 'json' ? `${JSON.stringify(statuses, null, 2)}\n` : statusTable(statuses),
    );
    return statuses.some((s) => FAILING_VERDICTS.includes(s.verdict)) ? EXIT_FAILURE : 0;
  } catch (error) {
    io.stderr.write(`${formatErrorLine(context, error, secrets)}\n`);
    return error instanceof ClientConfigError ? exitCodeFor(error) : EXIT_FAILURE;
  }
}
