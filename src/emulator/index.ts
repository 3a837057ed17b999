export { DEFAULT_ONE_TIME_DELIVERY_DELAY_MS, LocalCos, parseBucketSpec } from './local-cos';
export { ADMIN_PREFIX } from './admin-route';
export { DEFAULT_CREDENTIALS } from './credentials';
export { DEFAULT_MAX_BODY_BYTES } from './body';
export { DEFAULT_REPORT_PREFIX, DEFAULT_ROWS_PER_FILE } from './delivery';
export { OPTIONAL_COLUMN_ORDER } from './report-columns';
export { MAX_INVENTORY_CONFIGURATIONS, INVENTORY_PAGE_SIZE } from './inventory-handlers';
export type {
  CreateBucketOptions,
  Credentials,
  DeliveryResult,
  FaultRule,
  LocalCosClock,
  LocalCosOptions,
  RequestLogEntry,
  RunInventoryOptions,
  SdkOptions,
  Subresource,
} from './types';
