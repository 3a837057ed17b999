import { randomBytes } from 'node:crypto';
import type { CosClient } from '../cos/client';
import { isDuplicateInventoryId, runInventoryOnce, type BucketTarget } from '../cos/inventory';
import { parseBucketName, parseDestinationBucket } from '../model/bucket';
import { canonicalConfiguration } from '../model/canonical';
import type { InventoryConfiguration } from '../model/configuration';
import { oneTimeRunId } from '../model/one-time-run';
import { reportPrefix } from '../model/report-location';
import { HandlerError } from './errors';

/** Fresh ids tried when COS answers `DuplicateInventoryId` before giving up. */
export const ONE_TIME_ID_ATTEMPTS = 3;

/** A started one-time run and where its report will land. */
export interface OneTimeRun {
  /** The one-time run's id: its report is delivered under this id, not the job's. */
  readonly id: string;
  /** The job it was derived from. */
  readonly jobId: string;
  readonly sourceBucket: string;
  /** Destination bucket `name-appid` and its region. */
  readonly destinationBucket: string;
  readonly destinationRegion: string;
  /** The job's destination prefix, `undefined` when it has none (COS's default folder). */
  readonly destinationPrefix: string | undefined;
  /** `<prefix>/<appid>/<source-name>/<run id>/`: data files here, `<YYYYMMDD>/manifest.json` below. */
  readonly folder: string;
}

export interface OneTimeRunOptions {
  readonly now?: () => Date;
  /** 6 lowercase hex digits. */
  readonly random?: () => string;
}

/** Where the one-time run `id` of `configuration` on `sourceBucket` delivers. */
export function oneTimeRunLocation(
  sourceBucket: string,
  sourceRegion: string,
  configuration: InventoryConfiguration,
  id: string,
): OneTimeRun {
  const destination = configuration.Destination.COSBucketDestination;
  const target = parseDestinationBucket(destination.Bucket, sourceRegion);
  const source = parseBucketName(sourceBucket);
  const prefix =
    destination.Prefix === undefined || destination.Prefix === '' ? undefined : destination.Prefix;
  return {
    id,
    jobId: configuration.Id,
    sourceBucket,
    destinationBucket: target.bucket,
    destinationRegion: target.region,
    destinationPrefix: prefix,
    folder: reportPrefix({
      ...(prefix === undefined ? {} : { destinationPrefix: prefix }),
      appId: source.appId,
      sourceBucketName: source.name,
      jobId: id,
    }),
  };
}

/**
 * Posts COS's one-time run of `configuration` under a fresh id derived from its job id
 * (`oneTimeRunId`): COS refuses a scheduled job's id or an id already run that day. Should COS
 * still answer `DuplicateInventoryId`, another fresh id is tried.
 */
export async function startOneTimeRun(
  client: CosClient,
  target: BucketTarget,
  configuration: InventoryConfiguration,
  options: OneTimeRunOptions = {},
): Promise<OneTimeRun> {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? (() => randomBytes(3).toString('hex'));
  const canonical = canonicalConfiguration(configuration);
  const tried: string[] = [];
  for (let attempt = 0; attempt < ONE_TIME_ID_ATTEMPTS; attempt++) {
    const id = oneTimeRunId(canonical.Id, now(), random());
    tried.push(id);
    try {
      const answered = await runInventoryOnce(client, target, { ...canonical, Id: id });
      return oneTimeRunLocation(target.bucket, target.region, canonical, answered ?? id);
    } catch (error) {
      if (!isDuplicateInventoryId(error)) throw error;
    }
  }
  throw new HandlerError({
    code: 'DuplicateInventoryId',
    message: `cos refused every fresh one-time run id tried for job ${canonical.Id}: ${tried.join(', ')}`,
    hint: 'wait a second and run it again; if it persists, report it: these ids are unique per run',
  });
}

/** `cos://<bucket>/<folder>`: where a one-time run's files land. */
export function describeLocation(run: OneTimeRun): string {
  return `cos://${run.destinationBucket}/${run.folder} (region ${run.destinationRegion}; manifest at ${run.folder}<YYYYMMDD>/manifest.json)`;
}
