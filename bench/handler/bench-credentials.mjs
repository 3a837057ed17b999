/**
 * Figure 6: what the credential chain costs the handler.
 *   chain start with env keys only: loading src/credentials and resolving the key, in a fresh
 *     node each run (the part of every provisioner run the chain adds; target at most 5 ms);
 *   the account guard: `put-job` with `allowedAccountIds` (GetCallerIdentity before the write)
 *     beside the same `put-job` without it, interleaved, against LocalCos's STS route.
 */
import { fileURLToPath } from 'node:url';
import { runChild, runJsonChild } from '../common/child.mjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HANDLER, ROOT, library, requireFromRoot, scratchDir } from '../common/paths.mjs';
import { inventoryConfiguration } from '../common/inventory.mjs';
import { fmt, fmtSummary, summarize, table } from '../common/stats.mjs';
import { NODE_BUNDLE } from '../../scripts/bundle-handler.mjs';

const SOURCE = 'source-1250000000';
const DESTINATION = 'reports-1250000000';
const REGION = 'ap-guangzhou';
const RUNS = 15;
const CHAIN_TARGET_MS = 5;

function configuration(id) {
  return inventoryConfiguration(id, {
    region: REGION,
    destination: DESTINATION,
    optionalFields: ['Size'],
  });
}

/** The chain alone, bundled with the options scripts/bundle-handler.mjs uses for the handler. */
async function bundleChain() {
  const { build } = requireFromRoot('esbuild');
  const dir = scratchDir('credentials');
  const outfile = join(dir, 'chain.js');
  writeFileSync(join(dir, 'empty.js'), 'module.exports = {};\n');
  await build({
    entryPoints: [join(ROOT, 'src', 'credentials', 'credential-chain.ts')],
    outfile,
    ...NODE_BUNDLE,
    legalComments: 'none',
  });
  return { bundle: outfile, empty: join(dir, 'empty.js') };
}

export async function run(ctx) {
  const runs = ctx.quick ? 2 : RUNS;
  ctx.step('bundling the chain');
  const { bundle, empty } = await bundleChain();
  const { LocalCos } = library();
  ctx.step('starting LocalCos');
  const cos = await LocalCos.start({ buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`] });
  try {
    const keys = {
      PATH: process.env.PATH ?? '',
      TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
      TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
    };
    const chainSamples = { require: [], resolve: [], total: [] };
    const child = fileURLToPath(new URL('./chain-start-child.mjs', import.meta.url));
    for (let i = 0; i < runs + 1; i++) {
      ctx.step(`chain start ${i + 1}/${runs + 1}`);
      const result = await runJsonChild(child, [bundle, empty], { env: keys });
      if (i === 0) continue; // warms the file cache
      chainSamples.require.push(result.requireMs);
      chainSamples.resolve.push(result.resolveMs);
      chainSamples.total.push(result.requireMs + result.resolveMs);
    }

    const env = (id, guard) => ({
      ...keys,
      COS_INVENTORY_ENDPOINT: cos.endpoint,
      COS_INVENTORY_STS_ENDPOINT: cos.endpoint,
      COS_INVENTORY_SPEC: JSON.stringify({
        bucket: SOURCE,
        region: REGION,
        configuration: configuration(id),
        ...(guard ? { allowedAccountIds: [cos.accounts[0].uin] } : {}),
      }),
    });
    const put = { plain: [], guarded: [] };
    for (let i = 0; i < runs + 1; i++) {
      for (const [name, guard, requests] of [
        ['plain', false, 2],
        ['guarded', true, 3],
      ]) {
        ctx.step(`put-job ${name} ${i + 1}/${runs + 1}`);
        cos.clearRequestLog();
        const result = await runChild([process.execPath, HANDLER, 'put-job'], {
          env: env(`job-${i}`, guard),
        });
        if (result.code !== 0)
          throw new Error(`put-job ${name} exited with ${result.code}: ${result.stderr.trim()}`);
        if (cos.requestLog.length !== requests) {
          throw new Error(`put-job ${name} sent ${cos.requestLog.length} requests, expected ${requests}`);
        }
        if (i > 0) put[name].push(result.wallMs);
      }
    }
    const c = Object.fromEntries(Object.entries(chainSamples).map(([k, v]) => [k, summarize(v)]));
    const p = Object.fromEntries(Object.entries(put).map(([k, v]) => [k, summarize(v)]));
    const guardCost = p.guarded.median - p.plain.median;
    const lines = [
      '## 6. Credential chain',
      '',
      'Chain start with env keys only: a fresh `node` per run loads the chain (src/credentials bundled',
      `as dist/handler.js is) and resolves the key (${runs} runs, one warm-up not counted; what each`,
      'provisioner run pays for the chain).',
      '',
      table(
        ['step', 'ms'],
        [
          ['load the chain modules', fmtSummary(c.require, 2)],
          ['resolve the credential (env keys)', fmtSummary(c.resolve, 2)],
          ['chain start, total', fmtSummary(c.total, 2)],
        ],
      ),
      '',
      `Chain start: **${fmt(c.total.median, 2)} ms** (target: at most ${CHAIN_TARGET_MS} ms).`,
      '',
      `Account guard: \`node dist/handler.js put-job\` with and without \`allowedAccountIds\`, ${runs} runs each,`,
      'interleaved, against LocalCos (its STS route on the same port); the guard adds one',
      'GetCallerIdentity (3 requests instead of 2, confirmed on every run).',
      '',
      table(
        ['command', 'ms'],
        [
          ['put-job', fmtSummary(p.plain, 1)],
          ['put-job with allowedAccountIds', fmtSummary(p.guarded, 1)],
        ],
      ),
      '',
      `Guard cost per provisioner run: **${fmt(guardCost, 1)} ms** (difference of medians, one STS round trip`,
      'to a local endpoint; against the real STS add its network latency).',
      '',
    ];
    const readme = [
      `| chain start, env keys only | ${fmt(c.total.median, 2)} ms | ${CHAIN_TARGET_MS} ms (target) | ${fmt(c.total.median / CHAIN_TARGET_MS, 2)}x |`,
      `| put-job with the account guard | ${fmt(p.guarded.median, 0)} ms | ${fmt(p.plain.median, 0)} ms (without) | ${fmt(p.guarded.median / p.plain.median, 2)}x |`,
    ];
    const regressions =
      c.total.median > CHAIN_TARGET_MS
        ? [
            `chain start with env keys took ${fmt(c.total.median, 2)} ms (target at most ${CHAIN_TARGET_MS} ms)`,
          ]
        : [];
    return { markdown: lines.join('\n'), readme, regressions };
  } finally {
    await cos.close();
  }
}
