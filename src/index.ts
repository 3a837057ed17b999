export * from './construct';
export * from './model';
export * from './emulator';
export * from './report';
export * from './cos';
// The model and the emulator both name COS's default report prefix (the same value).
export { DEFAULT_REPORT_PREFIX } from './model';
