import { InvalidArgumentError, Option, type Command } from 'commander';
import { ADMIN_PREFIX, type DeliveryResult } from '../emulator';
import { parseDay } from '../emulator/admin-route';
import { bucketArgument, EXIT_FAILURE, EXIT_USAGE, exitTwoOnUsageError, jobIdArgument } from './cos-options';
import type { CliIo, CliRun } from './cli-io';

interface DeliverFlags {
  readonly endpoint?: string;
  readonly bucket: string;
  readonly id: string;
  readonly date?: string;
  readonly format: 'text' | 'json';
}

function dayArgument(value: string): string {
  if (parseDay(value) === undefined) {
    throw new InvalidArgumentError('expected a calendar date as YYYY-MM-DD, e.g. 2026-01-31');
  }
  return value;
}

/** Only the emulator's own loopback address: the admin route is no COS route. */
function endpointArgument(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected the emulator endpoint, e.g. http://127.0.0.1:9000');
  }
  if (url.protocol !== 'http:' || !/^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)$/.test(url.hostname)) {
    throw new InvalidArgumentError(
      'expected the emulator endpoint on a loopback address, e.g. http://127.0.0.1:9000',
    );
  }
  return value;
}

/**
 * `cos-inventory emulator deliver`: asks a running emulator (its local admin route, not a COS
 * call) to run a stored job's delivery now, optionally dated another day.
 */
export function registerDeliverCommand(emulator: Command, cli: CliRun): Command {
  const command = emulator
    .command('deliver')
    .description(
      "run a stored inventory job's delivery in a running emulator now, optionally backdated (local admin route, not a cos api)",
    )
    .option('--endpoint <url>', 'the running emulator (default: $COS_INVENTORY_ENDPOINT)', endpointArgument)
    .requiredOption('--bucket <name-appid>', 'source bucket of the job', bucketArgument)
    .requiredOption('--id <id>', 'inventory job id', jobIdArgument)
    .option(
      '--date <YYYY-MM-DD>',
      'the delivery date (names the manifest folder); default today',
      dayArgument,
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (flags: DeliverFlags) => {
      cli.exitCode = await deliver(flags, cli.io);
    });
  return exitTwoOnUsageError(command);
}

async function deliver(flags: DeliverFlags, io: CliIo): Promise<number> {
  const fromEnv = io.env.COS_INVENTORY_ENDPOINT;
  let endpoint = flags.endpoint;
  if (endpoint === undefined && fromEnv !== undefined && fromEnv !== '') {
    try {
      endpoint = endpointArgument(fromEnv);
    } catch (error) {
      io.stderr.write(
        `cos-inventory emulator deliver: COS_INVENTORY_ENDPOINT ${fromEnv} is not allowed: ${(error as Error).message}\n`,
      );
      return EXIT_USAGE;
    }
  }
  if (endpoint === undefined) {
    io.stderr.write(
      'cos-inventory emulator deliver: no endpoint; give --endpoint http://127.0.0.1:PORT or set COS_INVENTORY_ENDPOINT\n',
    );
    return EXIT_USAGE;
  }
  const url = new URL(`${ADMIN_PREFIX}deliver`, endpoint);
  url.searchParams.set('bucket', flags.bucket);
  url.searchParams.set('id', flags.id);
  if (flags.date !== undefined) url.searchParams.set('date', flags.date);
  let status: number;
  let body: unknown;
  try {
    const response = await fetch(url, { method: 'POST' });
    status = response.status;
    body = await response.json();
  } catch (error) {
    io.stderr.write(
      `cos-inventory emulator deliver: cannot reach the emulator at ${endpoint}: ${(error as Error).message}\n`,
    );
    return EXIT_FAILURE;
  }
  if (status !== 200) {
    const message = (body as { error?: string } | null)?.error ?? `status ${status}`;
    io.stderr.write(`cos-inventory emulator deliver: ${message}\n`);
    return EXIT_FAILURE;
  }
  const result = body as DeliveryResult;
  if (flags.format === 'json') {
    io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(
    [
      `delivered: ${flags.id} of ${flags.bucket}${flags.date === undefined ? '' : ` dated ${flags.date}`}`,
      `destination: ${result.destinationBucket} (${result.destinationRegion})`,
      `manifest: ${result.manifestKey}`,
      `checksum: ${result.checksumKey}`,
      `data files: ${result.dataKeys.length}`,
      `rows: ${result.rowCount}`,
    ].join('\n') + '\n',
  );
  return 0;
}
