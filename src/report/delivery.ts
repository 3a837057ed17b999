import { headObject, listObjectPages } from '../cos/objects';
import type { CosClient } from '../cos/client';
import { parseBucketName } from '../model/bucket';
import { reportPrefix } from '../model/report-location';
import { DeliveryNotFoundError } from './errors';

/** Which job's reports to look for. */
export interface ReportLocation {
  /** Destination bucket, `name-appid`. */
  readonly bucket: string;
  readonly region: string;
  /** Source bucket, `name-appid`. */
  readonly sourceBucket: string;
  readonly jobId: string;
  /** The job's destination prefix; COS's default folder when absent. */
  readonly prefix?: string;
}

/** One delivery: the folder holding `manifest.json` and `manifest.checksum`. */
export interface Delivery {
  readonly bucket: string;
  readonly region: string;
  /** `<prefix>/<appid>/<source-bucket-name>/<job-id>/` */
  readonly jobPrefix: string;
  /** The delivery folder name: `YYYYMMDD` (or `YYYY-MM-DD-HH-MM`, the other form COS documents). */
  readonly folder: string;
  /** `YYYYMMDD` of the delivery. */
  readonly date: string;
  readonly manifestKey: string;
  readonly checksumKey: string;
}

export interface FindDeliveryOptions extends ReportLocation {
  /** `YYYYMMDD`: the delivery of that day instead of the newest. */
  readonly date?: string;
}

const FOLDER_PATTERN = /^(\d{8}|\d{4}-\d{2}-\d{2}-\d{2}-\d{2})$/;

/** Digits of a folder name, padded so `YYYYMMDD` and `YYYY-MM-DD-HH-MM` sort together. */
function sortKey(folder: string): string {
  return folder.replace(/-/g, '').padEnd(12, '0');
}

/** The job's folder in the destination bucket (COS's documented layout). */
export function jobReportPrefix(location: ReportLocation): string {
  const source = parseBucketName(location.sourceBucket);
  return reportPrefix({
    // Trailing slashes are dropped, as COS's layout has exactly one between segments.
    ...(location.prefix === undefined ? {} : { destinationPrefix: location.prefix.replace(/\/+$/, '') }),
    appId: source.appId,
    sourceBucketName: source.name,
    jobId: location.jobId,
  });
}

function deliveryAt(location: ReportLocation, jobPrefix: string, folder: string): Delivery {
  return {
    bucket: location.bucket,
    region: location.region,
    jobPrefix,
    folder,
    date: folder.replace(/-/g, '').slice(0, 8),
    manifestKey: `${jobPrefix}${folder}/manifest.json`,
    checksumKey: `${jobPrefix}${folder}/manifest.checksum`,
  };
}

/**
 * Every delivery folder of the job, newest first. Folders are found both as common prefixes
 * and as `<folder>/manifest.json` keys, so a listing that ignores the delimiter works too.
 * A folder is listed whether or not its manifest has been written yet.
 */
export async function listDeliveries(client: CosClient, location: ReportLocation): Promise<Delivery[]> {
  const jobPrefix = jobReportPrefix(location);
  const folders = new Set<string>();
  const pages = listObjectPages(client, {
    bucket: location.bucket,
    region: location.region,
    prefix: jobPrefix,
    delimiter: '/',
  });
  for await (const page of pages) {
    for (const prefix of page.commonPrefixes) {
      const folder = prefix.slice(jobPrefix.length).replace(/\/$/, '');
      if (FOLDER_PATTERN.test(folder)) folders.add(folder);
    }
    for (const object of page.objects) {
      const match = /^([^/]+)\/manifest\.json$/.exec(object.key.slice(jobPrefix.length));
      if (match && FOLDER_PATTERN.test(match[1])) folders.add(match[1]);
    }
  }
  return [...folders]
    .sort((a, b) => (sortKey(a) < sortKey(b) ? 1 : sortKey(a) > sortKey(b) ? -1 : 0))
    .map((folder) => deliveryAt(location, jobPrefix, folder));
}

/**
 * The newest delivery of the job (or the newest of `date`) whose `manifest.json` exists.
 * COS writes the manifest last, so a folder without one is a delivery still in progress and
 * is skipped.
 */
export async function findDelivery(client: CosClient, options: FindDeliveryOptions): Promise<Delivery> {
  if (options.date !== undefined && !/^\d{8}$/.test(options.date)) {
    throw new RangeError(`findDelivery: date must be YYYYMMDD, received ${JSON.stringify(options.date)}`);
  }
  const deliveries = (await listDeliveries(client, options)).filter(
    (delivery) => options.date === undefined || delivery.date === options.date,
  );
  for (const delivery of deliveries) {
    const head = await headObject(client, {
      bucket: delivery.bucket,
      region: delivery.region,
      key: delivery.manifestKey,
    });
    if (head) return delivery;
  }
  const jobPrefix = jobReportPrefix(options);
  throw new DeliveryNotFoundError(
    `no inventory report in bucket ${options.bucket} under ${jobPrefix}` +
      (options.date === undefined ? '' : ` dated ${options.date}`) +
      (deliveries.length > 0
        ? ` (folders without manifest.json: ${deliveries.map((d) => d.folder).join(', ')})`
        : ''),
  );
}
