// Bundles the handler and the SDK into one self-contained file, dist/handler.js, so a
// synthesized stack needs nothing but `node` to run it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(root, 'src/handler/main.ts')],
  outfile: join(root, 'dist/handler.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'external',
  logLevel: 'warning',
});
