import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ClientConfigError, createCosClient, credentialsFromEnv } from '../cos/client';
import { listAllInventories } from '../cos/inventory';
import { jobsFromConfigurations } from '../construct/job-from-configuration';
import type { InventoryJob } from '../construct/inventory-job';
import { exitCodeFor, formatErrorLine } from '../handler/errors';
import { parseBucketName } from '../model/bucket';
import { diffConfigurations, normalizeRemoteConfiguration } from '../model/compare';
import type { InventoryConfiguration } from '../model/configuration';
import { importModule } from './import-module';
import {
  bucketArgument,
  EXIT_FAILURE,
  exitTwoOnUsageError,
  jobIdArgument,
  regionArgument,
} from './cos-options';
import type { CliIo, CliRun } from './cli-io';

interface ImportFlags {
  readonly bucket: string;
  readonly region: string;
  readonly id?: string[];
  readonly constructId?: string;
  readonly out?: string;
}

function collectId(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), jobIdArgument(value)];
}

function constructIdArgument(value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,99}$/.test(value)) {
    throw new InvalidArgumentError(
      'expected a letter, then up to 99 letters, digits, hyphens or underscores',
    );
  }
  return value;
}

/**
 * `cos-inventory import`: reads every job of a bucket (all pages of the listing) and prints a
 * TypeScript module declaring them as a `BucketInventory`. Jobs the construct cannot state
 * exactly are named on stderr with the reason and left out; the exit status is then 1.
 */
export function registerImportCommand(program: Command, cli: CliRun): Command {
  const command = program
    .command('import')
    .description(
      "print a typescript module declaring a bucket's existing inventory jobs as a BucketInventory",
    )
    .requiredOption('--bucket <bucket>', 'source bucket, <name>-<appid>', bucketArgument)
    .requiredOption('--region <region>', 'region of the bucket, e.g. ap-guangzhou', regionArgument)
    .option('--id <id>', 'import only this job (repeatable); default: every job', collectId)
    .option(
      '--construct-id <id>',
      'id of the BucketInventory (part of every terraform address); default: the bucket name without -appid',
      constructIdArgument,
    )
    .option('--out <file>', 'write the module to this file instead of stdout')
    .addHelpText(
      'after',
      '\nExit status: 0 when every job was imported, 1 when a job was left out (named on stderr) or a\n' +
        'request failed, 2 for bad flags or credentials.\n' +
        'Credentials: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (TENCENTCLOUD_SECURITY_TOKEN);\n' +
        'COS_INVENTORY_ENDPOINT=http://HOST:PORT sends every request to a local endpoint.',
    )
    .action(async (flags: ImportFlags) => {
      cli.exitCode = await runImport(flags, cli.io);
    });
  return exitTwoOnUsageError(command);
}

type Forward = (job: InventoryJob, region: string) => InventoryConfiguration;

/**
 * Fields where the construct would write something else than COS holds: the last guard
 * against approximating (e.g. a shape the model's canonical form does not equate).
 */
function roundTripDifferences(
  jobs: readonly InventoryJob[],
  remote: ReadonlyMap<string, InventoryConfiguration>,
  region: string,
  forward: Forward,
): Map<string, string[]> {
  const differences = new Map<string, string[]>();
  for (const job of jobs) {
    const fields = diffConfigurations(forward(job, region), remote.get(job.id)!);
    if (fields.length > 0) differences.set(job.id, fields);
  }
  return differences;
}

async function runImport(flags: ImportFlags, io: CliIo): Promise<number> {
  const context = { verb: 'import', bucket: flags.bucket };
  let secrets: readonly string[] = [];
  try {
    const client = await createCosClient(credentialsFromEnv(io.env));
    secrets = client.secrets;
    const listing = await listAllInventories(client, { bucket: flags.bucket, region: flags.region });
    const all = listing.configurations.map((raw) => normalizeRemoteConfiguration(raw));
    const wanted = flags.id === undefined ? undefined : new Set(flags.id);
    const missing = flags.id === undefined ? [] : flags.id.filter((id) => !all.some((c) => c.Id === id));
    const chosen = wanted === undefined ? all : all.filter((c) => wanted.has(c.Id));
    const constructId = flags.constructId ?? parseBucketName(flags.bucket).name;
    const { jobs, refused } = jobsFromConfigurations(chosen, flags.region, constructId);

    // The construct module loads cdktf; only this command needs it.
    const { jobConfiguration } = await import('../construct/job-configuration');
    const remote = new Map(chosen.map((c) => [c.Id, c]));
    const differences = roundTripDifferences(jobs, remote, flags.region, jobConfiguration);
    const kept = jobs.filter((job) => !differences.has(job.id));

    const text = await importModule({ bucket: flags.bucket, region: flags.region, constructId, jobs: kept });
    if (flags.out === undefined) io.stdout.write(text);
    else writeFileSync(resolve(io.cwd ?? process.cwd(), flags.out), text);

    const lines = [
      ...missing.map((id) => `cos-inventory import: job ${id}: not found in bucket ${flags.bucket}`),
      ...refused.flatMap((r) =>
        r.reasons.map((reason) => `cos-inventory import: job ${r.id} left out: ${reason}`),
      ),
      ...[...differences].map(
        ([id, fields]) =>
          `cos-inventory import: job ${id} left out: the construct cannot write it exactly (it would differ in ${fields.join(', ')})`,
      ),
    ];
    for (const line of lines) io.stderr.write(`${line}\n`);
    io.stderr.write(
      `cos-inventory import: ${kept.length} of ${chosen.length} job(s) of ${flags.bucket} imported` +
        (flags.out === undefined ? '\n' : ` into ${flags.out}\n`),
    );
    return lines.length > 0 ? EXIT_FAILURE : 0;
  } catch (error) {
    io.stderr.write(`${formatErrorLine(context, error, secrets)}\n`);
    return error instanceof ClientConfigError ? exitCodeFor(error) : EXIT_FAILURE;
  }
}
