/**
 * `npm run terraform-mirror -- DIR` without Terraform: the mirror's layout, the executable,
 * the CLI configuration it prints, and the usage error. external.terraform.test.ts proves
 * that `terraform init` installs from it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTERNAL_PROVIDER } from '../../src/construct/drift-check';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'terraform-mirror.mjs');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'terraform-mirror-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('writes the provider package and a CLI configuration that takes only hashicorp/external from it', () => {
  const mirror = join(dir, 'mirror');
  const printed = execFileSync(process.execPath, [SCRIPT, mirror], { encoding: 'utf8' });
  const config = join(mirror, 'terraform.rc');
  expect(printed).toBe(`${config}\n`);

  const versions = join(mirror, 'registry.terraform.io/hashicorp/external');
  const [version] = readdirSync(versions);
  // Inside the construct's constraint (`>= 2.3`), so an unmodified stack selects it.
  expect(EXTERNAL_PROVIDER.version).toBe('>= 2.3');
  const [major, minor] = version.split('.').map(Number);
  expect(major > 2 || (major === 2 && minor >= 3)).toBe(true);

  const [platform] = readdirSync(join(versions, version));
  expect(platform).toMatch(/^(linux|darwin|windows|freebsd)_(amd64|arm64|386|arm)$/);
  const packageDir = join(versions, version, platform);
  const executable = join(packageDir, `terraform-provider-external_v${version}`);
  expect(statSync(executable).mode & 0o111).toBe(0o111);
  expect(readFileSync(executable, 'utf8')).toBe(
    `#!/bin/sh\nexec '${process.execPath}' "$(dirname "$0")/provider.js" "$@"\n`,
  );
  expect(statSync(join(packageDir, 'provider.js')).size).toBeGreaterThan(0);

  expect(readFileSync(config, 'utf8')).toBe(`provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/external"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/external"]
  }
}
`);
});

test('without a directory it says how to call it and exits 2', () => {
  const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
    "usage: npm run terraform-mirror -- DIR (received []): writes the mirror into DIR and prints the CLI configuration's path for TF_CLI_CONFIG_FILE\n",
  );
});
