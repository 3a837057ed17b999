import { createCliClient, isSetupError, PROFILE_DESCRIPTION, PROFILE_FLAG } from './cli-client';
import { environmentSecrets } from '../credentials/credential-chain';
import { Option, type Command } from 'commander';
import type { CosClient } from '../cos/client';
import { systemClock, type Clock } from '../cos/retry';
import { getInventory } from '../cos/inventory';
import { exitCodeFor, formatErrorLine, HandlerError } from '../handler/errors';
import { describeLocation, startOneTimeRun, type OneTimeRun } from '../handler/run-once';
import { normalizeRemoteConfiguration } from '../model/compare';
import { findDelivery, type Delivery } from '../report/delivery';
import { DeliveryNotFoundError } from '../report/errors';
import { formatSummary } from '../report/format';
import { readInventoryRows } from '../report/read-rows';
import { SummaryBuilder } from '../report/summary';
import { readManifest } from '../report/read-manifest';
import {
  bucketArgument,
  EXIT_FAILURE,
  exitTwoOnUsageError,
  integerArgument,
  jobIdArgument,
  regionArgument,
} from './cos-options';
import { CREDENTIALS_HELP } from './credentials-help';
import type { CliIo, CliRun } from './cli-io';
import { reportError } from './report-command';

interface RunFlags {
  readonly profile?: string;
  readonly bucket: string;
  readonly region: string;
  readonly job: string;
  readonly wait?: boolean;
  readonly timeout: number;
  readonly format: 'text' | 'json';
}

/** Default `--timeout`: COS documents no delivery time for one-time runs. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
/** First pause between looks for the manifest; doubles up to the maximum. */
export const WAIT_FIRST_POLL_MS = 500;
export const WAIT_MAX_POLL_MS = 15_000;

/**
 * `cos-inventory run`: starts COS's one-time inventory run of a job declared on the source
 * bucket, under a fresh id derived from the job's (COS refuses the job's own id and any id
 * already run that day), and says where the report will land. The job's stored configuration
 * is read and posted without `IsEnabled` and `Schedule`, so the run delivers what the
 * scheduled job would. `--wait` polls for the manifest, verifies the delivery and prints its
 * summary.
 */
export function registerRunCommand(program: Command, cli: CliRun): Command {
  const command = program
    .command('run')
    .description("start cos's one-time inventory run of a job declared on a source bucket")
    .requiredOption('--bucket <bucket>', 'source bucket, <name>-<appid>', bucketArgument)
    .requiredOption('--region <region>', 'region of the bucket, e.g. ap-guangzhou', regionArgument)
    .option(PROFILE_FLAG, PROFILE_DESCRIPTION)
    .requiredOption('--job <id>', 'inventory job id', jobIdArgument)
    .option('--wait', 'wait for the report, verify it and print its summary (progress on stderr)')
    .option(
      '--timeout <seconds>',
      'how long --wait waits for the report',
      integerArgument(1, 7 * 24 * 3600),
      DEFAULT_WAIT_TIMEOUT_SECONDS,
    )
    .addOption(
      new Option('--format <format>', 'text, or json: one object with the run (and the verified summary)')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addHelpText(
      'after',
      '\nThe run gets its own id, <job>-once-<UTC time>-<random>, printed with the folder its report lands in;\n' +
        'read the report with `cos-inventory report --job <that id>`.\n' +
        `${CREDENTIALS_HELP}\n` +
        'Exit status: 0 started (with --wait: delivered and verified), 1 cos failure, timeout or a report failing verification, 2 bad flags or environment.',
    )
    .action(async (flags: RunFlags) => {
      cli.exitCode = await run(flags, cli.io);
    });
  return exitTwoOnUsageError(command);
}

function reportCommand(started: OneTimeRun): string {
  return [
    'cos-inventory report',
    `--bucket ${started.destinationBucket}`,
    `--region ${started.destinationRegion}`,
    `--source ${started.sourceBucket}`,
    `--job ${started.id}`,
    ...(started.destinationPrefix === undefined ? [] : [`--prefix ${started.destinationPrefix}`]),
  ].join(' ');
}

/**
 * Polls until the run's manifest exists or the timeout passes; progress lines go to
 * `progress` (stderr). The clock is injectable so a wait of minutes can be tested in no time.
 */
export async function waitForDelivery(
  client: CosClient,
  started: OneTimeRun,
  timeoutMs: number,
  clock: Clock = systemClock,
  progress: (line: string) => void = (line) => process.stderr.write(line),
): Promise<Delivery> {
  const begun = clock.now();
  let pause = WAIT_FIRST_POLL_MS;
  for (let look = 1; ; look++) {
    try {
      return await findDelivery(client, {
        bucket: started.destinationBucket,
        region: started.destinationRegion,
        sourceBucket: started.sourceBucket,
        jobId: started.id,
        ...(started.destinationPrefix === undefined ? {} : { prefix: started.destinationPrefix }),
      });
    } catch (error) {
      if (!(error instanceof DeliveryNotFoundError)) throw error;
    }
    const elapsed = clock.now() - begun;
    if (elapsed >= timeoutMs) {
      throw new HandlerError({
        code: 'DeliveryTimeout',
        message: `no report of one-time run ${started.id} in ${describeLocation(started)} after ${Math.round(elapsed / 1000)} s (${look} looks)`,
        hint: `cos may still deliver it: look later with \`${reportCommand(started)}\`, or wait longer with --timeout`,
      });
    }
    const wait = Math.min(pause, timeoutMs - elapsed);
    progress(
      `run: waiting for the report of ${started.id}: not there yet after ${Math.round(elapsed / 1000)} s of ${Math.round(timeoutMs / 1000)} s; next look in ${(wait / 1000).toFixed(1)} s\n`,
    );
    await clock.sleep(wait);
    pause = Math.min(pause * 2, WAIT_MAX_POLL_MS);
  }
}

async function run(flags: RunFlags, io: CliIo): Promise<number> {
  const context = { verb: 'run', bucket: flags.bucket, id: flags.job };
  const secrets = environmentSecrets(io.env);
  const clock = io.clock ?? systemClock;
  try {
    const client = await createCliClient(flags.profile, secrets, {
      env: io.env,
      clock,
      retries: { who: 'cos-inventory run', write: (line) => io.stderr.write(line) },
    });
    const target = { bucket: flags.bucket, region: flags.region };
    const raw = await getInventory(client, target, flags.job);
    if (raw === undefined) {
      throw new HandlerError({
        code: 'InventoryConfigurationNotFoundError',
        message: `bucket ${flags.bucket} has no inventory job ${flags.job}`,
        hint: 'declare the job first (BucketInventory) or check --job and --bucket',
      });
    }
    const started = await startOneTimeRun(client, target, normalizeRemoteConfiguration(raw));
    const json = flags.format === 'json';
    if (!json)
      io.stdout.write(
        `started one-time inventory run ${started.id} of job ${flags.job} on ${flags.bucket}\n` +
          `report location: ${describeLocation(started)}\n` +
          `read it with: ${reportCommand(started)}\n`,
      );
    if (!flags.wait) {
      if (json)
        io.stdout.write(`${JSON.stringify({ run: started, readWith: reportCommand(started) }, null, 2)}\n`);
      return 0;
    }
    const delivery = await waitForDelivery(client, started, flags.timeout * 1000, clock, (line) =>
      io.stderr.write(line),
    );
    io.stderr.write(`run: report of ${started.id} delivered in ${delivery.manifestKey}; verifying\n`);
    // The manifest against manifest.checksum here, every data file's size and MD5 as it is read.
    const manifest = await readManifest(client, delivery);
    const summary = new SummaryBuilder();
    for await (const row of readInventoryRows(client, delivery, { manifest })) summary.add(row);
    if (json) {
      const verified = {
        manifestKey: delivery.manifestKey,
        dataFiles: manifest.files.length,
        summary: summary.result(),
      };
      io.stdout.write(
        `${JSON.stringify({ run: started, readWith: reportCommand(started), verified }, null, 2)}\n`,
      );
      return 0;
    }
    io.stdout.write(
      `verified ${manifest.files.length} data files of ${delivery.manifestKey}\n` +
        formatSummary(summary.result(), 'table'),
    );
    return 0;
  } catch (error) {
    io.stderr.write(`${formatErrorLine(context, reportError(error), secrets)}\n`);
    return isSetupError(error) ? exitCodeFor(error) : EXIT_FAILURE;
  }
}
