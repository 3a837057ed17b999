// Bundles the Terraform provider and the SDK into one self-contained file, dist/provider.js,
// which a synthesized stack carries under terraform.d/plugins (src/provider/plugin-files.ts), so
// the stack needs nothing but `node` to run it. Run as a script it bundles; imported (the
// terraform-mirror, the benches) it lends its options, so every bundle is built alike. The
// version is written in at build time because a bundle has no package.json beside it to read.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Terraform starts the provider at every plan and apply (and again for each of their phases),
// so its start-up time is paid per command. The SDK's HTTP client (a fork of `request`) loads
// HTTP-signature auth (sshpk, tweetnacl...) and a cookie jar (tough-cookie with the public
// suffix list) eagerly, although COS requests use neither: the SDK signs its own Authorization
// header and passes no jar. Replacing them with modules that fail loudly if ever used halves
// the bundle and its load time (bench/RESULTS.md).
export const UNUSED_BY_COS = {
  'http-signature': `module.exports = {
  signRequest() { throw new Error('cos-inventory: http-signature auth is not bundled'); },
};`,
  'tough-cookie': `const unavailable = () => { throw new Error('cos-inventory: cookie jars are not bundled'); };
class CookieJar {
  setCookieSync() { unavailable(); }
  getCookieStringSync() { unavailable(); }
  getCookiesSync() { unavailable(); }
}
module.exports = { CookieJar, Cookie: { parse: unavailable } };`,
};

export const unusedByCos = {
  name: 'unused-by-cos',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(UNUSED_BY_COS).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'unused-by-cos' }));
    b.onLoad({ filter: /.*/, namespace: 'unused-by-cos' }, (args) => ({
      contents: UNUSED_BY_COS[args.path],
      loader: 'js',
    }));
  },
};

/** esbuild's options for one minified CommonJS file that `node` 20 runs with nothing installed. */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  logLevel: 'warning',
};

/**
 * The provider's own options on top of NODE_BUNDLE (the benches bundle parts of it alike). The
 * loader runs the bundle through vm.Script with a code cache: an import() left in it
 * (node:http/https, loaded lazily by the credential chain) has no loader there and fails with
 * ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING. As a require() it loads just as lazily.
 */
export const PROVIDER_BUNDLE = {
  ...NODE_BUNDLE,
  plugins: [unusedByCos],
  supported: { 'dynamic-import': false },
};

/** Builds the provider bundle to `outfile` (default dist/provider.js) and its LEGAL.txt beside it. */
export async function bundleProvider(outfile = join(root, 'dist/provider.js')) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  await build({
    ...PROVIDER_BUNDLE,
    entryPoints: [join(root, 'src/provider/main.ts')],
    outfile,
    legalComments: 'external',
    define: { COS_INVENTORY_PROVIDER_VERSION: JSON.stringify(version) },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await bundleProvider();
}
