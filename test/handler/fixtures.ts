import type { InventoryConfiguration } from '../../src/model/configuration';

export const SOURCE = 'examplebucket-1250000000';
export const DESTINATION = 'reports-1250000000';
export const REGION = 'ap-guangzhou';

/** A valid job writing to DESTINATION; `id` varies per test. */
export function job(id: string, overrides: Partial<InventoryConfiguration> = {}): InventoryConfiguration {
  return {
    Id: id,
    IsEnabled: 'true',
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        AccountId: '100000000001',
        Bucket: `qcs::cos:${REGION}::${DESTINATION}`,
        Prefix: 'inventory',
      },
    },
    Schedule: { Frequency: 'Daily' },
    Filter: { Prefix: 'logs/' },
    IncludedObjectVersions: 'Current',
    OptionalFields: ['Size', 'ETag'],
    ...overrides,
  };
}

/**
 * The two request samples of the COS Node.js SDK inventory reference (seeds/000_*.txt),
 * with and without SSE-COS, field for field.
 */
export const SEED_BUCKET = 'sourcebucket-1250000000';
export const SEED_DESTINATION = 'targetbucket-1250000000';
export const SEED_REGION = 'ap-beijing';

export function seedSample(encrypted: boolean): InventoryConfiguration {
  return {
    Id: 'inventory_test',
    IsEnabled: 'true',
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        AccountId: '100000000001',
        Bucket: 'qcs::cos:ap-beijing::targetbucket-1250000000',
        Prefix: 'inventory_test_prefix',
        ...(encrypted ? { Encryption: { SSECOS: '' as const } } : {}),
      },
    },
    Schedule: { Frequency: 'Daily' },
    Filter: { Prefix: 'filter_prefix' },
    IncludedObjectVersions: 'All',
    OptionalFields: ['Size', 'LastModifiedDate', 'StorageClass', 'ETag'],
  };
}
