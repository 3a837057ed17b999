import { createCliClient, isSetupError, PROFILE_DESCRIPTION, PROFILE_FLAG } from './cli-client';
import { environmentSecrets } from '../credentials/credential-chain';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { listAllInventories } from '../cos/inventory';
import { jobsFromConfigurations } from '../construct/job-from-configuration';
import type { InventoryJob } from '../construct/inventory-job';
import { exitCodeFor, formatErrorLine, HandlerError } from '../handler/errors';
import { parseBucketName } from '../model/bucket';
import { diffConfigurations, normalizeRemoteConfiguration } from '../model/compare';
import type { InventoryConfiguration } from '../model/configuration';
import { importModule } from './import-module';
import { jobsArrayText, loadTypeScript, mergeJobs } from './import-merge';
import {
  bucketArgument,
  EXIT_FAILURE,
  EXIT_USAGE,
  exitTwoOnUsageError,
  jobIdArgument,
  regionArgument,
} from './cos-options';
import { repeatable } from './repeated-options';
import { CREDENTIALS_HELP } from './credentials-help';
import type { CliIo, CliRun } from './cli-io';

interface ImportFlags {
  readonly profile?: string;
  readonly bucket: string;
  readonly region: string;
  readonly id?: string[];
  readonly constructId?: string;
  readonly out?: string;
  readonly into?: string;
  readonly jobsOnly?: boolean;
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
 * TypeScript module declaring them as a `BucketInventory` that adopts each with
 * `importJob(id)`: the first apply imports them (Terraform import blocks, reads only) instead
 * of writing them to COS. Jobs the construct cannot state exactly are named on stderr with the
 * reason and left out; the exit status is then 1.
 */
export function registerImportCommand(program: Command, cli: CliRun): Command {
  const command = program
    .command('import')
    .description(
      "print a typescript module declaring and adopting a bucket's existing inventory jobs as a BucketInventory, or add them to one with --into",
    )
    .requiredOption('--bucket <bucket>', 'source bucket, <name>-<appid>', bucketArgument)
    .requiredOption('--region <region>', 'region of the bucket, e.g. ap-guangzhou', regionArgument)
    .option(PROFILE_FLAG, PROFILE_DESCRIPTION)
    .option('--id <id>', 'import only this job (repeatable); default: every job', repeatable(jobIdArgument))
    .option(
      '--construct-id <id>',
      'id of the BucketInventory (part of every terraform address); default: the bucket name without -appid',
      constructIdArgument,
    )
    .option('--out <file>', 'write the module to this file instead of stdout')
    .option(
      '--into <file>',
      'add the jobs the --construct-id BucketInventory of this typescript file does not declare yet to its jobs, with their importJob calls',
    )
    .option('--jobs-only', 'print only the jobs array (to paste into a construct), not a module')
    .addHelpText(
      'after',
      '\nAdoption: the code calls importJob(id) on the BucketInventory for each imported job. Each call is a\n' +
        'terraform import block (id <region>/<bucket>/<job id>): the next apply reads the job from cos into the\n' +
        'state and writes nothing, then shows any difference as an in-place update. Once applied, the calls do\n' +
        'nothing and may stay as a record or be removed. With --jobs-only, add them yourself.\n' +
        'Exit status: 0 when every job was imported, 1 when a job was left out (named on stderr) or a\n' +
        'request failed, 2 for bad flags or credentials.\n' +
        CREDENTIALS_HELP,
    )
    .action(async (flags: ImportFlags) => {
      const conflict = importFlagConflict(flags);
      if (conflict !== undefined) command.error(`error: ${conflict}`, { exitCode: 2 });
      cli.exitCode = await runImport(flags, cli.io);
    });
  return exitTwoOnUsageError(command);
}

/** --into edits a file in place: it needs the construct's id and excludes the other outputs. */
function importFlagConflict(flags: ImportFlags): string | undefined {
  if (flags.into === undefined) return undefined;
  if (flags.constructId === undefined) {
    return "option '--into <file>' needs --construct-id: the id of the BucketInventory to add the jobs to";
  }
  if (flags.out !== undefined || flags.jobsOnly === true) {
    return "option '--into <file>' edits that file: expected neither --out nor --jobs-only with it";
  }
  return undefined;
}

/** The `--into` file's text and the project's `typescript`, or a usage error saying why not. */
function readTarget(
  file: string,
  path: string,
): { source: string; path: string; ts: ReturnType<typeof loadTypeScript> } {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HandlerError({
      code: 'ImportTarget',
      message: `import --into ${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      hint: 'give the typescript file that declares the BucketInventory, or drop --into to print a new module',
      exitCode: EXIT_USAGE,
    });
  }
  return { source, path, ts: loadTypeScript(path) };
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
  const secrets = environmentSecrets(io.env);
  const cwd = io.cwd ?? process.cwd();
  try {
    // The file and the parser first: a wrong --into costs no request.
    const intoPath = flags.into === undefined ? undefined : resolve(cwd, flags.into);
    const into =
      flags.into === undefined || intoPath === undefined ? undefined : readTarget(flags.into, intoPath);
    const client = await createCliClient(flags.profile, secrets, {
      env: io.env,
      ...(io.clock ? { clock: io.clock } : {}),
      retries: { who: 'cos-inventory import', write: (line) => io.stderr.write(line) },
    });
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

    let destination = flags.out === undefined ? '' : ` into ${flags.out}`;
    let imported = kept.length;
    const notes: string[] = [];
    if (flags.into !== undefined && into !== undefined) {
      const merged = await mergeJobs(into.ts, {
        source: into.source,
        fileName: flags.into,
        constructId,
        bucket: flags.bucket,
        jobs: kept,
      });
      if (merged.added.length > 0) writeFileSync(into.path, merged.text);
      imported = merged.added.length;
      destination = ` into ${constructId} of ${flags.into}`;
      const already = kept.filter((job) => merged.declared.includes(job.id)).map((job) => job.id);
      if (already.length > 0) {
        notes.push(
          `cos-inventory import: ${already.join(', ')} already declared by ${constructId}: left as written (cos-inventory drift compares them with cos)`,
        );
      }
    } else {
      const text = flags.jobsOnly
        ? await jobsArrayText(kept)
        : await importModule({ bucket: flags.bucket, region: flags.region, constructId, jobs: kept });
      if (flags.out === undefined) io.stdout.write(text);
      else writeFileSync(resolve(cwd, flags.out), text);
      if (flags.jobsOnly && kept.length > 0) {
        notes.push(
          "cos-inventory import: adopt the jobs without writing to cos: call importJob('<job id>') on the BucketInventory for each",
        );
      }
    }

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
    for (const line of [...lines, ...notes]) io.stderr.write(`${line}\n`);
    io.stderr.write(
      `cos-inventory import: ${imported} of ${chosen.length} job(s) of ${flags.bucket} imported${destination}\n`,
    );
    return lines.length > 0 ? EXIT_FAILURE : 0;
  } catch (error) {
    io.stderr.write(`${formatErrorLine(context, error, secrets)}\n`);
    return isSetupError(error) || error instanceof HandlerError ? exitCodeFor(error) : EXIT_FAILURE;
  }
}
