import { createCliClient, isSetupError, PROFILE_DESCRIPTION, PROFILE_FLAG } from './cli-client';
import { environmentSecrets } from '../credentials/credential-chain';
import { Option, type Command } from 'commander';
import { ENV_TIMEOUT_MS } from '../cos/client';
import { formatErrorLine, HandlerError } from '../handler/errors';
import { findDelivery, type Delivery } from '../report/delivery';
import { DeliveryNotFoundError, ReportFormatError, ReportIntegrityError } from '../report/errors';
import { createRowFormatter, formatSummary, OUTPUT_FORMATS, type OutputFormat } from '../report/format';
import { readInventoryRows, type ReadProgress } from '../report/read-rows';
import { readManifest } from '../report/read-manifest';
import { SummaryBuilder } from '../report/summary';
import { DEFAULT_CONCURRENCY, verifyDelivery } from '../report/verify';
import {
  bucketArgument,
  dateArgument,
  EXIT_FAILURE,
  EXIT_USAGE,
  exitTwoOnUsageError,
  integerArgument,
  jobIdArgument,
  regionArgument,
} from './cos-options';
import { CREDENTIALS_HELP } from './credentials-help';
import type { CliIo, CliOutput, CliRun } from './cli-io';

interface ReportFlags {
  readonly profile?: string;
  readonly bucket: string;
  readonly region: string;
  readonly source: string;
  readonly job: string;
  readonly prefix?: string;
  readonly date?: string;
  readonly format: OutputFormat;
  readonly summary?: boolean;
  readonly depth: number;
  readonly top: number;
  readonly concurrency: number;
  readonly verifyFirst?: boolean;
  readonly progress?: boolean;
}

/**
 * Socket idle timeout for report reads when `COS_INVENTORY_TIMEOUT_MS` is not set: files
 * downloaded ahead wait, paused, while earlier ones are printed, possibly to a slow pipe.
 */
const REPORT_TIMEOUT_MS = 300_000;

/** `cos-inventory report`: find, verify and print a delivered inventory report. */
export function registerReportCommand(program: Command, cli: CliRun): Command {
  const command = program
    .command('report')
    .description(
      'print the rows (or a summary) of a delivered inventory report, verified against its manifest',
    )
    .requiredOption(
      '--bucket <bucket>',
      'destination bucket holding the reports, <name>-<appid>',
      bucketArgument,
    )
    .requiredOption('--region <region>', 'region of the buckets, e.g. ap-guangzhou', regionArgument)
    .option(PROFILE_FLAG, PROFILE_DESCRIPTION)
    .requiredOption(
      '--source <bucket>',
      'source bucket the inventory describes, <name>-<appid>',
      bucketArgument,
    )
    .requiredOption('--job <id>', 'inventory job id', jobIdArgument)
    .option('--prefix <prefix>', "the job's destination prefix (default cos_bucket_inventory)")
    .option('--date <YYYYMMDD>', 'the delivery of that day instead of the newest', dateArgument)
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('jsonl'))
    .option(
      '--summary',
      'print object counts and bytes by storage class and largest prefixes instead of rows',
    )
    .option('--depth <n>', 'path segments per prefix in the summary', integerArgument(1, 100), 1)
    .option('--top <n>', 'prefixes listed in the summary', integerArgument(1, 100_000), 10)
    .option('--concurrency <n>', 'data files downloaded at once', integerArgument(1, 64), DEFAULT_CONCURRENCY)
    .option('--verify-first', 'check every data file before printing anything (reads the report twice)')
    .option('--progress', 'report progress on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      `\n${CREDENTIALS_HELP}\n` +
        'Exit status: 0 success, 1 cos failure or report failing verification (discard what was printed), 2 bad flags or environment.',
    )
    .action(async (flags: ReportFlags) => {
      cli.exitCode = await report(flags, cli.io);
    });
  return exitTwoOnUsageError(command);
}

/** Writes to stdout honouring backpressure; false once the reader has gone (EPIPE). */
class Output {
  private closed = false;
  constructor(private readonly stdout: CliOutput) {
    stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') this.closed = true;
      else throw error;
    });
  }
  get open(): boolean {
    return !this.closed;
  }
  async write(text: string): Promise<void> {
    if (text === '' || this.closed) return;
    if (this.stdout.write(text)) return;
    // Not `events.once`: it rejects on 'error', and EPIPE is an ordinary end here.
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.stdout.off('drain', done).off('close', done).off('error', done);
        resolve();
      };
      this.stdout.on('drain', done).on('close', done).on('error', done);
    });
  }
}

/** Progress lines on stderr: rewritten in place on a terminal, one per file otherwise. */
function progressReporter(
  enabled: boolean,
  stderr: CliOutput,
): ((progress: ReadProgress) => void) | undefined {
  if (!enabled) return undefined;
  const tty = stderr.isTTY === true;
  return (progress) => {
    const line =
      `report: ${progress.filesDone}/${progress.filesTotal} files, ${progress.rows} rows, ` +
      `${progress.bytes} of ${progress.bytesTotal} bytes`;
    stderr.write(
      tty ? `\r\u001b[2K${line}${progress.filesDone === progress.filesTotal ? '\n' : ''}` : `${line}\n`,
    );
  };
}

/** Report failures as handler errors with a code and a hint for the error line. */
export function reportError(error: unknown): unknown {
  if (error instanceof ReportIntegrityError) {
    return new HandlerError({
      code: 'ReportIntegrityError',
      message: error.message,
      hint: 'the report was altered or is incomplete: discard what was printed; a later delivery may be intact',
    });
  }
  if (error instanceof ReportFormatError) {
    return new HandlerError({
      code: 'ReportFormatError',
      message: error.message,
      hint: 'the report does not follow the documented cos format: see docs/reports.md',
    });
  }
  if (error instanceof DeliveryNotFoundError) {
    return new HandlerError({
      code: 'DeliveryNotFound',
      message: error.message,
      hint: 'check --bucket, --source, --job and --prefix, or run the job once with `cos-inventory run`',
    });
  }
  return error;
}

async function report(flags: ReportFlags, io: CliIo): Promise<number> {
  const context = { verb: 'report', bucket: flags.bucket, id: flags.job };
  const secrets = environmentSecrets(io.env);
  try {
    const client = await createCliClient(flags.profile, secrets, {
      ...(io.env[ENV_TIMEOUT_MS] ? {} : { timeoutMs: REPORT_TIMEOUT_MS }),
      env: io.env,
      ...(io.clock ? { clock: io.clock } : {}),
      retries: { who: 'cos-inventory report', write: (line) => io.stderr.write(line) },
    });
    const delivery: Delivery = await findDelivery(client, {
      bucket: flags.bucket,
      region: flags.region,
      sourceBucket: flags.source,
      jobId: flags.job,
      ...(flags.prefix === undefined ? {} : { prefix: flags.prefix }),
      ...(flags.date === undefined ? {} : { date: flags.date }),
    });
    const manifest = flags.verifyFirst
      ? await verifyDelivery(client, delivery, { concurrency: flags.concurrency })
      : await readManifest(client, delivery);
    const onProgress = progressReporter(flags.progress === true || io.stderr.isTTY === true, io.stderr);
    const rows = readInventoryRows(client, delivery, {
      manifest,
      concurrency: flags.concurrency,
      ...(onProgress ? { onProgress } : {}),
    });
    const output = new Output(io.stdout);
    if (flags.summary) {
      const summary = new SummaryBuilder({ depth: flags.depth, top: flags.top });
      for await (const row of rows) summary.add(row);
      await output.write(formatSummary(summary.result(), flags.format));
      return 0;
    }
    const formatter = createRowFormatter(flags.format, manifest.columns);
    let count = 0;
    for await (const row of rows) {
      count++;
      await output.write(formatter.write(row));
      if (!output.open) return 0;
    }
    await output.write(formatter.end());
    // An empty stdout alone would not tell "no objects" from "nothing happened".
    if (count === 0) io.stderr.write(`cos-inventory report: ${delivery.manifestKey} lists no objects\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`${formatErrorLine(context, reportError(error), secrets)}\n`);
    return isSetupError(error) ? EXIT_USAGE : EXIT_FAILURE;
  }
}
