// Bundles the Terraform provider into one self-contained file, dist/provider.js, which a
// synthesized stack carries under terraform.d/plugins (src/provider/plugin-files.ts). Same
// options as the handler's bundle; the version is written in at build time because a bundle
// has no package.json beside it to read.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { NODE_BUNDLE, unusedByCos } from './bundle-handler.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the provider bundle to `outfile` (default dist/provider.js). */
export async function bundleProvider(outfile = join(root, 'dist/provider.js')) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  await build({
    ...NODE_BUNDLE,
    entryPoints: [join(root, 'src/provider/main.ts')],
    outfile,
    legalComments: 'external',
    plugins: [unusedByCos],
    define: { COS_INVENTORY_PROVIDER_VERSION: JSON.stringify(version) },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await bundleProvider();
}
