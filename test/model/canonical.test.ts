import { canonicalConfiguration, type InventoryConfiguration } from '../../src/model';
import { MINIMAL, SEED_SAMPLE_ENCRYPTED, edited } from './fixtures';

/** Every key path of a JSON value, in order, to compare key order exactly. */
function keyPaths(value: unknown, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    `${path}${key}`,
    ...keyPaths(child, `${path}${key}.`),
  ]);
}

describe('canonicalConfiguration', () => {
  it('orders keys as the sdk sample does, whatever the input order', () => {
    const shuffled = {
      OptionalFields: ['ETag', 'Size', 'Tag'],
      IncludedObjectVersions: 'All',
      Filter: {
        Period: { EndTime: '2', StartTime: '1' },
        And: { Tag: [{ Value: 'v', Key: 'k' }], Prefix: 'p' },
      },
      Schedule: { MonthlyDate: '3', Frequency: 'Monthly' },
      Destination: {
        COSBucketDestination: {
          Encryption: { SSECOS: '' },
          Prefix: 'r',
          Bucket: 'qcs::cos:ap-guangzhou::reports-1250000000',
          AccountId: '100000000001',
          Format: 'CSV',
        },
      },
      IsEnabled: 'true',
      Id: 'x',
    } as const satisfies InventoryConfiguration;
    expect(keyPaths(canonicalConfiguration(shuffled))).toEqual([
      'Id',
      'IsEnabled',
      'Destination',
      'Destination.COSBucketDestination',
      'Destination.COSBucketDestination.Format',
      'Destination.COSBucketDestination.AccountId',
      'Destination.COSBucketDestination.Bucket',
      'Destination.COSBucketDestination.Prefix',
      'Destination.COSBucketDestination.Encryption',
      'Destination.COSBucketDestination.Encryption.SSECOS',
      'Schedule',
      'Schedule.Frequency',
      'Schedule.MonthlyDate',
      'Filter',
      'Filter.And',
      'Filter.And.Prefix',
      'Filter.And.Tag',
      'Filter.Period',
      'Filter.Period.StartTime',
      'Filter.Period.EndTime',
      'IncludedObjectVersions',
      'OptionalFields',
    ]);
  });

  it('leaves the seed sample as it is apart from sorting OptionalFields', () => {
    const canonical = canonicalConfiguration(SEED_SAMPLE_ENCRYPTED);
    expect(JSON.stringify(canonical)).toBe(
      JSON.stringify({
        ...SEED_SAMPLE_ENCRYPTED,
        OptionalFields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
      }),
    );
  });

  it('sorts and de-duplicates OptionalFields by code point', () => {
    const config = edited(
      MINIMAL,
      (c) => (c.OptionalFields = ['x-cos-meta-b', 'Size', 'ETag', 'Size', 'Crc64']),
    );
    expect(canonicalConfiguration(config as InventoryConfiguration).OptionalFields).toEqual([
      'Crc64',
      'ETag',
      'Size',
      'x-cos-meta-b',
    ]);
  });

  it('sorts tags by key, then value', () => {
    const config = edited(MINIMAL, (c) => {
      c.Filter = {
        And: {
          Tag: [
            { Key: 'b', Value: '2' },
            { Key: 'a', Value: 'z' },
            { Key: 'b', Value: '1' },
          ],
        },
      };
    });
    expect(canonicalConfiguration(config as InventoryConfiguration).Filter?.And?.Tag).toEqual([
      { Key: 'a', Value: 'z' },
      { Key: 'b', Value: '1' },
      { Key: 'b', Value: '2' },
    ]);
  });

  it('omits empty and undefined optional parts, never leaving undefined or {}', () => {
    const config = edited(MINIMAL, (c) => {
      c.Destination.COSBucketDestination.AccountId = '';
      c.Destination.COSBucketDestination.Prefix = '';
      c.Filter = { Prefix: '', And: { Tag: [], Prefix: '' }, Period: {} };
      c.OptionalFields = [];
    }) as InventoryConfiguration;
    const withUndefined: InventoryConfiguration = {
      ...MINIMAL,
      Filter: { Prefix: undefined, And: undefined, Period: { StartTime: undefined } },
      OptionalFields: undefined,
      Schedule: { Frequency: 'Daily', MonthlyDate: undefined },
    };
    for (const input of [config, withUndefined]) {
      const canonical = canonicalConfiguration(input);
      expect(canonical).toStrictEqual(canonicalConfiguration(MINIMAL));
      expect(Object.keys(canonical)).toEqual([
        'Id',
        'IsEnabled',
        'Destination',
        'Schedule',
        'IncludedObjectVersions',
      ]);
    }
  });

  it('drops keys the model does not know', () => {
    const config = {
      ...MINIMAL,
      Extra: 'x',
      Schedule: { Frequency: 'Daily', Time: '1' },
    } as InventoryConfiguration;
    expect(JSON.stringify(canonicalConfiguration(config))).toBe(
      JSON.stringify(canonicalConfiguration(MINIMAL)),
    );
  });

  it('gives equal strings for equivalent configurations and is idempotent', () => {
    const a = edited(
      SEED_SAMPLE_ENCRYPTED,
      (c) => (c.OptionalFields = ['Size', 'ETag', 'StorageClass', 'LastModifiedDate']),
    );
    const b = edited(
      SEED_SAMPLE_ENCRYPTED,
      (c) => (c.OptionalFields = ['ETag', 'ETag', 'LastModifiedDate', 'StorageClass', 'Size']),
    );
    const ca = canonicalConfiguration(a as InventoryConfiguration);
    expect(JSON.stringify(ca)).toBe(JSON.stringify(canonicalConfiguration(b as InventoryConfiguration)));
    expect(JSON.stringify(canonicalConfiguration(ca))).toBe(JSON.stringify(ca));
  });

  it('does not modify its input', () => {
    const input = edited(SEED_SAMPLE_ENCRYPTED, () => undefined) as InventoryConfiguration;
    const before = JSON.stringify(input);
    canonicalConfiguration(input);
    expect(JSON.stringify(input)).toBe(before);
  });
});
