/**
 * A `node` that logs each start, for counting the Node processes a Terraform command starts:
 * a directory put first on PATH holds a sh script named `node` that appends its pid and
 * arguments to a log, then execs the real node with the same arguments, preloading a module
 * that appends the process's CPU time to `<log>.cpu` when it exits. The provider's wrapper
 * starts `node` from PATH (src/provider/plugin-files.ts), so every provider process passes here.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const shellQuote = (value) => `'${value.replace(/'/g, `'\\''`)}'`;

/** Writes the shim into `dir`; returns `{ env(log) }`: the variables that make `node` resolve to it, logging to `log`. */
export function writeNodeShim(dir) {
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'node');
  const cpuLog = join(dir, 'cpu-log.cjs');
  writeFileSync(
    cpuLog,
    [
      "const { appendFileSync } = require('node:fs');",
      "process.on('exit', () => {",
      '  const { user, system } = process.cpuUsage();',
      "  appendFileSync(process.env.BENCH_NODE_LOG + '.cpu', `${process.pid} ${user} ${system}\\n`);",
      '});',
      '',
    ].join('\n'),
  );
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      // One line per start: pid, then the arguments (the provider's name its install directory).
      'printf \'%s %s\\n\' "$$" "$*" >> "$BENCH_NODE_LOG"',
      `exec ${shellQuote(process.execPath)} --require ${shellQuote(cpuLog)} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return {
    /** Environment variables making `node` resolve to the shim and log to `log`. */
    env(log) {
      writeFileSync(log, '');
      writeFileSync(`${log}.cpu`, '');
      return { PATH: `${dir}:${process.env.PATH ?? ''}`, BENCH_NODE_LOG: log };
    },
  };
}

const logLines = (path) => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : []);

/**
 * `{ total, provider, other, cpuSeconds, exited }` of a shim log: Node starts, those whose
 * arguments contain `providerPath`, the others; CPU time (user + system) of the processes that
 * logged it at exit.
 */
export function countStarts(log, providerPath) {
  const lines = logLines(log);
  const provider = lines.filter((line) => line.includes(providerPath)).length;
  const cpu = logLines(`${log}.cpu`).map((line) => line.split(' ').map(Number));
  const cpuSeconds = cpu.reduce((sum, [, user, system]) => sum + (user + system) / 1e6, 0);
  return { total: lines.length, provider, other: lines.length - provider, cpuSeconds, exited: cpu.length };
}
