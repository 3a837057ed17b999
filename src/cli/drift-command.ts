import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CosClient } from '../cos/client';
import { environmentSecrets } from '../credentials/credential-chain';
import { exitCodeFor, formatErrorLine } from '../handler/errors';
import { readInventory, type ReadResult } from '../handler/read';
import { mapBounded } from '../util/map-bounded';
import { createCliClient, isSetupError, PROFILE_DESCRIPTION, PROFILE_FLAG } from './cli-client';
import { EXIT_FAILURE, EXIT_USAGE, exitTwoOnUsageError } from './cos-options';
import type { CliIo, CliRun } from './cli-io';
import { CREDENTIALS_HELP } from './credentials-help';
import { stackQueries, StackReadError, type StackQuery } from './stack-queries';

/** `BucketInventory`s read at once. */
export const DRIFT_CONCURRENCY = 8;

export const DRIFT_FORMATS = ['text', 'json'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

export interface DriftOptions {
  /** Synthesized stack directories (relative to `io.cwd`); none: every stack under `cdktf.out/stacks` there. */
  readonly stackDirs: readonly string[];
  readonly format: DriftFormat;
  /** Judge deliveries too, also where the stack's check does not (`deliveryCheck`). */
  readonly deliveryCheck?: boolean;
  /** `--profile`: the tccli profile to take credentials from; default: the credential chain. */
  readonly profile?: string;
}

/** One `BucketInventory`'s answer. */
export interface DriftReport {
  readonly stack: string;
  readonly origin: string;
  readonly bucket: string;
  readonly region: string;
  /** No absent, changed or undeclared job, and no overdue delivery when checked. */
  readonly inSync: boolean;
  /** The drift check's messages that apply, one per line. */
  readonly messages: readonly string[];
  /** The `read` verb's answer, as the check block sees it. */
  readonly result: ReadResult;
}

function judge(entry: StackQuery, result: ReadResult): DriftReport {
  const messages = [result.drift_message, result.undeclared_message, result.delivery_message ?? '']
    .flatMap((text) => text.split('\n'))
    .filter((line) => line !== '');
  const inSync = result.in_sync === 'true' && result.undeclared === '' && result.delivery_ok !== 'false';
  const { bucket, region } = entry.query;
  return { stack: entry.stack, origin: entry.origin, bucket, region, inSync, messages, result };
}

function defaultStackDirs(cwd: string): string[] {
  const root = join(cwd, 'cdktf.out', 'stacks');
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, entry.name))
      .sort();
  } catch {
    throw new StackReadError(
      `no STACK_DIR given and ${root} does not exist: run cdktf synth first, or name the stack directories`,
    );
  }
}

function text(reports: readonly DriftReport[]): string {
  return reports
    .map((r) => {
      const jobs = Object.keys(r.result).filter((key) => key.startsWith('job.')).length;
      const head = `${r.stack}: bucket ${r.bucket} (${r.region}): `;
      return r.inSync
        ? `${head}in sync (${jobs} declared job${jobs === 1 ? '' : 's'})\n`
        : `${head}drift\n${r.messages.map((m) => `  ${m}\n`).join('')}`;
    })
    .join('');
}

/**
 * `cos-inventory drift`: the drift check's own read of every `BucketInventory` of synthesized
 * stacks, without Terraform. Exit 0 in sync, 1 on drift or a failed request, 2 bad input.
 */
export async function runDrift(options: DriftOptions, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  let entries: StackQuery[];
  try {
    const dirs = options.stackDirs.length > 0 ? options.stackDirs : defaultStackDirs(cwd);
    // Read against io.cwd; reported under the name the user gave.
    entries = dirs.flatMap((dir) =>
      stackQueries(resolve(cwd, dir)).map((entry) => ({ ...entry, stack: dir })),
    );
    if (entries.length === 0) {
      throw new StackReadError(`no BucketInventory in ${dirs.join(', ') || 'cdktf.out/stacks'}`);
    }
  } catch (error) {
    if (!(error instanceof StackReadError)) throw error;
    io.stderr.write(`cos-inventory drift: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const secrets = environmentSecrets(io.env);
  // The bucket of the earliest failing read, for the error line (mapBounded throws that one).
  const failed = new Map<number, string>();
  try {
    const client: CosClient = await createCliClient(options.profile, secrets, {
      env: io.env,
      ...(io.clock ? { clock: io.clock } : {}),
      retries: { who: 'cos-inventory drift', write: (line) => io.stderr.write(line) },
    });
    // Hundreds of buckets: a few reads at once, reports in stack order.
    const reports = await mapBounded(entries, DRIFT_CONCURRENCY, async (entry, index) => {
      const query = options.deliveryCheck ? { ...entry.query, deliveryCheck: true } : entry.query;
      try {
        return judge(entry, await readInventory(client, query));
      } catch (error) {
        failed.set(index, entry.query.bucket);
        throw error;
      }
    });
    io.stdout.write(options.format === 'json' ? `${JSON.stringify(reports, null, 2)}\n` : text(reports));
    return reports.every((r) => r.inSync) ? 0 : EXIT_FAILURE;
  } catch (error) {
    const bucket = failed.size > 0 ? failed.get(Math.min(...failed.keys())) : undefined;
    io.stderr.write(`${formatErrorLine({ verb: 'drift', bucket }, error, secrets)}\n`);
    return isSetupError(error) ? exitCodeFor(error) : EXIT_FAILURE;
  }
}

interface DriftFlags {
  readonly profile?: string;
  readonly format: DriftFormat;
  readonly deliveryCheck?: boolean;
}

export function registerDriftCommand(program: Command, cli: CliRun): Command {
  const command = program
    .command('drift')
    .description(
      'compare every BucketInventory of synthesized stacks with cos, as the drift check does, without terraform',
    )
    .argument(
      '[STACK_DIR...]',
      'synthesized stack directories (cdktf.out/stacks/NAME); default: every stack there',
    )
    .option(PROFILE_FLAG, PROFILE_DESCRIPTION)
    .addOption(new Option('--format <format>', 'output format').choices(DRIFT_FORMATS).default('text'))
    .option('--delivery-check', 'also judge deliveries (overdue, never, unreadable), as deliveryCheck does')
    .addHelpText(
      'after',
      '\nDrift: a declared job absent or changed in cos, a job cos holds that is not declared, and with\n' +
        "deliveryCheck (the stack's or --delivery-check) an overdue, never-delivered or unreadable report.\n" +
        'Exit status: 0 in sync, 1 drift or a failed request, 2 bad arguments, stack or environment.\n' +
        `${CREDENTIALS_HELP}`,
    )
    .action(async (dirs: string[], flags: DriftFlags) => {
      cli.exitCode = await runDrift(
        {
          stackDirs: dirs,
          format: flags.format,
          deliveryCheck: flags.deliveryCheck,
          ...(flags.profile ? { profile: flags.profile } : {}),
        },
        cli.io,
      );
    });
  return exitTwoOnUsageError(command);
}
