/** COS storage class names accepted in `x-cos-storage-class` and `Filter/And/StorageClass`. */
export const STORAGE_CLASSES = [
  'STANDARD',
  'STANDARD_IA',
  'ARCHIVE',
  'DEEP_ARCHIVE',
  'INTELLIGENT_TIERING',
  'MAZ_STANDARD',
  'MAZ_STANDARD_IA',
  'MAZ_INTELLIGENT_TIERING',
  'MAZ_ARCHIVE',
] as const;
