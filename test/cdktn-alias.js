// Preloaded (`node --require`) into the child processes of the cdktn test run
// (jest.cdktn.config.js): `require('cdktf')` gets CDK Terrain, as the npm override in the
// README's cdktn project does for an installed package.
const Module = require('node:module');

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveCdktfAsCdktn(request, ...rest) {
  if (request === 'cdktf') return resolve.call(this, 'cdktn', ...rest);
  return resolve.call(this, request, ...rest);
};
