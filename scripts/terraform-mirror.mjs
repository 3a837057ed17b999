// `npm run terraform-mirror -- DIR`: a filesystem mirror holding the test-only stand-in for
// `hashicorp/external` (test/terraform-external/), and a CLI configuration that installs that
// provider from the mirror and nothing else from it. Prints the configuration's path, to use
// as TF_CLI_CONFIG_FILE: `terraform init` then works offline in a stack of the provisioner
// release (0.1.x) with its drift check, as scripts/upgrade-smoke.mjs applies one.
import { build } from 'esbuild';
import { NODE_BUNDLE } from './bundle-provider.mjs';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Inside the `>= 2.3` constraint of the provisioner release's (0.1.x) drift check. */
export const EXTERNAL_VERSION = '2.3.5';
export const EXTERNAL_ADDRESS = 'registry.terraform.io/hashicorp/external';

function platform() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows', freebsd: 'freebsd' }[process.platform];
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' }[process.arch];
  if (!os || !arch) {
    throw new Error(`terraform-mirror: no terraform platform for ${process.platform}/${process.arch}`);
  }
  return `${os}_${arch}`;
}

// Compiling the 500 KB bundle is a good part of each start: the loader runs it with V8's code
// cache, written once here by the same node. V8 rejects a cache of another version or flags
// and then compiles as usual, so the cache can only make a start faster.
const LOADER = `'use strict';
// Runs provider.js with V8's code cache (provider.js.cache). Written by npm run terraform-mirror.
const { readFileSync, writeFileSync } = require('node:fs');
const { wrap } = require('node:module');
const { join } = require('node:path');
const { Script } = require('node:vm');
const file = join(__dirname, 'provider.js');
const cacheFile = file + '.cache';
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
const script = new Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
if (process.argv[2] === '--write-code-cache') {
  process.on('exit', () => writeFileSync(cacheFile, script.createCachedData()));
}
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, require, bundle, file, __dirname);
`;

/** Writes the mirror and the CLI configuration under `dir`; returns the configuration's path. */
export async function writeMirror(dir) {
  const mirror = resolve(dir);
  const packageDir = join(mirror, EXTERNAL_ADDRESS, EXTERNAL_VERSION, platform());
  rmSync(packageDir, { recursive: true, force: true });
  mkdirSync(packageDir, { recursive: true });
  // One bundled file: Terraform starts the provider about four times per command, so it
  // must load fast and need nothing installed next to it.
  await build({
    entryPoints: [join(root, 'test/terraform-external/main.ts')],
    outfile: join(packageDir, 'provider.js'),
    ...NODE_BUNDLE,
    legalComments: 'none',
  });
  const loader = join(packageDir, 'loader.js');
  writeFileSync(loader, LOADER);
  // Without Terraform's cookie the provider refuses and exits: the cache holds its module setup.
  const env = { ...process.env };
  delete env.TF_PLUGIN_MAGIC_COOKIE;
  spawnSync(process.execPath, [loader, '--write-code-cache'], { env, stdio: 'ignore' });
  if (!existsSync(join(packageDir, 'provider.js.cache'))) {
    throw new Error(`terraform-mirror: no code cache written next to ${join(packageDir, 'provider.js')}`);
  }
  const executable = join(packageDir, `terraform-provider-external_v${EXTERNAL_VERSION}`);
  // The node that wrote the mirror (and its cache) runs it: Terraform may start providers with another PATH.
  writeFileSync(executable, `#!/bin/sh\nexec '${process.execPath}' "$(dirname "$0")/loader.js" "$@"\n`);
  chmodSync(executable, 0o755);
  const config = join(mirror, 'terraform.rc');
  writeFileSync(
    config,
    `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = [${JSON.stringify(EXTERNAL_ADDRESS)}]
  }
  direct {
    exclude = [${JSON.stringify(EXTERNAL_ADDRESS)}]
  }
}
`,
  );
  return config;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3) {
    process.stderr.write(
      `usage: npm run terraform-mirror -- DIR (received ${JSON.stringify(process.argv.slice(2))}): writes the mirror into DIR and prints the CLI configuration's path for TF_CLI_CONFIG_FILE\n`,
    );
    process.exit(2);
  }
  process.stdout.write(`${await writeMirror(dir)}\n`);
}
