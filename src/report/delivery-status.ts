/**
 * What `cos-inventory status` and the drift check's `deliveryCheck` know about each job's
 * deliveries: one folder listing (delimiter `/`) of the job's report folder, and one HEAD of
 * the newest `manifest.json` for its time. The verdict comes from `model/delivery-verdict.ts`.
 */
import type { CosClient } from '../cos/client';
import { CosError } from '../cos/errors';
import { headObject } from '../cos/objects';
import { parseDestinationBucket } from '../model/bucket';
import type { InventoryConfiguration } from '../model/configuration';
import {
  deliveryVerdict,
  describeVerdict,
  type DeliveryFacts,
  type DeliveryVerdict,
} from '../model/delivery-verdict';
import { mapBounded } from '../util/map-bounded';
import { jobReportPrefix, listDeliveries, type ReportLocation } from './delivery';

/** One job's line of the status report. */
export interface JobDeliveryStatus {
  readonly id: string;
  readonly enabled: boolean;
  /** `Daily`, `Weekly` or `Monthly/<day>`. */
  readonly schedule: string;
  /** `cos://<bucket>/<job report folder>` */
  readonly destination: string;
  /** `YYYYMMDD` of the newest delivery with a manifest. */
  readonly newestDate?: string;
  /** `Last-Modified` of that manifest, ISO 8601. */
  readonly manifestTime?: string;
  readonly verdict: DeliveryVerdict;
  /** One line saying why. */
  readonly detail: string;
}

export interface DeliveryStatusOptions {
  /** Source bucket, `name-appid`. */
  readonly bucket: string;
  readonly region: string;
  /** The jobs (canonical configurations, e.g. from `normalizeRemoteConfiguration`). */
  readonly configurations: readonly InventoryConfiguration[];
  /** The moment judged; default now. */
  readonly now?: Date;
  /** Jobs checked at once (default 8). */
  readonly concurrency?: number;
  /** Called after each job with how many are done. */
  readonly onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_STATUS_CONCURRENCY = 8;

/** The CAM action of a COS operation: `getBucket` -> `name/cos:GetBucket`. */
function camAction(operation: string): string {
  return `name/cos:${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
}

function scheduleText(config: InventoryConfiguration): string {
  const { Frequency, MonthlyDate } = config.Schedule;
  return MonthlyDate === undefined ? Frequency : `${Frequency}/${MonthlyDate}`;
}

/** A refusal (403) or a missing destination: the job's deliveries cannot be seen. */
function unreadableReason(error: unknown, bucket: string): string | undefined {
  if (!(error instanceof CosError)) return undefined;
  if (error.code === 'NoSuchBucket') return `destination bucket ${bucket} does not exist`;
  if (error.statusCode !== 403) return undefined;
  return (
    `destination bucket ${bucket} refused ${error.operation} (${error.code}): ` +
    `the key needs ${camAction(error.operation)} on ${bucket}`
  );
}

/** The newest delivered report of a job: its date folder and its manifest's time. */
interface NewestDelivery {
  readonly date: string;
  readonly manifestTime?: string;
}

async function newestDelivery(
  client: CosClient,
  location: ReportLocation,
): Promise<NewestDelivery | undefined> {
  for (const delivery of await listDeliveries(client, location)) {
    // A folder without a manifest is a delivery still being written.
    const head = await headObject(client, {
      bucket: delivery.bucket,
      region: delivery.region,
      key: delivery.manifestKey,
    });
    if (head === undefined) continue;
    const time = head.lastModified === undefined ? undefined : new Date(head.lastModified);
    return {
      date: delivery.date,
      ...(time !== undefined && !Number.isNaN(time.getTime()) ? { manifestTime: time.toISOString() } : {}),
    };
  }
  return undefined;
}

/** The status of one job of `sourceBucket`. */
export async function jobDeliveryStatus(
  client: CosClient,
  sourceBucket: string,
  config: InventoryConfiguration,
  now: Date,
): Promise<JobDeliveryStatus> {
  const destination = config.Destination.COSBucketDestination;
  const target = parseDestinationBucket(destination.Bucket, '');
  const location: ReportLocation = {
    bucket: target.bucket,
    region: target.region,
    sourceBucket,
    jobId: config.Id,
    ...(destination.Prefix === undefined ? {} : { prefix: destination.Prefix }),
  };
  const facts: DeliveryFacts = {
    enabled: config.IsEnabled !== 'false',
    frequency: config.Schedule.Frequency,
  };
  const status = (known: DeliveryFacts, newest?: NewestDelivery): JobDeliveryStatus => {
    const verdict = deliveryVerdict(known, now);
    return {
      id: config.Id,
      enabled: known.enabled,
      schedule: scheduleText(config),
      destination: `cos://${target.bucket}/${jobReportPrefix(location)}`,
      ...(newest === undefined ? {} : { newestDate: newest.date }),
      ...(newest?.manifestTime === undefined ? {} : { manifestTime: newest.manifestTime }),
      verdict,
      detail: describeVerdict(config.Id, known, verdict),
    };
  };
  try {
    const newest = await newestDelivery(client, location);
    return status(newest === undefined ? facts : { ...facts, newestDate: newest.date }, newest);
  } catch (error) {
    const reason = unreadableReason(error, target.bucket);
    if (reason === undefined) throw error;
    return status({ ...facts, unreadable: reason });
  }
}

/** The status of every given job, in the given order, with bounded concurrency. */
export async function deliveryStatuses(
  client: CosClient,
  options: DeliveryStatusOptions,
): Promise<JobDeliveryStatus[]> {
  const now = options.now ?? new Date();
  let done = 0;
  return mapBounded(
    options.configurations,
    options.concurrency ?? DEFAULT_STATUS_CONCURRENCY,
    async (config) => {
      const status = await jobDeliveryStatus(client, options.bucket, config, now);
      done += 1;
      options.onProgress?.(done, options.configurations.length);
      return status;
    },
  );
}
