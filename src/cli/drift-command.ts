import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CosClient } from '../cos/client';
import { environmentSecrets } from '../credentials/credential-chain';
import { exitCodeFor, formatErrorLine } from '../handler/errors';
import { readInventory, type ReadResult } from '../handler/read';
import { JOB_RESOURCE_TYPE } from '../provider/names';
import { mapBounded } from '../util/map-bounded';
import { createCliClient, isSetupError, PROFILE_DESCRIPTION, PROFILE_FLAG } from './cli-client';
import { EXIT_FAILURE, EXIT_USAGE, exitTwoOnUsageError } from './cos-options';
import type { CliIo, CliRun } from './cli-io';
import { CREDENTIALS_HELP } from './credentials-help';
import { stackQueries, StackReadError, type SkippedJob, type StackQuery } from './stack-queries';

/** Source buckets read at once. */
export const DRIFT_CONCURRENCY = 8;

export const DRIFT_FORMATS = ['text', 'json'] as const;
export type DriftFormat = (typeof DRIFT_FORMATS)[number];

export interface DriftOptions {
  /** Synthesized stack directories (relative to `io.cwd`); none: every stack under `cdktf.out/stacks` there. */
  readonly stackDirs: readonly string[];
  readonly format: DriftFormat;
  /** Judge deliveries too (overdue, never delivered, unreadable). */
  readonly deliveryCheck?: boolean;
  /** `--profile`: the tccli profile to take credentials from; default: the credential chain. */
  readonly profile?: string;
}

/** One source bucket's answer. */
export interface DriftReport {
  readonly stack: string;
  /** Where the jobs are declared: `cosinventory_job.<construct>_job_*`. */
  readonly origin: string;
  readonly bucket: string;
  readonly region: string;
  /** No absent, changed or undeclared job, and no overdue delivery when checked. */
  readonly inSync: boolean;
  /** One line each: what differs, what COS holds undeclared, overdue deliveries, the way back. */
  readonly messages: readonly string[];
  /** The comparison's answer per job (`job.<id>`, `delivery.<id>`) and in total. */
  readonly result: ReadResult;
  /** Addresses of this bucket's jobs that hold references only Terraform resolves: not compared. */
  readonly skipped: readonly string[];
}

function undeclaredMessage(bucket: string, region: string, ids: readonly string[]): string {
  return ids.length === 0
    ? ''
    : `bucket ${bucket} holds inventory jobs not declared here: ${ids.join(', ')} (adopt them with cos-inventory import --bucket ${bucket} --region ${region}, or delete them if unwanted)`;
}

function judge(entry: StackQuery, read: ReadResult, skipped: readonly SkippedJob[]): DriftReport {
  const { bucket, region } = entry.query;
  // A skipped job is declared: COS holding it is no drift this command can judge.
  const ignored = new Set(entry.skippedIds);
  const undeclared = read.undeclared.split(',').filter((id) => id !== '' && !ignored.has(id));
  const result: ReadResult = {
    ...read,
    undeclared: undeclared.join(','),
    undeclared_message: undeclaredMessage(bucket, region, undeclared),
  };
  const differing = Object.entries(result)
    .filter(([key, value]) => key.startsWith('job.') && value !== 'in-sync')
    .map(([key]) => entry.addresses[key.slice('job.'.length)])
    .filter((address): address is string => address !== undefined);
  const advice =
    differing.length > 0
      ? `terraform plan shows ${differing.join(', ')} as ${differing.length === 1 ? 'a change' : 'changes'}; terraform apply restores ${differing.length === 1 ? 'it' : 'them'}`
      : '';
  const messages = [result.drift_message, result.undeclared_message, result.delivery_message ?? '', advice]
    .flatMap((text) => text.split('\n'))
    .filter((line) => line !== '');
  const inSync = result.in_sync === 'true' && undeclared.length === 0 && result.delivery_ok !== 'false';
  return {
    stack: entry.stack,
    origin: entry.origin,
    bucket,
    region,
    inSync,
    messages,
    result,
    skipped: skipped
      .filter((job) => job.stack === entry.stack && job.bucket === bucket && job.region === region)
      .map((job) => job.address),
  };
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
      const skipped = r.skipped.length > 0 ? `, ${r.skipped.length} not compared` : '';
      return r.inSync
        ? `${head}in sync (${jobs} declared job${jobs === 1 ? '' : 's'}${skipped})\n`
        : `${head}drift\n${r.messages.map((m) => `  ${m}\n`).join('')}`;
    })
    .join('');
}

function skippedLine(job: SkippedJob): string {
  const attributes = job.attributes.join(', ');
  return (
    `cos-inventory drift: ${job.stack}: ${job.address} not compared: ${attributes} ` +
    `${job.attributes.length === 1 ? 'holds a reference' : 'hold references'} only terraform resolves; terraform plan compares it\n`
  );
}

/**
 * `cos-inventory drift`: the jobs each synthesized stack declares (`cosinventory_job`) compared
 * with what COS holds, without Terraform, one listing per source bucket. Exit 0 in sync, 1 on
 * drift or a failed request, 2 bad input.
 */
export async function runDrift(options: DriftOptions, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  let entries: StackQuery[];
  let skipped: SkippedJob[];
  try {
    const dirs = options.stackDirs.length > 0 ? options.stackDirs : defaultStackDirs(cwd);
    // Read against io.cwd; reported under the name the user gave.
    const stacks = dirs.map((dir) => {
      const { queries, skipped: notCompared } = stackQueries(resolve(cwd, dir));
      return {
        queries: queries.map((entry) => ({ ...entry, stack: dir })),
        skipped: notCompared.map((job) => ({ ...job, stack: dir })),
      };
    });
    entries = stacks.flatMap((s) => s.queries);
    skipped = stacks.flatMap((s) => s.skipped);
    for (const job of skipped) io.stderr.write(skippedLine(job));
    if (entries.length === 0) {
      const where = dirs.join(', ') || 'cdktf.out/stacks';
      throw new StackReadError(
        skipped.length > 0
          ? `no job in ${where} can be compared without terraform: run terraform plan`
          : `no inventory job (${JOB_RESOURCE_TYPE} resource) in ${where}`,
      );
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
        return judge(entry, await readInventory(client, query), skipped);
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
      'compare the inventory jobs synthesized stacks declare with what cos holds, without terraform',
    )
    .argument(
      '[STACK_DIR...]',
      'synthesized stack directories (cdktf.out/stacks/NAME); default: every stack there',
    )
    .option(PROFILE_FLAG, PROFILE_DESCRIPTION)
    .addOption(new Option('--format <format>', 'output format').choices(DRIFT_FORMATS).default('text'))
    .option('--delivery-check', 'also judge deliveries (overdue, never delivered, unreadable)')
    .addHelpText(
      'after',
      `\nReads the ${JOB_RESOURCE_TYPE} resources of each stack's cdk.tf.json (a json synth), one listing per\n` +
        'source bucket. Drift: a declared job absent or changed in cos, a job cos holds that is not declared,\n' +
        'and with --delivery-check an overdue, never-delivered or unreadable report. terraform plan shows the\n' +
        'same absent or changed jobs as changes, and terraform apply restores them. A job whose attributes\n' +
        'hold a reference only terraform resolves is named on stderr and not compared.\n' +
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
