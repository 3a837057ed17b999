export * from './client';
export * from './errors';
export * from './retry';
export * from './call';
export * from './inventory';
export * from './policy';
