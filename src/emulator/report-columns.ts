import { InventoryDocument } from './inventory-document';

/** Order of the built-in optional columns, as in COS's manifest sample, then Tag and Crc64. */
export const OPTIONAL_COLUMN_ORDER = [
  'Size',
  'LastModifiedDate',
  'ETag',
  'StorageClass',
  'IsMultipartUploaded',
  'ReplicationStatus',
  'Tag',
  'Crc64',
] as const;

/**
 * The report's columns in CSV order: Appid, Bucket, Key; VersionId, IsLatest, IsDeleteMarker
 * when all versions are listed; the requested built-in fields in OPTIONAL_COLUMN_ORDER; then
 * requested `x-cos-meta-*` fields sorted by name.
 */
export function reportColumns(job: InventoryDocument): string[] {
  const requested = new Set(job.optionalFields ?? []);
  const columns = ['Appid', 'Bucket', 'Key'];
  if (job.includedObjectVersions === 'All') columns.push('VersionId', 'IsLatest', 'IsDeleteMarker');
  for (const field of OPTIONAL_COLUMN_ORDER) if (requested.has(field)) columns.push(field);
  columns.push(...[...requested].filter((field) => field.startsWith('x-cos-meta-')).sort());
  return columns;
}
