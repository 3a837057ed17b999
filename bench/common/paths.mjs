/** Where the bench finds the project and keeps its scratch files (.bench-tmp/, git-ignored). */
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TMP = join(ROOT, '.bench-tmp');

/** `require` resolving from the project root: the compiled library (lib/) and its dependencies. */
export const requireFromRoot = createRequire(join(ROOT, 'package.json'));

/**
 * The compiled library (`npm run bench` builds it first): the root entry together with the
 * parts the bench drives directly (the package root exports the construct only; the local
 * endpoint, reports and client are subpaths, and the equivalent stacks use construct internals).
 */
export function library() {
  return Object.assign(
    {},
    ...['model', 'cos', 'report', 'emulator', 'construct'].map((part) =>
      requireFromRoot(`./lib/${part}/index.js`),
    ),
    requireFromRoot('./lib/index.js'),
  );
}

/** A fresh, empty scratch directory under .bench-tmp/. */
export function scratchDir(name) {
  const dir = join(TMP, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
