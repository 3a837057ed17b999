/**
 * Where COS delivers a job's reports in the destination bucket (its "Storage Path"):
 * `<destination-prefix>/<appid>/<source-bucket>/<config-id>/` for data files and
 * `.../<config-id>/<YYYYMMDD>/manifest.json` plus `manifest.checksum`.
 */

/**
 * The top folder when a job sets no destination prefix. Our reading: COS's manifest sample
 * shows keys under `cos_bucket_inventory/`, which is what an unprefixed job gets.
 */
export const DEFAULT_REPORT_PREFIX = 'cos_bucket_inventory';

export interface ReportLocationInput {
  /** `COSBucketDestination.Prefix`; empty or absent means {@link DEFAULT_REPORT_PREFIX}. */
  readonly destinationPrefix?: string;
  /** APPID of the source bucket. */
  readonly appId: string;
  /** Source bucket name WITHOUT `-<appid>` (the manifest sample's `sourceBucket`). */
  readonly sourceBucketName: string;
  /** The inventory job id. */
  readonly jobId: string;
}

/** `<prefix>/<appid>/<source-bucket-name>/<id>/`: every file of the job lies under it. */
export function reportPrefix(input: ReportLocationInput): string {
  const prefix = input.destinationPrefix ? input.destinationPrefix : DEFAULT_REPORT_PREFIX;
  for (const [field, value] of [
    ['appId', input.appId],
    ['sourceBucketName', input.sourceBucketName],
    ['jobId', input.jobId],
  ] as const) {
    if (typeof value !== 'string' || value === '' || value.includes('/')) {
      throw new Error(
        `reportPrefix: ${field} ${JSON.stringify(value)} is not valid: expected a non-empty string without '/'`,
      );
    }
  }
  return `${prefix}/${input.appId}/${input.sourceBucketName}/${input.jobId}/`;
}

const REPORT_DATE = /^\d{8}$/;

/** `YYYYMMDD` of a date in UTC, the folder name of one delivery. */
export function reportDate(date: Date): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

function deliveryFolder(caller: string, location: string, date: string | Date): string {
  const day = typeof date === 'string' ? date : reportDate(date);
  if (!REPORT_DATE.test(day)) {
    throw new Error(`${caller}: date ${JSON.stringify(date)} is not valid: expected YYYYMMDD`);
  }
  const base = location.endsWith('/') ? location : `${location}/`;
  return `${base}${day}/`;
}

/** `<location><YYYYMMDD>/manifest.json`, `location` being a {@link reportPrefix} result. */
export function manifestKey(location: string, date: string | Date): string {
  return `${deliveryFolder('manifestKey', location, date)}manifest.json`;
}

/** `<location><YYYYMMDD>/manifest.checksum`: the MD5 hex of manifest.json. */
export function manifestChecksumKey(location: string, date: string | Date): string {
  return `${deliveryFolder('manifestChecksumKey', location, date)}manifest.checksum`;
}
