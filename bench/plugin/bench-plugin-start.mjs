/**
 * Figure 6: the start of a provider plugin written on src/tfplugin, the test-only
 * `hashicorp/external` stand-in as `npm run terraform-mirror` installs it (a sh wrapper that
 * execs node on a loader running one bundled file with V8's code cache). Timed from spawn to the go-plugin handshake line on stdout,
 * which is when Terraform can dial; baseline, interleaved: the same wrapper shape exec'ing
 * `node -e` that prints one line (node's own start). With a `terraform` on PATH, also the
 * plugin processes and calls of `terraform plan` and `apply` on a one-data-source stack.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeMirror, EXTERNAL_ADDRESS, EXTERNAL_VERSION } from '../../scripts/terraform-mirror.mjs';
import {
  expectHandshake,
  handshakeEnvironment,
  timeToFirstLine,
  writeNodeLineBaseline,
} from '../common/first-line.mjs';
import { scratchDir } from '../common/paths.mjs';
import { fmt, fmtRatio, fmtSummary, summarize, table } from '../common/stats.mjs';

const RUNS = 21;

function terraformCalls(ctx, dir, cliConfig) {
  try {
    execFileSync('terraform', ['version'], {
      stdio: 'ignore',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
  } catch {
    return undefined;
  }
  const stackDir = join(dir, 'stack');
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(
    join(stackDir, 'main.tf'),
    `terraform {
  required_providers {
    external = { source = "hashicorp/external", version = ">= 2.3" }
  }
}
data "external" "echo" {
  program = [${JSON.stringify(process.execPath)}, "-e", "process.stdin.pipe(process.stdout)"]
  query   = { hello = "world" }
}
output "result" { value = data.external.echo.result }
`,
  );
  const rows = [];
  for (const args of [['init'], ['plan'], ['apply', '-auto-approve']]) {
    const log = join(dir, `calls-${args[0]}.log`);
    writeFileSync(log, '');
    ctx.step(`terraform ${args[0]} with the call log`);
    const started = performance.now();
    execFileSync('terraform', [...args, '-input=false', '-no-color'], {
      cwd: stackDir,
      stdio: 'ignore',
      env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TFPLUGIN_CALL_LOG: log },
    });
    const seconds = (performance.now() - started) / 1000;
    const byPid = new Map();
    for (const line of readFileSync(log, 'utf8').trim().split('\n').filter(Boolean)) {
      const [pid, method] = line.split(' ');
      byPid.set(pid, [...(byPid.get(pid) ?? []), method]);
    }
    const calls = [...byPid.values()].map((list) =>
      list.filter(
        (method) => !['StreamStdio', 'StartStream', 'GetProviderSchema', 'Shutdown'].includes(method),
      ),
    );
    rows.push([
      `\`terraform ${args.join(' ')}\``,
      String(byPid.size),
      calls.map((list) => (list.length === 0 ? '(schema only)' : list.join(', '))).join('; '),
      fmt(seconds, 2),
    ]);
  }
  return rows;
}

export async function run(ctx) {
  const runs = ctx.quick ? 1 : RUNS;
  const dir = scratchDir('plugin');
  ctx.step('writing the mirror (npm run terraform-mirror)');
  const cliConfig = await writeMirror(join(dir, 'mirror'));
  const [platform] = readdirSync(join(dir, 'mirror', EXTERNAL_ADDRESS, EXTERNAL_VERSION));
  const provider = join(
    dir,
    'mirror',
    EXTERNAL_ADDRESS,
    EXTERNAL_VERSION,
    platform,
    `terraform-provider-external_v${EXTERNAL_VERSION}`,
  );
  const bundleKiB = readFileSync(join(dirname(provider), 'provider.js')).length / 1024;
  const baseline = join(dir, 'node-line');
  writeNodeLineBaseline(baseline);
  const env = { ...process.env, ...handshakeEnvironment().env };
  const samples = { ours: [], baseline: [] };
  ctx.step(`starting the provider and the baseline ${runs} times each, interleaved`);
  for (let i = 0; i <= runs; i += 1) {
    const ours = await timeToFirstLine(provider, env);
    expectHandshake(ours.line);
    const base = await timeToFirstLine(baseline, env);
    if (i === 0) continue; // warm-up (file system cache)
    samples.ours.push(ours.ms);
    samples.baseline.push(base.ms);
  }
  const s = { ours: summarize(samples.ours), baseline: summarize(samples.baseline) };
  const commands = ctx.quick ? undefined : terraformCalls(ctx, dir, cliConfig);
  const lines = [
    '## 7. Provider plugin start',
    '',
    `From spawn to the handshake line on stdout, ${runs} starts each, interleaved (one warm-up round not`,
    `counted). The provider: a sh wrapper exec'ing node on one ${fmt(bundleKiB, 0)} KiB bundle (with V8's code cache), which loads gRPC,`,
    'protobuf and msgpack, parses the protocol definition, creates a certificate and listens with mutual TLS.',
    '',
    table(
      ['process', 'ms to the first line'],
      [
        ['`hashicorp/external` stand-in (src/tfplugin)', fmtSummary(s.ours, 0)],
        ["same wrapper, `node -e` printing a line (node's own start)", fmtSummary(s.baseline, 0)],
      ],
    ),
    '',
    `Our part: ${fmt(s.ours.median - s.baseline.median, 0)} ms per start (**${fmtRatio(s.ours.median / s.baseline.median)}** of node's start).`,
    '',
  ];
  if (commands) {
    lines.push(
      'Terraform 1.11 with one `data "external"`: plugin processes per command and what each was asked',
      'besides the stdio and broker streams, `GetProviderSchema` and `Shutdown` (from `TFPLUGIN_CALL_LOG`):',
      '',
      table(['command', 'processes', 'other calls per process', 's'], commands),
      '',
    );
  }
  const readme = [
    `| provider plugin start (to the handshake line) | ${fmt(s.ours.median, 0)} ms | ${fmt(s.baseline.median, 0)} ms: node's start | ${fmtRatio(s.ours.median / s.baseline.median)} |`,
  ];
  return { markdown: lines.join('\n'), readme, regressions: [] };
}
