/**
 * A `node` that logs each start, for counting the Node processes a Terraform command starts:
 * a directory put first on PATH holds a sh script named `node` that appends its pid and
 * arguments to a log, then execs the real node with the same arguments. The provider's wrapper
 * starts `node` from PATH (src/provider/plugin-files.ts), so every provider process passes here.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const shellQuote = (value) => `'${value.replace(/'/g, `'\\''`)}'`;

/** Writes the shim into `dir`; returns `{ dir, log(path) }` where `env(log)` sets PATH and the log. */
export function writeNodeShim(dir) {
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'node');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      // One line per start: pid, then the arguments (the provider's is its bundle's path).
      'printf \'%s %s\\n\' "$$" "$*" >> "$BENCH_NODE_LOG"',
      `exec ${shellQuote(process.execPath)} "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return {
    /** Environment variables making `node` resolve to the shim and log to `log`. */
    env(log) {
      writeFileSync(log, '');
      return { PATH: `${dir}:${process.env.PATH ?? ''}`, BENCH_NODE_LOG: log };
    },
  };
}

/** `{ total, provider, other }` Node starts in a shim log; `provider` ran `bundleName`. */
export function countStarts(log, bundleName) {
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const provider = lines.filter((line) => line.includes(bundleName)).length;
  return { total: lines.length, provider, other: lines.length - provider };
}
