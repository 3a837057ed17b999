/**
 * Figure 2: the start of the `cosinventory` provider, paid by each of the three to five provider
 * processes Terraform starts per command. The provider's files are written as a synthesized stack
 * carries them (src/provider/plugin-files.ts: a sh wrapper exec'ing node on the loader, which runs
 * dist/provider.js with a V8 code cache under the OS temporary directory), started with
 * Terraform's handshake environment and timed from spawn to the go-plugin handshake line, when
 * Terraform can dial. Three starts, interleaved:
 *   the same wrapper shape exec'ing `node -e` printing one line   node's own start
 *   the provider with no code cache                               a first start on a machine
 *   the provider with the cache a previous process left           every later start
 * and the size of dist/provider.js beside the SDK alone bundled the same way.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  expectHandshake,
  handshakeEnvironment,
  timeToFirstLine,
  writeNodeLineBaseline,
} from '../common/first-line.mjs';
import { ROOT, requireFromRoot, scratchDir } from '../common/paths.mjs';
import { fmt, fmtRatio, fmtSummary, summarize, table } from '../common/stats.mjs';
import { PROVIDER_BUNDLE, UNUSED_BY_COS } from '../../scripts/bundle-provider.mjs';

const RUNS = 21;
const BUNDLE = join(ROOT, 'dist', 'provider.js');

/** Terraform's `<os>_<arch>` of this machine (the wrapper is sh: any directory name would run). */
function hostPlatform() {
  const arch = { x64: 'amd64', arm64: 'arm64', ia32: '386' }[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** The provider's files as `BucketInventory` writes them into a stack; returns the executable. */
function writeProvider(dir) {
  const { providerPluginFiles, providerExecutableName, pluginDirectory, writePluginFiles } =
    requireFromRoot('./lib/provider/index.js');
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const platform = hostPlatform();
  const files = providerPluginFiles({
    bundle: readFileSync(BUNDLE),
    version,
    nodeCommand: process.execPath,
    platforms: [platform],
  });
  writePluginFiles(dir, files);
  return join(dir, ...pluginDirectory(version, platform).split('/'), providerExecutableName(version));
}

/** The SDK alone, bundled with the provider's options and stubs: the size baseline. */
async function bundleSdkOnly(dir) {
  const { build } = requireFromRoot('esbuild');
  const outfile = join(dir, 'sdk-only.js');
  await build({
    ...PROVIDER_BUNDLE,
    stdin: { contents: "module.exports = require('cos-nodejs-sdk-v5');", resolveDir: ROOT },
    outfile,
    legalComments: 'none',
  });
  return statSync(outfile).size;
}

/** The code cache files under one temporary directory the loader was pointed at. */
function cacheFiles(tmp) {
  const dirs = existsSync(tmp) ? readdirSync(tmp).filter((name) => name.startsWith('cosinventory-')) : [];
  return dirs.flatMap((name) => readdirSync(join(tmp, name)).filter((file) => file.endsWith('.bin')));
}

/**
 * One provider process as Terraform runs it: started, dialed with mutual TLS, stopped with
 * go-plugin's Shutdown. Its exit writes the code cache, so later starts find what they would.
 */
async function startAndShutDown(executable, env, clientCertificate) {
  const grpc = requireFromRoot('@grpc/grpc-js');
  const { serviceDefinitions } = requireFromRoot('./lib/tfplugin/index.js');
  const { line, child } = await timeToFirstLine(executable, env, { keep: true });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const [, , , address, , certificate] = line.split('|');
  const der = Buffer.from(certificate, 'base64');
  const serverPem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)
    .join('\n')}\n-----END CERTIFICATE-----\n`;
  const Controller = grpc.makeGenericClientConstructor(serviceDefinitions().controller, 'controller');
  const controller = new Controller(
    address,
    grpc.credentials.createSsl(
      Buffer.from(serverPem),
      Buffer.from(clientCertificate.privateKeyPem),
      Buffer.from(clientCertificate.certificatePem),
    ),
  );
  try {
    await new Promise((resolve, reject) =>
      controller.Shutdown({}, (error) => (error ? reject(error) : resolve())),
    );
  } finally {
    controller.close();
  }
  const code = await exited;
  if (code !== 0) throw new Error(`the provider exited ${code} after Shutdown`);
}

export async function run(ctx) {
  const runs = ctx.quick ? 1 : RUNS;
  const dir = scratchDir('start');
  ctx.step('writing the provider files as a stack carries them');
  const executable = writeProvider(join(dir, 'stack'));
  const baseline = join(dir, 'node-line');
  writeNodeLineBaseline(baseline);
  const handshake = handshakeEnvironment();
  const { clientCertificate } = handshake;
  // The loader keeps its cache under os.tmpdir(): one directory per variant, never the user's.
  const cold = join(dir, 'tmp-no-cache');
  const warm = join(dir, 'tmp-cache');
  mkdirSync(cold);
  mkdirSync(warm);
  const env = (tmp) => ({
    PATH: process.env.PATH ?? '',
    TMPDIR: tmp,
    ...handshake.env,
  });

  ctx.step('one provider process through Shutdown, writing the code cache');
  await startAndShutDown(executable, env(warm), clientCertificate);
  if (cacheFiles(warm).length !== 1) {
    throw new Error(`expected one code cache file after Shutdown, found ${JSON.stringify(cacheFiles(warm))}`);
  }

  const samples = { node: [], cold: [], warm: [] };
  const starts = {
    node: [baseline, env(cold)],
    cold: [executable, env(cold)],
    warm: [executable, env(warm)],
  };
  ctx.step(
    `starting the baseline and the provider without and with the cache, ${runs} times each, interleaved`,
  );
  for (let i = 0; i <= runs; i += 1) {
    for (const [name, [file, variables]] of Object.entries(starts)) {
      const { ms, line } = await timeToFirstLine(file, variables);
      if (name !== 'node') expectHandshake(line);
      if (i > 0) samples[name].push(ms); // the first round warms the file system cache
    }
    // Killed at the handshake, no process reaches the exit that writes a cache.
    if (cacheFiles(cold).length !== 0) throw new Error('a start without the cache wrote one');
  }

  ctx.step('bundling the SDK alone for the size baseline');
  const sdkBytes = await bundleSdkOnly(dir);
  const bundle = readFileSync(BUNDLE);
  const gzipBytes = gzipSync(bundle, { level: 9 }).length;
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  const m = (k) => s[k].median;
  const stubbed = Object.keys(UNUSED_BY_COS);
  const lines = [
    '## 2. Provider start',
    '',
    `From spawn to the go-plugin handshake line on stdout, ${runs} starts each, interleaved (one warm-up`,
    "round not counted), with Terraform's handshake environment (magic cookie, client certificate). The",
    "provider's files as a stack carries them: a sh wrapper exec'ing node on the loader, which runs",
    "`dist/provider.js` with V8's code cache from the OS temporary directory. The cache is the one a",
    "provider process left after Terraform's Shutdown (started, dialed and stopped once before the runs).",
    '',
    table(
      ['process', 'ms to the handshake line', 'above node'],
      [
        ["same wrapper, `node -e` printing a line (node's own start)", fmtSummary(s.node, 1), ''],
        [
          'provider, no code cache (first start)',
          fmtSummary(s.cold, 1),
          `${fmt(m('cold') - m('node'), 1)} ms`,
        ],
        ['provider, with the code cache', fmtSummary(s.warm, 1), `${fmt(m('warm') - m('node'), 1)} ms`],
      ],
    ),
    '',
    `Provider start with the cache: **${fmtRatio(m('warm') / m('node'))}** of node's start (without: ${fmtRatio(m('cold') / m('node'))});`,
    `the cache saves ${fmt(m('cold') - m('warm'), 1)} ms per start.`,
    '',
    `Bundle \`dist/provider.js\`: ${bundle.length.toLocaleString('en-US')} bytes (${gzipBytes.toLocaleString('en-US')} gzipped);`,
    `the SDK alone bundled the same way: ${sdkBytes.toLocaleString('en-US')} bytes`,
    `(both with ${stubbed.map((name) => `\`${name}\``).join(' and ')} replaced by stubs).`,
    '',
  ];
  const readme = [
    `| provider start (to the handshake line), code cache | ${fmt(m('warm'), 0)} ms | ${fmt(m('node'), 0)} ms: node's start | ${fmtRatio(m('warm') / m('node'))} (no cache: ${fmt(m('cold'), 0)} ms, ${fmtRatio(m('cold') / m('node'))}) |`,
    `| provider bundle | ${bundle.length.toLocaleString('en-US')} bytes | ${sdkBytes.toLocaleString('en-US')} bytes (SDK alone) | ${fmtRatio(bundle.length / sdkBytes)} |`,
  ];
  return { markdown: lines.join('\n'), readme, regressions: [] };
}
