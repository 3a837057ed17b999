/**
 * Figure 6: what the credential chain costs each provider process: loading src/credentials
 * bundled as dist/provider.js bundles it and resolving the key from the environment, in a fresh
 * node each run (target at most 5 ms).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runJsonChild } from '../common/child.mjs';
import { ROOT, requireFromRoot, scratchDir } from '../common/paths.mjs';
import { fmt, fmtSummary, summarize, table } from '../common/stats.mjs';
import { PROVIDER_BUNDLE } from '../../scripts/bundle-provider.mjs';

const RUNS = 15;
const CHAIN_TARGET_MS = 5;

/** The chain alone, bundled with the options scripts/bundle-provider.mjs gives the provider. */
async function bundleChain() {
  const { build } = requireFromRoot('esbuild');
  const dir = scratchDir('credentials');
  const outfile = join(dir, 'chain.js');
  writeFileSync(join(dir, 'empty.js'), 'module.exports = {};\n');
  await build({
    ...PROVIDER_BUNDLE,
    entryPoints: [join(ROOT, 'src', 'credentials', 'credential-chain.ts')],
    outfile,
    legalComments: 'none',
  });
  return { bundle: outfile, empty: join(dir, 'empty.js') };
}

export async function run(ctx) {
  const runs = ctx.quick ? 2 : RUNS;
  ctx.step('bundling the chain');
  const { bundle, empty } = await bundleChain();
  // Keys from the environment are resolved without a request: any non-empty pair will do.
  const keys = {
    PATH: process.env.PATH ?? '',
    TENCENTCLOUD_SECRET_ID: 'AKIDbenchmarkkey0000000000000000000',
    TENCENTCLOUD_SECRET_KEY: 'benchmarksecret0000000000000000',
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
  const c = Object.fromEntries(Object.entries(chainSamples).map(([k, v]) => [k, summarize(v)]));
  const lines = [
    '## 6. Credential chain',
    '',
    'Chain start with env keys only: a fresh `node` per run loads the chain (src/credentials bundled',
    `as dist/provider.js bundles it) and resolves the key (${runs} runs, one warm-up not counted; what each`,
    'provider process pays for the chain).',
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
  ];
  const readme = [
    `| chain start, env keys only | ${fmt(c.total.median, 2)} ms | ${CHAIN_TARGET_MS} ms (target) | ${fmt(c.total.median / CHAIN_TARGET_MS, 2)}x |`,
  ];
  const regressions =
    c.total.median > CHAIN_TARGET_MS
      ? [`chain start with env keys took ${fmt(c.total.median, 2)} ms (target at most ${CHAIN_TARGET_MS} ms)`]
      : [];
  return { markdown: lines.join('\n'), readme, regressions };
}
