/**
 * Figure 2: how long `node dist/handler.js put-job` takes from spawn to exit, doing one put-job
 * against LocalCos, beside three baselines run interleaved with it:
 *   node -e ''                      node's own start
 *   node -e '<one http.request>'    start plus one request to the emulator (no SDK)
 *   SDK-only bundle                 start plus the SDK doing the same put and get
 * and the bundle's size.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { runChild } from '../common/child.mjs';
import { HANDLER, library, requireFromRoot, scratchDir } from '../common/paths.mjs';
import { inventoryConfiguration } from '../common/inventory.mjs';
import { fmt, fmtRatio, fmtSummary, summarize, table } from '../common/stats.mjs';
import { NODE_BUNDLE, UNUSED_BY_COS, unusedByCos } from '../../scripts/bundle-handler.mjs';

const SOURCE = 'source-1250000000';
const DESTINATION = 'reports-1250000000';
const REGION = 'ap-guangzhou';
const RUNS = 15;

// One request with COS's virtual-host Host header. Unsigned, so the emulator answers 403: the
// cost of a round trip is the same.
const BARE_REQUEST = `
const http = require('node:http');
const u = new URL(process.env.COS_INVENTORY_ENDPOINT);
http.get({ host: u.hostname, port: u.port, path: '/?inventory=&id=bench', agent: false,
  headers: { Host: '${SOURCE}.cos.${REGION}.myqcloud.com' } }, (res) => res.resume());
`;

function configuration(id) {
  return inventoryConfiguration(id, {
    region: REGION,
    destination: DESTINATION,
    filter: { Prefix: 'logs/' },
    optionalFields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
  });
}

/** The handler's own bundle options and stubs, so the comparison is of code, not of packaging. */
async function bundleSdkOnly(dir) {
  const { build } = requireFromRoot('esbuild');
  const outfile = join(dir, 'sdk-only.js');
  await build({
    ...NODE_BUNDLE,
    entryPoints: [fileURLToPath(new URL('./sdk-only-entry.mjs', import.meta.url))],
    outfile,
    legalComments: 'none',
    plugins: [unusedByCos],
  });
  return outfile;
}

export async function run(ctx) {
  const runs = ctx.quick ? 2 : RUNS;
  ctx.step('bundling the SDK-only baseline');
  const stubbed = Object.keys(UNUSED_BY_COS);
  const sdkOnly = await bundleSdkOnly(scratchDir('handler'));
  const { LocalCos } = library();
  ctx.step('starting LocalCos');
  const cos = await LocalCos.start();
  try {
    cos.createBucket(SOURCE, REGION);
    cos.createBucket(DESTINATION, REGION);
    const env = (id) => ({
      PATH: process.env.PATH ?? '',
      TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
      COS_INVENTORY_ENDPOINT: cos.endpoint,
      COS_INVENTORY_SPEC: JSON.stringify({
        bucket: SOURCE,
        region: REGION,
        configuration: configuration(id),
      }),
    });
    const commands = {
      node: { argv: [process.execPath, '-e', ''], requests: 0 },
      request: { argv: [process.execPath, '-e', BARE_REQUEST], requests: 1 },
      sdk: { argv: [process.execPath, sdkOnly], requests: 2 },
      handler: { argv: [process.execPath, HANDLER, 'put-job'], requests: 2 },
    };
    const samples = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
    for (let i = 0; i < runs + 1; i++) {
      for (const [name, command] of Object.entries(commands)) {
        ctx.step(`${name} run ${i + 1}/${runs + 1}`);
        cos.clearRequestLog();
        const result = await runChild(command.argv, { env: env(`job-${i}`) });
        if (result.code !== 0) {
          throw new Error(
            `${command.argv.slice(1, 2).join(' ')} exited with ${result.code}: ${result.stderr.trim()}`,
          );
        }
        if (cos.requestLog.length !== command.requests) {
          throw new Error(`${name} sent ${cos.requestLog.length} requests, expected ${command.requests}`);
        }
        // The first round warms the file cache and is not counted.
        if (i > 0) samples[name].push(result.wallMs);
      }
    }
    const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
    const bundle = readFileSync(HANDLER);
    const bundleBytes = statSync(HANDLER).size;
    const gzipBytes = gzipSync(bundle, { level: 9 }).length;
    const sdkBytes = statSync(sdkOnly).size;
    const m = (k) => s[k].median;
    const ratio = m('handler') / m('request');
    const lines = [
      '## 2. Handler start',
      '',
      `Wall time from spawn to exit, ${runs} runs each, interleaved (one warm-up round not counted),`,
      'against LocalCos in the bench process. `put-job` sends 2 requests (put, then the read-back);',
      "the emulator's log confirms the count on every run.",
      '',
      table(
        ['command', 'ms', "share of the handler's median"],
        [
          ["`node -e ''`", fmtSummary(s.node, 1), `node start: ${fmt(m('node'), 1)} ms`],
          [
            '`node -e` one `http.request` to the emulator',
            fmtSummary(s.request, 1),
            `one request: ${fmt(m('request') - m('node'), 1)} ms`,
          ],
          [
            'SDK alone (bundled), put + get',
            fmtSummary(s.sdk, 1),
            `SDK load and its 2 requests: ${fmt(m('sdk') - m('request'), 1)} ms`,
          ],
          [
            '`node dist/handler.js put-job`',
            fmtSummary(s.handler, 1),
            `our code: ${fmt(m('handler') - m('sdk'), 1)} ms`,
          ],
        ],
      ),
      '',
      `Handler / (node -e + one request): **${fmtRatio(ratio)}** (target: at most 2x).`,
      '',
      `Bundle \`dist/handler.js\`: ${bundleBytes.toLocaleString('en-US')} bytes (${gzipBytes.toLocaleString('en-US')} gzipped);`,
      `the SDK-only bundle built the same way: ${sdkBytes.toLocaleString('en-US')} bytes`,
      `(like the handler's, with ${stubbed.map((name) => `\`${name}\``).join(' and ')} replaced by stubs).`,
      '',
    ];
    const readme = [
      `| handler start (put-job, 2 requests) | ${fmt(m('handler'), 0)} ms | ${fmt(m('request'), 0)} ms (node -e + 1 request) | ${fmtRatio(ratio)} |`,
      `| handler bundle | ${bundleBytes.toLocaleString('en-US')} bytes | ${sdkBytes.toLocaleString('en-US')} bytes (SDK alone) | ${fmtRatio(bundleBytes / sdkBytes)} |`,
    ];
    return { markdown: lines.join('\n'), readme, regressions: [] };
  } finally {
    await cos.close();
  }
}
