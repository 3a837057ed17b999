// The package root: the construct, its props and the types they name. It loads no HTTP server,
// no XML parser and no SDK (test/entry-points.test.ts checks): the local endpoint, the report
// reader, the COS client and the plan review are the subpaths `/local-cos`, `/report`, `/cos` and
// `/review`.
export { BucketInventory, type BucketInventoryProps } from './construct/bucket-inventory';
export {
  RemovedBucketInventory,
  type RemovedBucketInventoryProps,
} from './construct/removed-bucket-inventory';
export type {
  InventoryEncryption,
  InventoryField,
  InventoryFrequency,
  InventoryJob,
  InventoryJobDestination,
  InventoryJobFilter,
  InventoryJobPeriod,
  InventoryJobSchedule,
  InventoryJobTag,
  InventoryObjectVersion,
} from './construct/inventory-job';
export type { BuiltinOptionalField, MetadataOptionalField } from './model/configuration';
