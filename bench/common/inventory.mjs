/** The inventory job the handler benches put: COS's PutBucketInventory body, as the SDK takes it. */
export function inventoryConfiguration(id, { region, destination, optionalFields, filter }) {
  return {
    Id: id,
    IsEnabled: 'true',
    Destination: {
      COSBucketDestination: {
        Format: 'CSV',
        AccountId: '100000000001',
        Bucket: `qcs::cos:${region}::${destination}`,
        Prefix: 'inventory',
      },
    },
    Schedule: { Frequency: 'Daily' },
    ...(filter ? { Filter: filter } : {}),
    IncludedObjectVersions: 'Current',
    OptionalFields: optionalFields,
  };
}
