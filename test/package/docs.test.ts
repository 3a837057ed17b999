/**
 * The docs stand alone: every relative link of the README and docs/ resolves in the package
 * (what they link is shipped: examples/, bench/RESULTS.md), no packed file names a path of a
 * development machine, and the entry-point tables name exactly package.json `exports`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  repository?: unknown;
  homepage?: unknown;
  exports: Record<string, unknown>;
};

// One `npm pack` (without building: the file list, not the build, is checked here).
const packed: string[] = (
  JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as { files: { path: string }[] }[]
)[0].files.map((file) => file.path);
const markdown = packed.filter((file) => file === 'README.md' || /^docs\/.*\.md$/.test(file));

/** Markdown outside fenced code blocks. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '');
}

/** GitHub's heading anchors. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6} +(.+)$/gm)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** [file, link target] of every inline link. */
const links: [string, string][] = markdown.flatMap((file) =>
  [...prose(read(file)).matchAll(/\]\(([^)\s]+)\)/g)].map((m): [string, string] => [file, m[1]]),
);

describe('the docs in the package', () => {
  it('are the README and every docs/ page, with what they link (examples/, bench/RESULTS.md)', () => {
    expect(markdown).toContain('README.md');
    expect(markdown).toContain('docs/architecture.md');
    expect(packed).toEqual(expect.arrayContaining(['examples/main.ts', 'bench/RESULTS.md']));
    expect(links.length).toBeGreaterThan(20);
  });

  it('name no repository address: the project has none published yet, so no link may guess one', () => {
    expect({ repository: pkg.repository, homepage: pkg.homepage }).toEqual({
      repository: undefined,
      homepage: undefined,
    });
  });

  it('link only to packed files or public pages', () => {
    const broken: string[] = [];
    for (const [file, target] of links) {
      const [path, fragment] = target.split('#') as [string, string | undefined];
      if (/^https?:/.test(path)) continue;
      const resolved = path === '' ? file : posix.normalize(posix.join(dirname(file), path));
      const shipped =
        packed.includes(resolved) || packed.some((f) => f.startsWith(`${resolved.replace(/\/$/, '')}/`));
      if (!shipped) {
        broken.push(`${file}: ${target} (not in the package: ship it, or name it as code text)`);
      } else if (
        fragment !== undefined &&
        resolved.endsWith('.md') &&
        !anchors(read(resolved)).has(fragment)
      ) {
        broken.push(`${file}: ${target} (no heading #${fragment} in ${resolved})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('name no path of a development machine, in any packed text file', () => {
    const machinePath =
      /(?:^|[\s"'`(=])(?:\/(?:work|home|Users|root|mnt)\/|[A-Za-z]:\\Users\\)|\.\.\/shared\//;
    const found = packed
      .filter((file) => /\.(?:md|js|ts|map|json|txt)$/.test(file))
      .flatMap((file) =>
        read(file)
          .split('\n')
          .map((line, index) => [file, index + 1, line] as const)
          .filter(([, , line]) => machinePath.test(line))
          .map(([f, n, line]) => `${f}:${n}: ${line.trim().slice(0, 120)}`),
      );
    expect(found).toEqual([]);
  });
});

describe('the entry-point tables', () => {
  const entries = Object.keys(pkg.exports)
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`))
    .sort();

  /** `cdktf-cos-inventory...` of the first column of the table under `heading`, with the row. */
  function table(file: string, heading: RegExp): Map<string, string> {
    const text = read(file);
    const start = text.search(heading);
    expect(start).toBeGreaterThanOrEqual(0);
    const rows = new Map<string, string>();
    for (const line of text.slice(start).split('\n').slice(1)) {
      if (line.startsWith('#')) break;
      const match = /^\| `(cdktf-cos-inventory[^`]*)` +\|(.*)$/.exec(line);
      if (match) rows.set(match[1], match[2]);
    }
    return rows;
  }

  /** The names an entry's index.ts exports (values and types). */
  function exported(entry: string): Set<string> {
    const file =
      entry === pkg.name
        ? 'src/index.ts'
        : `src/${entry === `${pkg.name}/local-cos` ? 'emulator' : entry.split('/')[1]}/index.ts`;
    const names = new Set<string>();
    for (const [, list] of read(file).matchAll(/export (?:type )?\{([^}]*)\}/g)) {
      for (const item of list.split(',')) {
        const name = item
          .trim()
          .replace(/^type /, '')
          .split(/ as /)
          .pop()!
          .trim();
        if (name !== '') names.add(name);
      }
    }
    return names;
  }

  it.each([
    ['README.md', /^### Entry points$/m],
    ['docs/architecture.md', /^## Entry points/m],
  ])('%s lists every entry of package.json exports, and only names those entries export', (file, heading) => {
    const rows = table(file, heading);
    expect([...rows.keys()].sort()).toEqual(entries);
    for (const [entry, row] of rows) {
      const names = [...row.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]);
      const known = exported(entry);
      expect({ entry, unknown: names.filter((name) => !known.has(name)) }).toEqual({ entry, unknown: [] });
    }
  });
});
