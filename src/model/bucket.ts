/**
 * COS bucket names (`<name>-<appid>`), regions and the destination-bucket form
 * `qcs::cos:<region>::<name>-<appid>` used by inventory configurations.
 */

/**
 * `<name>-<appid>`: the name is lowercase letters, digits and hyphens, neither starting nor
 * ending with a hyphen (COS naming rules; the SDK itself only checks `[a-z\d-]+-\d+`), and the
 * APPID is digits. Group 1 is the name, group 2 the APPID.
 */
export const BUCKET_NAME_PATTERN = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)-(\d+)$/;

/** Region ids such as `ap-guangzhou`, `na-siliconvalley`, `ap-shanghai-fsi`, `ap-beijing-1`. */
export const REGION_PATTERN = /^[a-z]+(?:-[a-z0-9]+)+$/;

/** The destination bucket as an inventory configuration names it. */
export const DESTINATION_ARN_PATTERN = /^qcs::cos:([^:]*)::(.*)$/;

export interface BucketName {
  /** The bucket name without `-<appid>`. */
  readonly name: string;
  readonly appId: string;
}

export interface DestinationBucket extends BucketName {
  readonly region: string;
  /** `<name>-<appid>`. */
  readonly bucket: string;
}

/** Splits `name-1250000000` into `{ name, appId }`; throws when the value is not a bucket name. */
export function parseBucketName(bucket: string): BucketName {
  const match = typeof bucket === 'string' ? BUCKET_NAME_PATTERN.exec(bucket) : null;
  if (!match) {
    throw new Error(
      `parseBucketName: bucket ${JSON.stringify(bucket)} is not valid: expected <name>-<appid>, ` +
        'the name made of lowercase letters, digits and hyphens (not at either end), the appid digits',
    );
  }
  return { name: match[1], appId: match[2] };
}

/** Whether `bucket` is a valid `<name>-<appid>`. */
export function isValidBucketName(bucket: string): boolean {
  return typeof bucket === 'string' && BUCKET_NAME_PATTERN.test(bucket);
}

/** Whether `region` looks like a COS region id (`ap-guangzhou`). */
export function isValidRegion(region: string): boolean {
  return typeof region === 'string' && REGION_PATTERN.test(region);
}

function requireRegion(caller: string, region: string): void {
  if (!isValidRegion(region)) {
    throw new Error(
      `${caller}: region ${JSON.stringify(region)} is not valid: expected a cos region id such as "ap-guangzhou"`,
    );
  }
}

/** `qcs::cos:<region>::<bucket>`; validates both parts. */
export function destinationBucketArn(region: string, bucket: string): string {
  requireRegion('destinationBucketArn', region);
  parseBucketName(bucket);
  return `qcs::cos:${region}::${bucket}`;
}

/**
 * Accepts `name-appid` (in `defaultRegion`) or `qcs::cos:<region>::name-appid` and returns
 * every part.
 */
export function parseDestinationBucket(value: string, defaultRegion: string): DestinationBucket {
  const arn = typeof value === 'string' ? DESTINATION_ARN_PATTERN.exec(value) : null;
  const region = arn ? arn[1] : defaultRegion;
  const bucket = arn ? arn[2] : value;
  if (!isValidBucketName(bucket) || (arn && !isValidRegion(region))) {
    throw new Error(
      `parseDestinationBucket: destination bucket ${JSON.stringify(value)} is not valid: ` +
        'expected "<name>-<appid>" or "qcs::cos:<region>::<name>-<appid>"',
    );
  }
  requireRegion('parseDestinationBucket', region);
  return { region, bucket, ...parseBucketName(bucket) };
}
