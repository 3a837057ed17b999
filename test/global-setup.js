// Builds dist/handler.js before the tests: the construct ships it as an asset and the
// handler tests run it as Terraform would, as a separate `node` process.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'bundle-handler.mjs')], {
    stdio: 'inherit',
  });
};
