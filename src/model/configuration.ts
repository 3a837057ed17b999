/**
 * The inventory configuration in the shape `cos-nodejs-sdk-v5` takes for
 * `putBucketInventory({ InventoryConfiguration })` and returns from `getBucketInventory`
 * (after normalisation). Every value is a string because that is what COS returns.
 */

/** Built-in optional report columns COS accepts in `OptionalFields`. */
export const BUILTIN_OPTIONAL_FIELDS = [
  'Size',
  'LastModifiedDate',
  'StorageClass',
  'ETag',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'Tag',
  'Crc64',
] as const;

/** A built-in optional column name. */
export type BuiltinOptionalField = (typeof BUILTIN_OPTIONAL_FIELDS)[number];

/** A custom-metadata column: `x-cos-meta-<name>`. */
export type MetadataOptionalField = `x-cos-meta-${string}`;

/** Any column accepted in `OptionalFields`. */
export type OptionalField = BuiltinOptionalField | MetadataOptionalField;

export const FREQUENCIES = ['Daily', 'Weekly', 'Monthly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const INCLUDED_OBJECT_VERSIONS = ['All', 'Current'] as const;
export type IncludedObjectVersions = (typeof INCLUDED_OBJECT_VERSIONS)[number];

export const REPORT_FORMATS = ['CSV'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** An object tag used in a filter. */
export interface TagFilter {
  readonly Key: string;
  readonly Value: string;
}

/** Creation-time window, Unix seconds as decimal strings. */
export interface PeriodFilter {
  readonly StartTime?: string;
  readonly EndTime?: string;
}

/** `Filter/And`: a prefix combined with tags (and, undocumented, storage classes). */
export interface AndFilter {
  readonly Prefix?: string;
  readonly Tag?: readonly TagFilter[];
  readonly StorageClass?: string;
}

export interface InventoryFilter {
  readonly Prefix?: string;
  readonly And?: AndFilter;
  readonly Period?: PeriodFilter;
}

export interface InventorySchedule {
  readonly Frequency: Frequency;
  /** Day of the month for `Monthly`, as a decimal string. */
  readonly MonthlyDate?: string;
}

export interface CosBucketDestination {
  readonly Format: ReportFormat;
  /** Owner account id (UIN) of the destination bucket. */
  readonly AccountId?: string;
  /** `qcs::cos:<region>::<name>-<appid>` */
  readonly Bucket: string;
  readonly Prefix?: string;
  /** Present (as `{ SSECOS: '' }`) when reports are encrypted with SSE-COS. */
  readonly Encryption?: { readonly SSECOS: '' };
}

/** One inventory job, exactly as the SDK's `InventoryConfiguration` parameter. */
export interface InventoryConfiguration {
  readonly Id: string;
  readonly IsEnabled: 'true' | 'false';
  readonly IncludedObjectVersions: IncludedObjectVersions;
  readonly Filter?: InventoryFilter;
  readonly OptionalFields?: readonly OptionalField[];
  readonly Schedule: InventorySchedule;
  readonly Destination: { readonly COSBucketDestination: CosBucketDestination };
}
