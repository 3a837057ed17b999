/**
 * The model reports problems by SDK field path (`Destination.COSBucketDestination.Bucket`);
 * construct users wrote camelCase props (`destination.bucket`). Messages name the prop.
 */

// Longest SDK prefixes first, so `Filter.And.Prefix` wins over `Filter`.
const PREFIXES: readonly (readonly [string, string])[] = [
  ['Destination.COSBucketDestination.AccountId', 'destination.accountId'],
  ['Destination.COSBucketDestination.Bucket', 'destination.bucket'],
  ['Destination.COSBucketDestination.Prefix', 'destination.prefix'],
  ['Destination.COSBucketDestination.Encryption', 'destination.encryption'],
  ['Destination.COSBucketDestination.Format', 'destination.format'],
  ['Destination.COSBucketDestination', 'destination'],
  ['Destination', 'destination'],
  ['Schedule.Frequency', 'schedule.frequency'],
  ['Schedule.MonthlyDate', 'schedule.monthlyDate'],
  ['Schedule', 'schedule'],
  ['Filter.And.Prefix', 'filter.prefix'],
  ['Filter.And.Tag', 'filter.tags'],
  ['Filter.And', 'filter'],
  ['Filter.Prefix', 'filter.prefix'],
  ['Filter.Period.StartTime', 'filter.period.startTime'],
  ['Filter.Period.EndTime', 'filter.period.endTime'],
  ['Filter.Period', 'filter.period'],
  ['Filter', 'filter'],
  ['IncludedObjectVersions', 'includedObjectVersions'],
  ['OptionalFields', 'optionalFields'],
  ['IsEnabled', 'enabled'],
  ['Id', 'id'],
];

/** `Filter.And.Tag[1].Key` -> `filter.tags[1].Key`-style prop path; unknown paths pass through. */
export function propPath(sdkField: string): string {
  for (const [sdk, prop] of PREFIXES) {
    if (sdkField === sdk) return prop;
    if (sdkField.startsWith(sdk) && /^[.[]/.test(sdkField.slice(sdk.length))) {
      const rest = sdkField
        .slice(sdk.length)
        .replace(/\.(Key|Value)$/, (_m, k: string) => `.${k.toLowerCase()}`);
      return prop + rest;
    }
  }
  return sdkField;
}
