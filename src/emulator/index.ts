export { DEFAULT_ONE_TIME_DELIVERY_DELAY_MS, LocalCos, parseBucketSpec } from './local-cos';
export { ADMIN_PREFIX } from './admin-route';
export { DEFAULT_CREDENTIALS } from './credentials';
export { DEFAULT_APPID, DEFAULT_UIN } from './accounts';
export type { AccountRecord } from './accounts';
export { DEFAULT_STS_DURATION_SECONDS, MAX_STS_DURATION_SECONDS } from './identities';
export { STS_VERSION } from './sts-route';
export { METADATA_CREDENTIALS_PATH } from './metadata-route';
export { DEFAULT_MAX_BODY_BYTES } from './body';
export { DEFAULT_REPORT_PREFIX, DEFAULT_ROWS_PER_FILE } from './delivery';
export { OPTIONAL_COLUMN_ORDER } from './report-columns';
export { MAX_INVENTORY_CONFIGURATIONS, INVENTORY_PAGE_SIZE } from './inventory-handlers';
export type {
  Account,
  CreateBucketOptions,
  Credentials,
  DeliveryResult,
  FaultRule,
  LocalCosClock,
  LocalCosOptions,
  RequestLogEntry,
  Role,
  RunInventoryOptions,
  SdkOptions,
  Subresource,
} from './types';
