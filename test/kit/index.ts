export * from './accounts';
export * from './cli';
export * from './clock';
export * from './emulator-process';
export * from './local-cos';
export * from './streams';
