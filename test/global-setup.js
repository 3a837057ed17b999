// Before the tests: builds dist/handler.js (the construct ships it as an asset; a few handler
// tests run it as Terraform does, as a separate `node` process), and transpiles src/ into
// .test-bin/ (the layout of lib/, without type declarations) so the few process-level CLI tests
// start the bin as plain JavaScript instead of through ts-node, seconds per process.
const { execFileSync } = require('node:child_process');
const { readdirSync, rmSync } = require('node:fs');
const path = require('node:path');
const { buildSync } = require('esbuild');

const root = path.join(__dirname, '..');

module.exports = async () => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle-handler.mjs')], {
    stdio: 'inherit',
  });
  const src = path.join(root, 'src');
  const out = path.join(root, '.test-bin');
  rmSync(out, { recursive: true, force: true });
  buildSync({
    entryPoints: readdirSync(src, { recursive: true })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => path.join(src, file)),
    outdir: out,
    outbase: src,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
};
