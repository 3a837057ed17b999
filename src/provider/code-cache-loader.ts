/**
 * The loader the provider's executable runs: it compiles the bundle with a V8 code cache, so
 * the three or four provider processes Terraform starts per command skip most of the bundle's
 * compilation. The cache cannot live beside the provider: Terraform checks the installed
 * package against the lock file's hash, so a file added there breaks the next `init`. It lives
 * in a directory of the user's own under the OS temporary directory, keyed by the bundle's
 * hash, node's version and the architecture; a cache V8 rejects, or none, is (re)written when
 * the process exits.
 */
import { PROVIDER_BUNDLE_NAME } from './bundle-name';

/** The loader's file name beside the bundle. */
export const PROVIDER_LOADER_NAME = 'cosinventory-provider-loader.js';

/** The cache directory's name under `os.tmpdir()`, followed by `-<uid>`. */
export const CODE_CACHE_DIRECTORY = 'cosinventory-provider-cache';

/** The loader's source (plain CommonJS: it runs before anything else). */
export function loaderSource(version: string): string {
  return `'use strict';
// cdktf-cos-inventory provider ${version}: runs ${PROVIDER_BUNDLE_NAME} with a V8 code cache kept
// under the OS temporary directory (never here: Terraform hashes this directory).
const fs = require('fs');
const path = require('path');
const os = require('os');
const vm = require('vm');
const crypto = require('crypto');
const Module = require('module');
const file = path.join(__dirname, ${JSON.stringify(PROVIDER_BUNDLE_NAME)});
const source = fs.readFileSync(file, 'utf8');
let cacheFile;
let cached;
try {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const dir = path.join(os.tmpdir(), ${JSON.stringify(CODE_CACHE_DIRECTORY)} + '-' + (uid === undefined ? 'user' : uid));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const info = fs.statSync(dir);
  // Only a directory of our own that nobody else can write to: V8 trusts what it loads.
  if ((uid === undefined || info.uid === uid) && (info.mode & 0o022) === 0) {
    const key = crypto.createHash('sha256').update(source).update('\\0' + process.version + '\\0' + process.arch).digest('hex');
    cacheFile = path.join(dir, key.slice(0, 40) + '.bin');
    if (fs.existsSync(cacheFile)) cached = fs.readFileSync(cacheFile);
  }
} catch (error) {
  cacheFile = undefined;
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData: cached });
if (cacheFile !== undefined && (cached === undefined || script.cachedDataRejected)) {
  process.once('exit', () => {
    try {
      const partial = cacheFile + '.' + process.pid;
      fs.writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(partial, cacheFile);
    } catch (error) {
      // A cache that cannot be written costs the next start its compile time, nothing else.
    }
  });
}
const bundle = new Module(file, module);
bundle.filename = file;
bundle.paths = Module._nodeModulePaths(path.dirname(file));
script.runInThisContext()(bundle.exports, Module.createRequire(file), bundle, file, path.dirname(file));
`;
}
