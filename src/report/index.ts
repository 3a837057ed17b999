// The `cdktf-cos-inventory/report` subpath: find, verify and read delivered inventory reports,
// and summarise them. A named list (docs/reports.md documents each name; a test
// checks the list): the CLI's formatting and the decoders stay internal.
export {
  DeliveryNotFoundError,
  ReportFormatError,
  ReportIntegrityError,
  type IntegrityCheck,
} from './errors';
export type { Manifest, ManifestFile } from './manifest';
export type { InventoryRow, InventoryValue } from './row';
export {
  findDelivery,
  listDeliveries,
  type Delivery,
  type FindDeliveryOptions,
  type ReportLocation,
} from './delivery';
export { readManifest } from './read-manifest';
export { verifyDelivery, type VerifyOptions } from './verify';
export { readInventoryRows, type ReadProgress, type ReadRowsOptions } from './read-rows';
export { SummaryBuilder, type InventorySummary, type SummaryGroup, type SummaryOptions } from './summary';
