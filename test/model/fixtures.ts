import type { InventoryConfiguration } from '../../src/model';

export { SEED_SAMPLE_ENCRYPTED, SEED_SAMPLE_PLAIN } from '../fixtures/seed-samples';

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
