// The construct and real-Terraform tests again, with `cdktf` resolved to CDK Terrain
// (`cdktn`, a devDependency): in the test modules by jest's mapper, in the child processes the
// tests start (synth programs, `terraform`'s provisioners) by a preloaded resolver hook.
const path = require('node:path');
const base = require('./jest.config');

const alias = path.join(__dirname, 'test', 'cdktn-alias.js');
// Read by test/construct/framework.test.ts: proof that the mapping took effect.
process.env.COS_INVENTORY_TEST_FRAMEWORK = 'cdktn';
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${alias}`.trim();

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'cdktn',
  roots: ['<rootDir>/test/construct', '<rootDir>/test/terraform'],
  moduleNameMapper: { '^cdktf$': 'cdktn' },
};
