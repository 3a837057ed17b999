export * from './bucket';
export * from './canonical';
export * from './compare';
export * from './configuration';
export * from './policy';
export * from './problem';
export * from './report-location';
export * from './validate';
