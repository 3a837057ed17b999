// The run under CDK Terrain (`cdktn`, a devDependency), with `cdktf` resolved to it: in the test
// modules by jest's mapper, in the child processes the tests start (synth programs, `terraform`'s
// provisioners) by a preloaded resolver hook. What it repeats, and why no more (docs/testing.md):
// - the construct tests: synth-time validation, errors through `app.synth()` and `cdktf synth`,
//   the HCL rendering and the framework check, under cdktn's own classes;
// - one real-Terraform test: a cdktn-synthesized stack planned and applied by `terraform`, the
//   provider it carries in its directory adopting jobs through import blocks, a second plan
//   empty.
// The rest of the Terraform behaviour is covered once, in the cdktf run, by what makes it
// framework-independent: test/construct/framework-parity.test.ts synthesizes every example and a
// fixture set covering the props under both frameworks and finds the same stack directories,
// and Terraform reads nothing else.
const fs = require('node:fs');
const path = require('node:path');
const base = require('./jest.config');

/** The real-Terraform test the cdktn run repeats; a missing file stops the run, never skips it. */
const TERRAFORM_APPLY_UNDER_CDKTN = ['test/terraform/import-apply.test.ts'];
for (const file of TERRAFORM_APPLY_UNDER_CDKTN) {
  if (!fs.existsSync(path.join(__dirname, file))) {
    throw new Error(
      `jest.cdktn.config.js: ${file} does not exist: name the real-terraform test the cdktn run applies in TERRAFORM_APPLY_UNDER_CDKTN`,
    );
  }
}

const alias = path.join(__dirname, 'test', 'cdktn-alias.js');
// Read by test/construct/framework.test.ts: proof that the mapping took effect.
process.env.COS_INVENTORY_TEST_FRAMEWORK = 'cdktn';
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${alias}`.trim();

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  displayName: 'cdktn',
  roots: ['<rootDir>/test'],
  testMatch: [
    '<rootDir>/test/construct/**/*.test.ts',
    ...TERRAFORM_APPLY_UNDER_CDKTN.map((file) => `<rootDir>/${file}`),
  ],
  // Compares both frameworks in one process: the cdktf run has it already.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/construct/framework-parity\\.test\\.ts$'],
  moduleNameMapper: { '^cdktf$': 'cdktn' },
};
