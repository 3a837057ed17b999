import type { Command } from 'commander';
import { ClientConfigError, createCosClient, credentialsFromEnv } from '../cos/client';
import { getInventory, runInventoryOnce } from '../cos/inventory';
import { exitCodeFor, formatErrorLine, HandlerError } from '../handler/errors';
import { normalizeRemoteConfiguration } from '../model/compare';
import {
  bucketArgument,
  EXIT_FAILURE,
  exitTwoOnUsageError,
  jobIdArgument,
  regionArgument,
} from './cos-options';

interface RunFlags {
  readonly bucket: string;
  readonly region: string;
  readonly job: string;
}

/**
 * `cos-inventory run`: starts COS's one-time inventory run of a job declared on the source
 * bucket. The job's stored configuration is read back and posted without `IsEnabled` and
 * `Schedule`, so the run delivers exactly what the scheduled job would.
 */
export function registerRunCommand(program: Command): Command {
  const command = program
    .command('run')
    .description("start cos's one-time inventory run of a job declared on a source bucket")
    .requiredOption('--bucket <bucket>', 'source bucket, <name>-<appid>', bucketArgument)
    .requiredOption('--region <region>', 'region of the bucket, e.g. ap-guangzhou', regionArgument)
    .requiredOption('--job <id>', 'inventory job id', jobIdArgument)
    .addHelpText(
      'after',
      '\nCredentials: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (TENCENTCLOUD_SECURITY_TOKEN);\n' +
        'COS_INVENTORY_ENDPOINT=http://HOST:PORT sends every request to a local endpoint.',
    )
    .action(async (flags: RunFlags) => {
      process.exitCode = await run(flags);
    });
  return exitTwoOnUsageError(command);
}

async function run(flags: RunFlags): Promise<number> {
  const context = { verb: 'run', bucket: flags.bucket, id: flags.job };
  let secrets: readonly string[] = [];
  try {
    const client = await createCosClient(credentialsFromEnv(process.env));
    secrets = client.secrets;
    const target = { bucket: flags.bucket, region: flags.region };
    const raw = await getInventory(client, target, flags.job);
    if (raw === undefined) {
      throw new HandlerError({
        code: 'InventoryConfigurationNotFoundError',
        message: `bucket ${flags.bucket} has no inventory job ${flags.job}`,
        hint: 'declare the job first (BucketInventory) or check --job and --bucket',
      });
    }
    await runInventoryOnce(client, target, normalizeRemoteConfiguration(raw));
    process.stdout.write(`started a one-time inventory run of job ${flags.job} on ${flags.bucket}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${formatErrorLine(context, error, secrets)}\n`);
    return error instanceof ClientConfigError ? exitCodeFor(error) : EXIT_FAILURE;
  }
}
