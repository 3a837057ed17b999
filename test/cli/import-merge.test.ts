/**
 * `import --into FILE --construct-id ID` adds the missing jobs to that construct's `jobs` and an
 * `importJob(id)` call for each, never a second construct for the bucket: the edit in process (formatting through prettier's command
 * line, as jest cannot load its API), and once end to end against LocalCos.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as ts from 'typescript';
import { jobsArrayText, mergeJobs, type Format } from '../../src/cli/import-merge';
import type { InventoryJob } from '../../src/construct/inventory-job';
import type { LocalCos } from '../../src/emulator';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { ROOT } from '../cli-process';
import { type Kit, runCli, startKit } from '../kit';
import {
  expectedImports,
  loadModule,
  prettierLeavesUnchanged,
  putThroughSdk,
  synthImported,
} from './helpers';

const format: Format = async (source, width) =>
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/prettier/bin/prettier.cjs'),
      '--stdin-filepath',
      'x.ts',
      '--print-width',
      String(width),
    ],
    {
      cwd: ROOT,
      input: source,
      encoding: 'utf8',
    },
  );

const SOURCE = 'logs-1250000000';
const REGION = 'ap-guangzhou';

/** A hand-written module declaring the bucket with the given jobs text. */
function moduleWith(jobs: string): string {
  return [
    "import type { Construct } from 'constructs';",
    "import { BucketInventory } from 'cdktf-cos-inventory';",
    '',
    '// Our logs bucket.',
    'export function logs(scope: Construct): BucketInventory {',
    "  return new BucketInventory(scope, 'logs', {",
    `    bucket: '${SOURCE}',`,
    `    region: '${REGION}',`,
    '    managePolicy: false,',
    ...(jobs === '' ? [] : [`    ${jobs}`]),
    '  });',
    '}',
    '',
  ].join('\n');
}

const daily: InventoryJob = { id: 'daily', destination: { bucket: 'reports-1250000000' } };
const weekly: InventoryJob = {
  id: 'weekly',
  destination: { bucket: 'reports-1250000000', prefix: 'w' },
  schedule: { frequency: 'Weekly' },
};

const merge = (source: string, jobs: InventoryJob[] = [daily, weekly], constructId = 'logs') =>
  mergeJobs(ts, { source, fileName: 'inventory.ts', constructId, bucket: SOURCE, jobs, format });

describe('mergeJobs', () => {
  it('adds only the missing jobs after the declared ones, and an importJob call for each; the rest of the file keeps its bytes', async () => {
    const source = moduleWith("jobs: [{ id: 'daily', destination: { bucket: 'reports-1250000000' } }],");
    const result = await merge(source);
    expect(result.added).toEqual(['weekly']);
    expect(result.declared).toEqual(['daily']);
    expect(result.text).toBe(
      [
        "import type { Construct } from 'constructs';",
        "import { BucketInventory } from 'cdktf-cos-inventory';",
        '',
        '// Our logs bucket.',
        'export function logs(scope: Construct): BucketInventory {',
        "  const inventory = new BucketInventory(scope, 'logs', {",
        `    bucket: '${SOURCE}',`,
        `    region: '${REGION}',`,
        '    managePolicy: false,',
        '    jobs: [',
        "      { id: 'daily', destination: { bucket: 'reports-1250000000' } },",
        '      {',
        "        id: 'weekly',",
        "        destination: { bucket: 'reports-1250000000', prefix: 'w' },",
        "        schedule: { frequency: 'Weekly' },",
        '      },',
        '    ],',
        '  });',
        '  // Adopt the jobs cos already holds: terraform imports them (reads only) instead of creating them.',
        "  inventory.importJob('weekly');",
        '  return inventory;',
        '}',
        '',
      ].join('\n'),
    );
    expect(prettierLeavesUnchanged(result.text)).toBe(true);
    const { configurations, imports } = synthImported(loadModule(result.text));
    expect(configurations.map((c) => c.Id)).toEqual(['daily', 'weekly']);
    expect(imports).toEqual(expectedImports('logs', SOURCE, REGION, ['weekly']));

    // Into the array as now written, one element per line: after the last one; the call after
    // the calls already there.
    const monthly: InventoryJob = { id: 'monthly', destination: { bucket: 'reports-1250000000' } };
    const again = await merge(result.text, [daily, weekly, monthly]);
    expect(again.added).toEqual(['monthly']);
    expect(again.text.startsWith(result.text.slice(0, result.text.lastIndexOf('},') + 2))).toBe(true);
    expect(again.text).toContain(
      "  inventory.importJob('weekly');\n  inventory.importJob('monthly');\n  return inventory;\n}\n",
    );
    expect(prettierLeavesUnchanged(again.text)).toBe(true);
    const merged = synthImported(loadModule(again.text));
    expect(merged.configurations.map((c) => c.Id)).toEqual(['daily', 'monthly', 'weekly']);
    expect(merged.imports).toEqual(expectedImports('logs', SOURCE, REGION, ['weekly', 'monthly']));
  });

  it('a construct kept in a const gets the calls after it; a bare one is kept in a new const of a free name', async () => {
    const kept = moduleWith('jobs: [],').replace(
      "  return new BucketInventory(scope, 'logs', {",
      "  const logs = new BucketInventory(scope, 'logs', {",
    );
    const withConst = await merge(kept.replace('  });\n}', '  });\n  return logs;\n}'));
    expect(withConst.text).toContain(
      "  });\n  // Adopt the jobs cos already holds: terraform imports them (reads only) instead of creating them.\n  logs.importJob('daily');\n  logs.importJob('weekly');\n  return logs;\n}",
    );
    expect(prettierLeavesUnchanged(withConst.text)).toBe(true);

    // A statement `new BucketInventory(...)`, in a file that already uses the name `inventory`.
    const bare = [
      "import type { Construct } from 'constructs';",
      "import { BucketInventory } from 'cdktf-cos-inventory';",
      '',
      'export function logs(scope: Construct, inventory: string): void {',
      "  new BucketInventory(scope, 'logs', {",
      '    bucket: inventory,',
      "    region: 'ap-guangzhou',",
      '    managePolicy: false,',
      '    jobs: [],',
      '  });',
      '}',
      '',
    ].join('\n');
    const result = await merge(bare);
    expect(result.text).toContain("  const inventory2 = new BucketInventory(scope, 'logs', {");
    expect(result.text).toContain('  });\n  // Adopt the jobs');
    expect(result.text).toContain("  inventory2.importJob('daily');\n  inventory2.importJob('weekly');\n}\n");
    expect(prettierLeavesUnchanged(result.text)).toBe(true);
  });

  it('--jobs-only prints the jobs array alone, ready to paste', async () => {
    const text = await jobsArrayText([daily, weekly], format);
    expect(text).toMatch(
      /^\[\n {2}\{ id: 'daily', destination: \{ bucket: 'reports-1250000000' \} \},\n[\s\S]*\n\]\n$/,
    );
    expect(text).not.toMatch(/import|BucketInventory/);
  });

  it('fills an empty jobs array, and adds a jobs prop when there is none', async () => {
    for (const jobs of ['jobs: [],', '']) {
      const result = await merge(moduleWith(jobs));
      expect(result.added).toEqual(['daily', 'weekly']);
      expect(prettierLeavesUnchanged(result.text)).toBe(true);
      const { configurations, imports } = synthImported(loadModule(result.text));
      expect(configurations.map((c) => c.Id)).toEqual(['daily', 'weekly']);
      expect(imports).toEqual(expectedImports('logs', SOURCE, REGION, ['daily', 'weekly']));
    }
  });

  it('leaves the file alone when every job is declared', async () => {
    const source = moduleWith(
      "jobs: [{ id: 'daily', destination: { bucket: 'x-1250000000' } }, { ...{}, id: 'weekly', destination: { bucket: 'x-1250000000' } }],",
    );
    expect(await merge(source)).toEqual({ text: source, added: [], declared: ['daily', 'weekly'] });
  });

  it.each([
    [
      'an unknown construct id',
      moduleWith(''),
      'other',
      /no new BucketInventory\(scope, "other", \.\.\.\) in the file \(found: logs\)/,
    ],
    [
      'a job without a literal id',
      moduleWith('jobs: [someJob],'),
      'logs',
      /jobs\[0\] of BucketInventory "logs" at inventory\.ts:10:\d+ has no literal id/,
    ],
    [
      'jobs built elsewhere',
      moduleWith('jobs: makeJobs(),'),
      'logs',
      /the jobs of BucketInventory "logs" at inventory\.ts:10:5 are not an array literal/,
    ],
    [
      'another bucket',
      moduleWith('').replace(SOURCE, 'other-1250000000'),
      'logs',
      /BucketInventory "logs" declares bucket other-1250000000, not logs-1250000000/,
    ],
    [
      'a construct neither kept nor returned',
      moduleWith('')
        .replace(
          'export function logs(scope: Construct): BucketInventory {',
          'export const logs = (scope: Construct) =>',
        )
        .replace("  return new BucketInventory(scope, 'logs', {", "  new BucketInventory(scope, 'logs', {")
        .replace('  });\n}', '  });'),
      'logs',
      /the BucketInventory at inventory\.ts:6:3 is neither kept in a const nor returned, so the importJob calls that adopt the jobs have no place/,
    ],
  ])('refuses %s, naming the file and what to do', async (_label, source, id, message) => {
    await expect(merge(source, [daily], id)).rejects.toMatchObject({
      message: expect.stringMatching(message),
      exitCode: 2,
    });
  });
});

describe('cos-inventory import --into', () => {
  let kit: Kit;
  let local: LocalCos;
  let dir: string;
  beforeAll(async () => {
    kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `reports-1250000000@${REGION}`] });
    local = kit.cos;
    dir = fs.mkdtempSync(join(os.tmpdir(), 'import-into-'));
  });
  afterAll(async () => {
    await kit.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('exits 2 for a file it cannot read (before any request) or a construct it cannot find', async () => {
    const file = join(dir, 'other.ts');
    fs.writeFileSync(file, moduleWith(''));
    local.clearRequestLog();
    const base = ['import', '--bucket', SOURCE, '--region', REGION, '--construct-id'];
    const [missing, unknown] = await Promise.all([
      runCli([...base, 'logs', '--into', join(dir, 'nope.ts')], kit.env()),
      runCli([...base, 'archive', '--into', file], kit.env()),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /code=ImportTarget .*import --into \S+nope\.ts: cannot read: ENOENT; hint: give the typescript file/,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /no new BucketInventory\(scope, "archive", \.\.\.\) in the file \(found: logs\)/,
    );
    // The unreadable file cost no request; the unknown construct only the listing.
    expect(local.requestLog.map((e) => e.method)).toEqual(['GET']);
    expect(fs.readFileSync(file, 'utf8')).toBe(moduleWith(''));
  });

  it('adds the jobs cos holds to the declared construct, and says which were already there', async () => {
    const job = (id: string): InventoryConfiguration => ({
      Id: id,
      IsEnabled: 'true',
      Destination: {
        COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::reports-1250000000` },
      },
      Schedule: { Frequency: 'Daily' },
      IncludedObjectVersions: 'Current',
      OptionalFields: ['Size'],
    });
    await putThroughSdk(local, SOURCE, REGION, [job('daily'), job('extra-1'), job('extra-2')]);
    const file = join(dir, 'inventory.ts');
    fs.writeFileSync(
      file,
      moduleWith(
        "jobs: [{ id: 'daily', destination: { bucket: 'reports-1250000000' }, optionalFields: ['Size'] }],",
      ),
    );
    const args = ['import', '--bucket', SOURCE, '--region', REGION, '--into', file, '--construct-id', 'logs'];
    const result = await runCli(args, kit.env());
    expect(result.stderr).toBe(
      'cos-inventory import: daily already declared by logs: left as written (cos-inventory drift compares them with cos)\n' +
        `cos-inventory import: 2 of 3 job(s) of ${SOURCE} imported into logs of ${file}\n`,
    );
    expect(result.code).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.match(/new BucketInventory/g)).toHaveLength(1);
    const { configurations, imports } = synthImported(loadModule(text));
    expect(configurations.map((c) => c.Id)).toEqual(['daily', 'extra-1', 'extra-2']);
    // Only the jobs added are adopted: daily was declared before, so Terraform holds it already.
    expect(imports).toEqual(expectedImports('logs', SOURCE, REGION, ['extra-1', 'extra-2']));
  });
});
