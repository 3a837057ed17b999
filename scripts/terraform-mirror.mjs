// `npm run terraform-mirror -- DIR`: a filesystem mirror holding the test-only stand-in for
// `hashicorp/external` (test/terraform-external/), and a CLI configuration that installs that
// provider from the mirror and nothing else from it. Prints the configuration's path, to use
// as TF_CLI_CONFIG_FILE: `terraform init` then works offline in a stack with the drift check.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Inside the construct's `>= 2.3` constraint (src/construct/drift-check.ts). */
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
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const executable = join(packageDir, `terraform-provider-external_v${EXTERNAL_VERSION}`);
  // The node that wrote the mirror runs it: Terraform may start providers with another PATH.
  writeFileSync(executable, `#!/bin/sh\nexec '${process.execPath}' "$(dirname "$0")/provider.js" "$@"\n`);
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
