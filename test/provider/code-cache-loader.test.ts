/**
 * The provider's executable as a stack directory carries it: the wrapper starts node on the
 * loader, which runs the bundle with a V8 code cache kept under TMPDIR, never beside the
 * provider (Terraform hashes that directory against the lock file).
 */
import { execFile } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CODE_CACHE_DIRECTORY } from '../../src/provider/code-cache-loader';
import { providerPluginFiles } from '../../src/provider/plugin-files';
import { providerVersion } from '../../src/provider/names';

const BUNDLE = join(__dirname, '..', '..', 'dist', 'provider.js');
let work: string;
let executable: string;
let cacheRoot: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cosinventory-loader-'));
  cacheRoot = join(work, 'tmp');
  mkdirSync(cacheRoot);
  const files = providerPluginFiles({
    bundle: readFileSync(BUNDLE),
    version: providerVersion(),
    nodeCommand: process.execPath,
    platforms: ['linux_amd64'],
  });
  for (const file of files) {
    const path = join(work, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
    chmodSync(path, file.mode);
  }
  executable = join(work, files[0].path);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function start(): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      executable,
      [],
      { env: { PATH: process.env.PATH, TMPDIR: cacheRoot } },
      (error, _stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code) : 0, stderr }),
    );
  });
}

const cacheDir = () => join(cacheRoot, `${CODE_CACHE_DIRECTORY}-${process.getuid?.() ?? 'user'}`);

test('outside terraform it refuses with its version; the code cache is written under TMPDIR and then reused', async () => {
  const packageFiles = readdirSync(dirname(executable)).sort();
  const first = await start();
  expect(first.code).toBe(1);
  expect(first.stderr).toContain(
    `terraform-provider-cosinventory ${providerVersion()} (cdktf-cos-inventory)`,
  );
  expect(first.stderr).toContain('TF_PLUGIN_MAGIC_COOKIE is not set');
  const [cache] = readdirSync(cacheDir());
  expect(cache).toMatch(/^[0-9a-f]{40}\.bin$/);
  const written = statSync(join(cacheDir(), cache)).mtimeMs;
  expect((await start()).code).toBe(1);
  // Accepted by V8: not written again.
  expect(readdirSync(cacheDir())).toEqual([cache]);
  expect(statSync(join(cacheDir(), cache)).mtimeMs).toBe(written);
  expect(readdirSync(dirname(executable)).sort()).toEqual(packageFiles);
});

test('a cache directory others can write to is not used', async () => {
  rmSync(cacheDir(), { recursive: true, force: true });
  mkdirSync(cacheDir());
  chmodSync(cacheDir(), 0o777);
  expect((await start()).code).toBe(1);
  expect(readdirSync(cacheDir())).toEqual([]);
});
