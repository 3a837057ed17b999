// Before the tests: builds dist/handler.js (the construct ships it as an asset; a few handler
// tests run it as Terraform does, as a separate `node` process) and dist/provider.js, and compiles src/ into
// .test-bin/ (lib/'s layout, TypeScript's own emit without type declarations) so the few
// process-level CLI tests start the bin as JavaScript instead of through ts-node, seconds per
// process. The compile is skipped while no source changed (both jest runs of `npm test`).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.join(__dirname, '..');

function compileTestBin() {
  const out = path.join(root, '.test-bin');
  const parsed = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.build.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  const stamp = JSON.stringify(
    parsed.fileNames.map((file) => [file, fs.statSync(file).mtimeMs, fs.statSync(file).size]),
  );
  const stampFile = path.join(out, '.sources.json');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return;
  fs.rmSync(out, { recursive: true, force: true });
  const compilerOptions = { ...parsed.options, declaration: false, declarationMap: false, sourceMap: false };
  // Declaration files (src/tfplugin's typings of an untyped module) have no emit.
  for (const file of parsed.fileNames.filter((name) => !name.endsWith('.d.ts'))) {
    // isolatedModules is on: file by file, the emit is tsc's.
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions,
      fileName: file,
    });
    const target = path.join(out, path.relative(parsed.options.rootDir, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  fs.writeFileSync(stampFile, stamp);
}

module.exports = async () => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle-handler.mjs')], {
    stdio: 'inherit',
  });
  // dist/provider.js: the real-Terraform tests install it from terraform.d/plugins.
  execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle-provider.mjs')], {
    stdio: 'inherit',
  });
  compileTestBin();
};
