// Packs the library as `npm pack` builds it, installs the tarball into an empty directory and
// uses it from there as a user would: the `cos-inventory` bin, the bundled provider (alone, and
// shipped into a stack the consumer synthesizes), the types, the entry points, and a program
// that knows only cos-nodejs-sdk-v5 talking to
// `npx cos-inventory emulator`. Then it builds the README's two consumer projects (cdktf 0.21
// and cdktn 0.24) from the tarball, synthesizes each with its own CLI and applies the stack
// with the real `terraform` against the emulator (scripts/consumer-smoke.mjs): through the
// projects' own `npm run synth` (which must keep HashiCorp's version check quiet) and, for
// cdktn-cli on a Node older than 22.19, the README's Node 22 recipe run as written.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { smokeConsumerProject } from './consumer-smoke.mjs';
import { smokeUpgrade } from './upgrade-smoke.mjs';
import { readmeRecipe } from './readme-projects.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'cos-inventory-pack-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

function nodeAtLeast(major, minor) {
  const [maj, min] = process.versions.node.split('.').map(Number);
  return maj > major || (maj === major && min >= minor);
}

/** Lines a newcomer would see in red: the CLI asking HashiCorp's checkpoint service offline. */
const CHECKPOINT_NOISE = /checkpoint-api\.hashicorp\.com|ENOTFOUND/;

/**
 * Synthesizes a README project as its README says: `npm run synth` (the script sets
 * CHECKPOINT_DISABLE), for cdktn on an older Node after the README's Node 22 recipe, whose
 * `$HOME/.node22` becomes a directory of this run. Output with checkpoint noise fails.
 */
function synthAsReadmeSays(flavour) {
  return (project, env) => {
    let script = 'npm run synth\n';
    if (flavour === 'cdktn' && !nodeAtLeast(22, 19)) {
      script = readmeRecipe(readFileSync(join(root, 'README.md'), 'utf8'), 'node22')
        .split('$HOME/.node22')
        .join(join(work, 'node22'));
      console.log(`pack-smoke: node ${process.version} is older than 22.19: the README's Node 22 recipe`);
    }
    const result = spawnSync('sh', ['-ec', script], {
      cwd: project,
      env,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    process.stderr.write(result.stderr);
    if (result.status !== 0) {
      throw new Error(`pack-smoke: ${flavour} synth failed (exit ${result.status}):\n${result.stdout}`);
    }
    if (CHECKPOINT_NOISE.test(result.stdout + result.stderr)) {
      throw new Error(
        `pack-smoke: ${flavour} synth printed checkpoint noise:\n${result.stdout}${result.stderr}`,
      );
    }
    const version = /^v22\.\d+\.\d+$/m.exec(result.stdout);
    if (flavour === 'cdktn' && !nodeAtLeast(22, 19) && !version) {
      throw new Error(`pack-smoke: the Node 22 recipe did not put node 22 on PATH:\n${result.stdout}`);
    }
    console.log(
      `pack-smoke: ${flavour}: npm run synth${version ? ` on node ${version[0]}` : ''}, no checkpoint noise`,
    );
  };
}

const started = Date.now();
let emulator;
try {
  const packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', work], root));
  const tarball = join(work, packed[0].filename);
  const files = packed[0].files.map((f) => f.path);
  for (const required of [
    'dist/provider.js',
    'dist/provider.js.LEGAL.txt',
    'lib/index.js',
    'lib/index.d.ts',
    'lib/cli/main.js',
    'README.md',
  ]) {
    if (!files.includes(required)) throw new Error(`pack-smoke: ${required} is missing from the package`);
  }
  // The provisioner-era handler bundle is gone: a stale dist/ must not ship it again.
  const retired = files.filter((f) => f.startsWith('dist/handler'));
  if (retired.length > 0)
    throw new Error(`pack-smoke: the retired handler bundle ships: ${retired.join(', ')}`);
  if (!files.includes('src/index.ts') || !files.includes('lib/index.js.map')) {
    throw new Error('pack-smoke: the sources and source maps stack traces point at are missing');
  }
  // The README links examples/ and bench/RESULTS.md, so they ship; tests and the bench code do not.
  for (const linked of ['examples/main.ts', 'bench/RESULTS.md']) {
    if (!files.includes(linked)) throw new Error(`pack-smoke: ${linked}, linked from the README, is missing`);
  }
  const leaked = files.filter(
    (f) => f.startsWith('test/') || (f.startsWith('bench/') && f !== 'bench/RESULTS.md'),
  );
  if (leaked.length > 0) {
    throw new Error(
      `pack-smoke: tests or benchmark code leaked into the package: ${leaked.slice(0, 5).join(', ')}`,
    );
  }
  console.log(`pack-smoke: packed ${files.length} files into ${packed[0].filename}`);

  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-smoke-app', private: true }));
  run(npm, ['install', '--no-audit', '--no-fund', tarball, 'cos-nodejs-sdk-v5@3', 'typescript@~5.9'], app);

  // Types: a consumer compiles against the published declarations.
  writeFileSync(
    join(app, 'consumer.ts'),
    [
      "import { App, TerraformStack } from 'cdktf';",
      "import { BucketInventory, type BucketInventoryProps } from 'cdktf-cos-inventory';",
      "import { LocalCos } from 'cdktf-cos-inventory/local-cos';",
      "import { readInventoryRows, type InventoryRow } from 'cdktf-cos-inventory/report';",
      "import { createCosClient, CosError } from 'cdktf-cos-inventory/cos';",
      'const app = new App();',
      "const stack = new TerraformStack(app, 's');",
      "new BucketInventory(stack, 'inv', { bucket: 'src-1250000000', region: 'ap-guangzhou', ownerUin: '100000000001', jobs: [{ id: 'daily', destination: { bucket: 'dst-1250000000' } }] });",
      'const props: BucketInventoryProps | undefined = undefined;',
      'const row: InventoryRow | undefined = undefined;',
      'void [LocalCos, readInventoryRows, createCosClient, CosError, props, row];',
      '',
    ].join('\n'),
  );
  // Subpath types resolve through `typesVersions` (moduleResolution node) and `exports` (node16).
  for (const moduleOptions of [[], ['--module', 'node16', '--moduleResolution', 'node16']]) {
    run(
      join(app, 'node_modules/.bin/tsc'),
      ['--strict', '--noEmit', '--esModuleInterop', '--skipLibCheck', ...moduleOptions, 'consumer.ts'],
      app,
    );
  }
  console.log('pack-smoke: types of the root and the subpath entries compile in a consumer');

  // The root entry loads the construct only; a trace through it names files the package ships.
  const probe = JSON.parse(
    run(
      process.execPath,
      [
        '--enable-source-maps',
        '-e',
        `
        const { App, TerraformStack } = require('cdktf');
        const { BucketInventory } = require('cdktf-cos-inventory');
        const loaded = Object.keys(require.cache);
        let stack = '';
        try {
          new BucketInventory(new TerraformStack(new App(), 's'), 'inv', {
            bucket: 'src-1250000000', region: 'ap-guangzhou', providerBundlePath: '/nonexistent/provider.js',
          });
        } catch (e) { stack = e.stack; }
        console.log(JSON.stringify({ loaded, stack }));`,
      ],
      app,
    ),
  );
  const heavy = probe.loaded.filter((f) =>
    /fast-xml-parser|cos-nodejs-sdk-v5|[/\\]lib[/\\]emulator[/\\]/.test(f),
  );
  if (heavy.length > 0) throw new Error(`pack-smoke: the root entry loaded ${heavy.join(', ')}`);
  const frames = [...probe.stack.matchAll(/\(([^()]+):\d+:\d+\)/g)]
    .map((m) => m[1])
    .filter((f) => f.includes('node_modules/cdktf-cos-inventory/'));
  if (frames.length === 0 || frames.some((f) => !existsSync(f))) {
    throw new Error(`pack-smoke: stack frames name files the package does not ship:\n${probe.stack}`);
  }
  console.log(`pack-smoke: the root entry loads no emulator, XML parser or SDK; traces name ${frames[0]}`);

  // The bin: start the emulator and wait for its first line.
  emulator = spawn(
    join(app, 'node_modules/.bin/cos-inventory'),
    [
      'emulator',
      '--port',
      '0',
      // This client reads back at once; the CLI default lag (1 s, as COS) is tested elsewhere.
      '--lag-ms',
      '0',
      '--secret-id',
      'AKIDsmoke',
      '--secret-key',
      'smoke-secret',
      '--bucket',
      'examplebucket-1250000000@ap-guangzhou',
      '--bucket',
      'dest-1250000000@ap-guangzhou',
    ],
    { cwd: app, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: emulator.stdout });
    lines.once('line', resolve);
    emulator.once('exit', (code) => reject(new Error(`pack-smoke: emulator exited early with ${code}`)));
  });
  const match = /^endpoint: http:\/\/([^:]+):(\d+)$/.exec(firstLine);
  if (!match) throw new Error(`pack-smoke: unexpected first line from the emulator: ${firstLine}`);
  console.log(`pack-smoke: ${firstLine}`);

  // A program outside the repository that knows only the SDK.
  writeFileSync(
    join(app, 'client.js'),
    `
const COS = require('cos-nodejs-sdk-v5');
const assert = require('node:assert');
const [ip, id, key] = process.argv.slice(2);
const cos = new COS({ SecretId: id, SecretKey: key, Protocol: 'http:', Ip: ip });
const Bucket = 'examplebucket-1250000000';
const Region = 'ap-guangzhou';
const InventoryConfiguration = {
  Id: 'smoke', IsEnabled: 'true',
  Destination: { COSBucketDestination: { Format: 'CSV', AccountId: '100000000001', Bucket: 'qcs::cos:ap-guangzhou::dest-1250000000', Prefix: 'reports' } },
  Schedule: { Frequency: 'Daily' }, Filter: { Prefix: 'logs/' }, IncludedObjectVersions: 'Current',
  OptionalFields: ['Size', 'ETag'],
};
(async () => {
  await cos.putBucketInventory({ Bucket, Region, Id: 'smoke', InventoryConfiguration });
  const got = await cos.getBucketInventory({ Bucket, Region, Id: 'smoke' });
  assert.strictEqual(got.InventoryConfiguration.Filter.Prefix, 'logs/');
  const listed = await cos.listBucketInventory({ Bucket, Region });
  assert.strictEqual(listed.InventoryConfigurations.length, 1);
  await cos.deleteBucketInventory({ Bucket, Region, Id: 'smoke' });
  const policy = { version: '2.0', statement: [{ effect: 'allow', principal: { qcs: ['qcs::cam::uin/100000000001:uin/100000000001'] }, action: ['name/cos:GetObject'], resource: ['qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/*'] }] };
  await cos.putBucketPolicy({ Bucket, Region, Policy: policy });
  const gotPolicy = await cos.getBucketPolicy({ Bucket, Region });
  assert.strictEqual((gotPolicy.Policy.Statement || gotPolicy.Policy.statement).length, 1);
  await cos.deleteBucketPolicy({ Bucket, Region });
  // Left in place for the import and status steps below.
  await cos.putBucketInventory({ Bucket, Region, Id: 'lone', InventoryConfiguration: {
    Id: 'lone', IsEnabled: 'true',
    Destination: { COSBucketDestination: { Format: 'CSV', Bucket: 'qcs::cos:ap-guangzhou::dest-1250000000' } },
    Schedule: { Frequency: 'Weekly' }, IncludedObjectVersions: 'Current',
  } });
  const wrong = new COS({ SecretId: id, SecretKey: 'wrong-key', Protocol: 'http:', Ip: ip });
  const refused = await wrong.getBucketInventory({ Bucket, Region, Id: 'smoke' }).then(() => undefined, (e) => e);
  assert.ok(refused, 'a wrong key must be refused');
  assert.strictEqual(refused.statusCode, 403);
  console.log('client: inventory put/get/list/delete, policy put/get/delete, wrong key 403, job lone left');
})().catch((e) => { console.error(e); process.exit(1); });
`,
  );
  process.stdout.write(
    run(process.execPath, ['client.js', `${match[1]}:${match[2]}`, 'AKIDsmoke', 'smoke-secret'], app),
  );

  // The bundled provider needs nothing but node; outside Terraform (no plugin cookie) it says what
  // it is and refuses, exit 1, from a directory of its own.
  const installed = join(app, 'node_modules/cdktf-cos-inventory');
  const { version } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const provider = join(installed, 'dist/provider.js');
  if (!existsSync(provider)) throw new Error('pack-smoke: dist/provider.js is not installed');
  const lone = join(work, 'lone');
  execFileSync('mkdir', ['-p', lone]);
  writeFileSync(join(lone, 'provider.js'), readFileSync(provider));
  const alone = spawnSync(process.execPath, [join(lone, 'provider.js')], {
    cwd: lone,
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const refusal = alone.stderr.trimEnd().split('\n');
  if (
    alone.status !== 1 ||
    alone.stdout !== '' ||
    refusal.length !== 2 ||
    refusal[0] !== `terraform-provider-cosinventory ${version} (cdktf-cos-inventory)` ||
    !/^this program is a terraform provider plugin and runs only when terraform starts it: TF_PLUGIN_MAGIC_COOKIE is not set/.test(
      refusal[1],
    )
  ) {
    throw new Error(
      `pack-smoke: dist/provider.js run alone: exit ${alone.status}, stdout ${JSON.stringify(alone.stdout)}, stderr:\n${alone.stderr}`,
    );
  }
  console.log(`pack-smoke: dist/provider.js alone names version ${version} and refuses without terraform`);

  // A stack synthesized in the consumer app carries the provider Terraform installs offline.
  run(
    process.execPath,
    [
      '-e',
      `
      const { App, TerraformStack } = require('cdktf');
      const { BucketInventory } = require('cdktf-cos-inventory');
      const app = new App({ outdir: 'cdktf.out' });
      new BucketInventory(new TerraformStack(app, 'shipped'), 'inv', {
        bucket: 'examplebucket-1250000000', region: 'ap-guangzhou', ownerUin: '100000000001',
        jobs: [{ id: 'daily', destination: { bucket: 'dest-1250000000' } }],
      });
      app.synth();`,
    ],
    app,
  );
  const platform = `${{ darwin: 'darwin', linux: 'linux' }[process.platform] ?? process.platform}_${
    { x64: 'amd64', arm64: 'arm64' }[process.arch] ?? process.arch
  }`;
  const pluginDir = join(
    app,
    'cdktf.out/stacks/shipped/terraform.d/plugins/cos-inventory.local/cdktf-cos-inventory/cosinventory',
    version,
    platform,
  );
  const executable = join(pluginDir, `terraform-provider-cosinventory_v${version}`);
  if (!existsSync(executable) || (statSync(executable).mode & 0o111) === 0) {
    throw new Error(`pack-smoke: the synthesized stack lacks an executable ${executable}`);
  }
  if (!readFileSync(join(pluginDir, 'cosinventory-provider.js')).equals(readFileSync(provider))) {
    throw new Error(`pack-smoke: the stack's cosinventory-provider.js is not the installed dist/provider.js`);
  }
  console.log(
    `pack-smoke: a synthesized stack carries the provider under terraform.d/plugins/.../${platform}`,
  );

  // import and status from the installed bin: the module it prints compiles against the package.
  const cosEnv = {
    PATH: process.env.PATH,
    TENCENTCLOUD_SECRET_ID: 'AKIDsmoke',
    TENCENTCLOUD_SECRET_KEY: 'smoke-secret',
    COS_INVENTORY_ENDPOINT: `http://${match[1]}:${match[2]}`,
  };
  const bin = join(app, 'node_modules/.bin/cos-inventory');
  const target = ['--bucket', 'examplebucket-1250000000', '--region', 'ap-guangzhou'];
  execFileSync(bin, ['import', ...target, '--out', 'imported.ts'], {
    cwd: app,
    env: cosEnv,
    stdio: 'inherit',
  });
  writeFileSync(
    join(app, 'use-imported.ts'),
    [
      "import { App, TerraformStack } from 'cdktf';",
      "import { examplebucketInventory } from './imported';",
      "const inventory = examplebucketInventory(new TerraformStack(new App(), 's'));",
      "if (inventory.jobIds.join() !== 'lone') throw new Error(inventory.jobIds.join());",
      '',
    ].join('\n'),
  );
  run(
    join(app, 'node_modules/.bin/tsc'),
    ['--strict', '--noEmit', '--esModuleInterop', '--skipLibCheck', 'use-imported.ts'],
    app,
  );
  const status = execFileSync(bin, ['status', ...target, '--format', 'json'], { cwd: app, env: cosEnv });
  const verdicts = JSON.parse(status.toString()).map((line) => `${line.id}=${line.verdict}`);
  if (verdicts.join() !== 'lone=never') throw new Error(`pack-smoke: status said ${verdicts.join()}`);
  console.log('pack-smoke: import printed a module that compiles; status judged lone=never');
  emulator.kill('SIGTERM');

  // The README's projects, built from the tarball.
  for (const flavour of ['cdktf', 'cdktn']) {
    await smokeConsumerProject({
      flavour,
      tarball,
      work,
      readme: join(root, 'README.md'),
      synth: synthAsReadmeSays(flavour),
    });
  }
  // A stack applied with release 0.1.0 upgrades to this package without touching its jobs.
  await smokeUpgrade({
    oldTarball: join(root, 'test', 'fixtures', 'releases', 'cdktf-cos-inventory-0.1.0.tgz'),
    tarball,
    work,
    readme: join(root, 'README.md'),
    bin,
  });
  console.log(`pack-smoke: ok in ${Math.round((Date.now() - started) / 1000)} s`);
} finally {
  if (emulator && emulator.exitCode === null) emulator.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
