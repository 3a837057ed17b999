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

export { SEED_BUCKET, SEED_DESTINATION, SEED_REGION, seedSample } from '../fixtures/seed-samples';
