/**
 * `npm run terraform-mirror -- DIR` without Terraform: the mirror's layout, the executable,
 * the CLI configuration it prints, and the usage error. external.terraform.test.ts proves
 * that `terraform init` installs from it; scripts/upgrade-smoke.mjs uses it to apply a stack of
 * the provisioner release (0.1.x), whose drift check needs `hashicorp/external`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLIENT_CERT_KEY,
  generateServerCertificate,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  serviceDefinitions,
  type Message,
} from '../../src/tfplugin';
import { certificatePemOf } from '../tfplugin/plugin-client';
import { RELEASE_0_1_EXTERNAL_REQUIREMENT } from './external-provider';

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'terraform-mirror.mjs');
let dir: string;
let mirror: string;
let printed: string;
let version: string;
let packageDir: string;
let executable: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'terraform-mirror-'));
  mirror = join(dir, 'mirror');
  printed = execFileSync(process.execPath, [SCRIPT, mirror], { encoding: 'utf8' });
  const versions = join(mirror, 'registry.terraform.io/hashicorp/external');
  [version] = readdirSync(versions);
  const [platform] = readdirSync(join(versions, version));
  packageDir = join(versions, version, platform);
  executable = join(packageDir, `terraform-provider-external_v${version}`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('writes the provider package and a CLI configuration that takes only hashicorp/external from it', () => {
  const config = join(mirror, 'terraform.rc');
  expect(printed).toBe(`${config}\n`);
  // Inside the provisioner release's constraint (`>= 2.3`), so its unmodified stacks select it.
  expect(RELEASE_0_1_EXTERNAL_REQUIREMENT.version).toBe('>= 2.3');
  const [major, minor] = version.split('.').map(Number);
  expect(major > 2 || (major === 2 && minor >= 3)).toBe(true);
  expect(packageDir.split('/').pop()).toMatch(/^(linux|darwin|windows|freebsd)_(amd64|arm64|386|arm)$/);
  expect(statSync(executable).mode & 0o111).toBe(0o111);
  expect(readFileSync(executable, 'utf8')).toBe(
    `#!/bin/sh\nexec '${process.execPath}' "$(dirname "$0")/loader.js" "$@"\n`,
  );
  expect(readdirSync(packageDir).sort()).toEqual([
    'loader.js',
    'provider.js',
    'provider.js.cache',
    `terraform-provider-external_v${version}`,
  ]);

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

test('the installed executable serves over mutual TLS as terraform starts it, and exits 0 after Shutdown', async () => {
  const client = generateServerCertificate();
  const child = spawn(executable, [], {
    env: {
      PATH: process.env.PATH,
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      [CLIENT_CERT_KEY]: client.certificatePem,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve) => {
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
    });
  });
  expect(line).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]{50,}$/);
  const channel = credentials.createSsl(
    Buffer.from(certificatePemOf(line)),
    Buffer.from(client.privateKeyPem),
    Buffer.from(client.certificatePem),
  );
  const call = (service: 'provider' | 'controller', method: string) => {
    const Client = makeGenericClientConstructor(serviceDefinitions()[service], service);
    const stub = new Client(line.split('|')[3], channel) as unknown as Record<
      string,
      (request: Message, callback: (error: Error | null, response: Message) => void) => void
    > & { close(): void };
    return new Promise<Message>((resolve, reject) =>
      stub[method]({}, (error, response) => {
        stub.close();
        return error ? reject(error) : resolve(response);
      }),
    );
  };
  const schema = (await call('provider', 'GetProviderSchema')) as {
    data_source_schemas: Record<string, unknown>;
  };
  expect(Object.keys(schema.data_source_schemas)).toEqual(['external']);
  expect(await call('controller', 'Shutdown')).toEqual({});
  expect(await exited).toBe(0);
});
