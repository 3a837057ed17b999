import type { Clock } from '../../src/cos/retry';
import type { InventoryConfiguration } from '../../src/model/configuration';
import type { ContractTarget } from './target';

/** Where contract jobs deliver in the destination bucket: one folder, easy to clean. */
export const CONTRACT_PREFIX = 'cos-inventory-contract';

/** A job of the target's source bucket delivering to its destination under CONTRACT_PREFIX. */
export function contractJob(target: ContractTarget, id: string): InventoryConfiguration {
  return {
    Id: id,
    IsEnabled: 'true',
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        AccountId: target.ownerUin,
        Bucket: `qcs::cos:${target.region}::${target.destination}`,
        Prefix: CONTRACT_PREFIX,
      },
    },
    Schedule: { Frequency: 'Daily' },
    IncludedObjectVersions: 'Current',
    OptionalFields: ['Size', 'StorageClass'],
  };
}

/**
 * Retries `read` (for reads that may lag behind writes) for up to `ms` of the target's clock:
 * virtual time locally (each wait moves the endpoint's lag on), the wall clock live.
 */
export async function eventually<T>(
  clock: Clock,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms = 15_000,
): Promise<T> {
  const started = clock.now();
  let value = await read();
  while (!done(value) && clock.now() - started < ms) {
    await clock.sleep(250);
    value = await read();
  }
  return value;
}
