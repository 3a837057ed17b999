import { InventoryDocument } from './inventory-document';
import { buildXml } from './xml';

type XmlObject = Record<string, unknown>;

/** The `<InventoryConfiguration>` element in COS's element order (that of its documentation). */
export function inventoryElement(doc: InventoryDocument): XmlObject {
  const destination: XmlObject = { Format: doc.destination.format };
  if (doc.destination.accountId !== undefined) destination.AccountId = doc.destination.accountId;
  destination.Bucket = doc.destination.bucket;
  if (doc.destination.prefix !== undefined) destination.Prefix = doc.destination.prefix;
  if (doc.destination.encryption) destination.Encryption = { 'SSE-COS': '' };

  const element: XmlObject = { Id: doc.id };
  if (doc.isEnabled !== undefined) element.IsEnabled = doc.isEnabled;
  element.Destination = { COSBucketDestination: destination };
  if (doc.schedule !== undefined) {
    element.Schedule =
      doc.schedule.monthlyDate === undefined
        ? { Frequency: doc.schedule.frequency }
        : { Frequency: doc.schedule.frequency, MonthlyDate: doc.schedule.monthlyDate };
  }
  if (doc.filter !== undefined) {
    const filter: XmlObject = {};
    if (doc.filter.prefix !== undefined) filter.Prefix = doc.filter.prefix;
    if (doc.filter.and !== undefined) {
      const and: XmlObject = {};
      if (doc.filter.and.prefix !== undefined) and.Prefix = doc.filter.and.prefix;
      if (doc.filter.and.tags.length > 0)
        and.Tag = doc.filter.and.tags.map((t) => ({ Key: t.key, Value: t.value }));
      if (doc.filter.and.storageClass !== undefined) and.StorageClass = doc.filter.and.storageClass;
      filter.And = and;
    }
    if (doc.filter.period !== undefined) {
      const period: XmlObject = {};
      if (doc.filter.period.startTime !== undefined) period.StartTime = doc.filter.period.startTime;
      if (doc.filter.period.endTime !== undefined) period.EndTime = doc.filter.period.endTime;
      filter.Period = period;
    }
    element.Filter = filter;
  }
  element.IncludedObjectVersions = doc.includedObjectVersions;
  if (doc.optionalFields !== undefined && doc.optionalFields.length > 0) {
    element.OptionalFields = { Field: [...doc.optionalFields] };
  }
  return element;
}

/** The GET answer for one configuration. */
export function inventoryXml(doc: InventoryDocument): string {
  return buildXml({ InventoryConfiguration: inventoryElement(doc) });
}

/** The list answer for one page. */
export function inventoryListXml(page: {
  configurations: readonly InventoryDocument[];
  isTruncated: boolean;
  continuationToken?: string;
  nextContinuationToken?: string;
}): string {
  const result: XmlObject = {};
  if (page.configurations.length > 0)
    result.InventoryConfiguration = page.configurations.map(inventoryElement);
  result.IsTruncated = page.isTruncated ? 'true' : 'false';
  if (page.continuationToken !== undefined) result.ContinuationToken = page.continuationToken;
  if (page.nextContinuationToken !== undefined) result.NextContinuationToken = page.nextContinuationToken;
  return buildXml({ ListInventoryConfigurationResult: result });
}
