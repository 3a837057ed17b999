import type { InventoryConfiguration } from '../../src/model';

/** Sample 1 of seeds/000 (COS Node.js SDK reference): a job with SSE-COS. */
export const SEED_SAMPLE_ENCRYPTED: InventoryConfiguration = {
  Id: 'inventory_test',
  IsEnabled: 'true',
  Destination: {
    COSBucketDestination: {
      Format: 'CSV',
      AccountId: '100000000001',
      Bucket: 'qcs::cos:ap-beijing::targetbucket-1250000000',
      Prefix: 'inventory_test_prefix',
      Encryption: {
        SSECOS: '',
      },
    },
  },
  Schedule: {
    Frequency: 'Daily',
  },
  Filter: {
    Prefix: 'filter_prefix',
  },
  IncludedObjectVersions: 'All',
  OptionalFields: ['Size', 'LastModifiedDate', 'StorageClass', 'ETag'],
};

/** Sample 2 of seeds/000: the same job without encryption. */
export const SEED_SAMPLE_PLAIN: InventoryConfiguration = {
  Id: 'inventory_test',
  IsEnabled: 'true',
  Destination: {
    COSBucketDestination: {
      Format: 'CSV',
      AccountId: '100000000001',
      Bucket: 'qcs::cos:ap-beijing::targetbucket-1250000000',
      Prefix: 'inventory_test_prefix',
    },
  },
  Schedule: {
    Frequency: 'Daily',
  },
  Filter: {
    Prefix: 'filter_prefix',
  },
  IncludedObjectVersions: 'All',
  OptionalFields: ['Size', 'LastModifiedDate', 'StorageClass', 'ETag'],
};

/** A minimal valid job. */
export const MINIMAL: InventoryConfiguration = {
  Id: 'daily',
  IsEnabled: 'true',
  Destination: {
    COSBucketDestination: { Format: 'CSV', Bucket: 'qcs::cos:ap-guangzhou::reports-1250000000' },
  },
  Schedule: { Frequency: 'Daily' },
  IncludedObjectVersions: 'Current',
};

/** A deep copy with `edit` applied to a plain, mutable JSON object. */
export function edited(
  base: InventoryConfiguration,
  edit: (config: Record<string, any>) => void, // eslint-disable-line @typescript-eslint/no-explicit-any
): unknown {
  const copy = JSON.parse(JSON.stringify(base));
  edit(copy);
  return copy;
}
