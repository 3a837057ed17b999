export * from './bucket-inventory';
export * from './destination-policy';
export * from './drift-check';
export * from './handler-asset';
export * from './inventory-job';
export * from './job-configuration';
export * from './logical-names';
export * from './terraform-data';
