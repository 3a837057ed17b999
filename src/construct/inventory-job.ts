/**
 * The construct-level description of one inventory job: flat, camelCase, with defaults, in the
 * style of aws-cdk-lib's `aws-s3` `Inventory`. `job-configuration.ts` maps it to the SDK shape.
 */
import type { BuiltinOptionalField, MetadataOptionalField } from '../model/configuration';

/** Server-side encryption of delivered reports. */
export type InventoryEncryption = 'SSE-COS' | 'NONE';

/** How often COS produces a report. */
export type InventoryFrequency = 'Daily' | 'Weekly' | 'Monthly';

/** Which object versions the report lists. */
export type InventoryObjectVersion = 'All' | 'Current';

/** A report column: a built-in field or a custom metadata field `x-cos-meta-<name>`. */
export type InventoryField = BuiltinOptionalField | MetadataOptionalField;

/** Where COS delivers the reports of a job. */
export interface InventoryJobDestination {
  /**
   * The destination bucket: `name-appid` (in the source bucket's region) or
   * `qcs::cos:<region>::name-appid`. May be an unresolved token (e.g. another resource's bucket
   * attribute); it is then taken as `name-appid` in the source region and checked by COS only.
   */
  readonly bucket: string;
  /**
   * Prefix of the delivered reports; COS appends `/<appid>/<source-bucket-name>/<job-id>/`.
   * @default - none (COS then uses `cos_bucket_inventory`)
   */
  readonly prefix?: string;
  /**
   * Account id (UIN) owning the destination bucket. Also the default principal's account for the
   * destination policy when `ownerUin` is not set.
   * @default - none
   */
  readonly accountId?: string;
  /**
   * Encryption of the delivered report files.
   * @default 'NONE'
   */
  readonly encryption?: InventoryEncryption;
}

/** When COS produces reports. */
export interface InventoryJobSchedule {
  /** Report frequency. */
  readonly frequency: InventoryFrequency;
  /**
   * Day of the month (1-28) for `Monthly`; not allowed otherwise.
   * @default - none
   */
  readonly monthlyDate?: number;
}

/** One object tag of a filter. */
export interface InventoryJobTag {
  readonly key: string;
  readonly value: string;
}

/** Creation-time window of the listed objects. */
export interface InventoryJobPeriod {
  /**
   * Earliest creation time: a `Date` or Unix seconds.
   * @default - unbounded
   */
  readonly startTime?: Date | number;
  /**
   * Latest creation time: a `Date` or Unix seconds.
   * @default - unbounded
   */
  readonly endTime?: Date | number;
}

/** Which objects a job lists. */
export interface InventoryJobFilter {
  /**
   * Only objects whose key starts with this prefix.
   * @default - every object
   */
  readonly prefix?: string;
  /**
   * Only objects carrying all these tags; needs the `Tag` optional field.
   * @default - no tag filter
   */
  readonly tags?: Readonly<Record<string, string>> | readonly InventoryJobTag[];
  /**
   * Only objects created in this window.
   * @default - no time filter
   */
  readonly period?: InventoryJobPeriod;
}

/** One inventory job of a bucket. */
export interface InventoryJob {
  /** The job id: letters, digits, `-`, `_`, `.`; at most 64 characters; unique per bucket. */
  readonly id: string;
  /** Where reports are delivered. */
  readonly destination: InventoryJobDestination;
  /**
   * Whether COS produces reports.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Which object versions are listed.
   * @default 'Current'
   */
  readonly includedObjectVersions?: InventoryObjectVersion;
  /**
   * When reports are produced.
   * @default { frequency: 'Daily' }
   */
  readonly schedule?: InventoryJobSchedule;
  /**
   * Which objects are listed.
   * @default - every object
   */
  readonly filter?: InventoryJobFilter;
  /**
   * Report columns besides the key (and the bucket).
   * @default ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'] plus 'Tag' when filtering by tags
   */
  readonly optionalFields?: readonly InventoryField[];
}
