/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  // Integration tests start real servers and child processes.
  testTimeout: 60000,
  // A worker per core, not jest's default of one less: the main process only schedules, and
  // the real-Terraform tests leave their worker waiting on `terraform` and the handler processes
  // it starts (measured: docs/testing.md, "Budget").
  maxWorkers: '100%',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
};
