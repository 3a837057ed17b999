import * as fs from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import type { LocalCos } from '../../src/emulator';
import { diffConfigurations, normalizeRemoteConfiguration } from '../../src/model/compare';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { listAllInventories } from '../../src/cos/inventory';
import type { CosClient } from '../../src/cos/client';
import { generateConfigurations } from '../fixtures/generated-configurations';
import { endpointEnv, remoteIds, runCli, startKit, type Kit } from '../kit';
import {
  expectedImports,
  type ImportBlock,
  loadModule,
  prettierLeavesUnchanged,
  putThroughSdk,
  synthImported,
  typeCheck,
} from './helpers';

const REGION = 'ap-guangzhou';
const SOURCE = 'logs-1250000000';
const DESTINATIONS = ['reports-1250000000', 'archive-1250000000'];

/** Every job of the bucket, canonical, as COS lists it. */
async function remoteJobs(client: CosClient, bucket = SOURCE): Promise<Map<string, InventoryConfiguration>> {
  const listing = await listAllInventories(client, { bucket, region: REGION });
  const configs = listing.configurations.map((raw) => normalizeRemoteConfiguration(raw));
  return new Map(configs.map((config) => [config.Id, config]));
}

function sortByTo(blocks: readonly ImportBlock[]): ImportBlock[] {
  return [...blocks].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}

/** Import -> compile -> synth gives exactly what the bucket holds. */
function expectSameAsRemote(
  synthesized: readonly InventoryConfiguration[],
  remote: ReadonlyMap<string, InventoryConfiguration>,
): void {
  expect(synthesized.map((c) => c.Id).sort()).toEqual([...remote.keys()].sort());
  const drifted = synthesized
    .map((config) => ({ id: config.Id, fields: diffConfigurations(config, remote.get(config.Id)!) }))
    .filter((d) => d.fields.length > 0);
  expect(drifted).toEqual([]);
}

describe('cos-inventory import', () => {
  let kit: Kit;
  let local: LocalCos;

  beforeEach(async () => {
    kit = await startKit({ buckets: [SOURCE, ...DESTINATIONS].map((bucket) => `${bucket}@${REGION}`) });
    local = kit.cos;
  });
  afterEach(async () => {
    await kit.close();
  });

  it('prints a formatted module that compiles, type-checks and synthesizes the jobs exactly', async () => {
    const configs = generateConfigurations(40, 7, { region: REGION, destinations: DESTINATIONS });
    await putThroughSdk(local, SOURCE, REGION, configs);
    const result = await runCli(['import', '--bucket', SOURCE, '--region', REGION], endpointEnv(local));
    expect(result.stderr).toBe(`cos-inventory import: 40 of 40 job(s) of ${SOURCE} imported\n`);
    expect(result.code).toBe(0);

    const text = result.stdout;
    // Only constructs and this package, and one exported function.
    expect([...text.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1])).toEqual([
      'constructs',
      'cdktf-cos-inventory',
    ]);
    expect(text).toMatch(/^export function logsInventory\(scope: Construct\): BucketInventory \{$/m);
    expect(text).toContain("const inventory = new BucketInventory(scope, 'logs', {");
    // Each job adopted by an import block: the first apply reads it and writes nothing.
    const ids = configs.map((c) => c.Id);
    const calls = [...text.matchAll(/^ {2}inventory\.importJob\('([^']+)'\);$/gm)].map((m) => m[1]);
    expect([...calls].sort()).toEqual([...ids].sort());
    expect(text).toMatch(/\n {2}inventory\.importJob\('[^']+'\);\n {2}return inventory;\n\}\n$/);
    // Props, not the SDK's shapes.
    expect(text).not.toMatch(/COSBucketDestination|IsEnabled|qcs::cos:/);
    expect(prettierLeavesUnchanged(text)).toBe(true);
    expect(prettierLeavesUnchanged(text.replace('  return', 'return'))).toBe(false);
    expect(typeCheck(text)).toEqual([]);

    const { inventory, configurations, imports } = synthImported(loadModule(text));
    expect(inventory.bucket).toBe(SOURCE);
    expectSameAsRemote(configurations, await remoteJobs(kit.client));
    expect(sortByTo(imports)).toEqual(sortByTo(expectedImports('logs', SOURCE, REGION, ids)));
    // The prettier check's child process and a strict type-check of the whole package.
  }, 300_000);

  it('round-trips 1000 generated jobs (every page of the listing) and writes --out', async () => {
    const configs = generateConfigurations(1000, 99, { region: REGION, destinations: DESTINATIONS });
    await putThroughSdk(local, SOURCE, REGION, configs);
    // Ten pages of the raw listing.
    expect(await remoteIds(kit.sdk, SOURCE, REGION)).toEqual(configs.map((c) => c.Id).sort());
    const dir = fs.mkdtempSync(join(os.tmpdir(), 'import-out-'));
    try {
      const out = join(dir, 'logs-inventory.ts');
      const result = await runCli(
        ['import', '--bucket', SOURCE, '--region', REGION, '--construct-id', 'Logs', '--out', out],
        endpointEnv(local),
      );
      expect(result.stderr).toBe(
        `cos-inventory import: 1000 of 1000 job(s) of ${SOURCE} imported into ${out}\n`,
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toBe('');
      const text = fs.readFileSync(out, 'utf8');
      expect(text).toContain("const inventory = new BucketInventory(scope, 'Logs', {");
      const { configurations, imports } = synthImported(loadModule(text));
      expectSameAsRemote(configurations, await remoteJobs(kit.client));
      expect(imports).toHaveLength(1000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // 1000 puts, the module of 1000 jobs formatted, a synth of 1000 jobs.
  }, 300_000);

  it('imports only the --id jobs, and says which were not found', async () => {
    const configs = generateConfigurations(5, 3, { region: REGION, destinations: DESTINATIONS });
    await putThroughSdk(local, SOURCE, REGION, configs);
    const [first, second] = configs.map((c) => c.Id);
    const result = await runCli(
      ['import', '--bucket', SOURCE, '--region', REGION, '--id', first, '--id', second, '--id', 'nope'],
      endpointEnv(local),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cos-inventory import: job nope: not found in bucket ${SOURCE}\n`);
    expect(result.stderr).toContain(`2 of 2 job(s) of ${SOURCE} imported`);
    const { configurations, imports } = synthImported(loadModule(result.stdout));
    expect(configurations.map((c) => c.Id).sort()).toEqual([first, second].sort());
    expect(sortByTo(imports)).toEqual(sortByTo(expectedImports('logs', SOURCE, REGION, [first, second])));
  }, 180_000);

  it('--jobs-only prints the array and says how to adopt the jobs', async () => {
    const configs = generateConfigurations(2, 5, { region: REGION, destinations: DESTINATIONS });
    await putThroughSdk(local, SOURCE, REGION, configs);
    const result = await runCli(
      ['import', '--bucket', SOURCE, '--region', REGION, '--jobs-only'],
      endpointEnv(local),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\[\n/);
    expect(result.stdout).not.toContain('importJob');
    expect(result.stderr).toBe(
      "cos-inventory import: adopt the jobs without writing to cos: call importJob('<job id>') on the BucketInventory for each\n" +
        `cos-inventory import: 2 of 2 job(s) of ${SOURCE} imported\n`,
    );
  }, 60_000);

  it('names each job it cannot express on stderr with the reason, and exits 1', async () => {
    const [plain] = generateConfigurations(1, 1, { region: REGION, destinations: DESTINATIONS });
    const storageClass = {
      ...plain,
      Id: 'by-class',
      Filter: { And: { Prefix: 'a/', StorageClass: 'STANDARD' } },
    };
    const goStyle = { ...plain, Id: 'go-style', Filter: { And: { Prefix: 'go/' } } };
    await putThroughSdk(local, SOURCE, REGION, [plain, storageClass, goStyle]);
    const result = await runCli(['import', '--bucket', SOURCE, '--region', REGION], endpointEnv(local));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'cos-inventory import: job by-class left out: Filter.And.StorageClass: the construct has no storage-class filter',
    );
    const { configurations } = synthImported(loadModule(result.stdout));
    const ids = configurations.map((c) => c.Id);
    expect(ids).toContain(plain.Id);
    expect(ids).not.toContain('by-class');
    // A prefix-only And is imported exactly when the model equates it with a plain prefix;
    // otherwise it is named, never approximated.
    const equated = diffConfigurations({ ...goStyle, Filter: { Prefix: 'go/' } }, goStyle).length === 0;
    if (equated) {
      expect(ids).toContain('go-style');
    } else {
      expect(ids).not.toContain('go-style');
      expect(result.stderr).toMatch(
        /job go-style left out: the construct cannot write it exactly \(it would differ in Filter\.[A-Za-z.]+/,
      );
    }
    expect(result.stderr).toContain(`${ids.length} of 3 job(s) of ${SOURCE} imported`);
  }, 180_000);

  it('answers a missing bucket and bad flags with one clear line', async () => {
    const missing = await runCli(
      ['import', '--bucket', 'nope-1250000000', '--region', REGION],
      endpointEnv(local),
    );
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^cos-inventory import: bucket=nope-1250000000 .*code=NoSuchBucket/);
    const bad = await runCli(['import', '--bucket', SOURCE, '--region', REGION, '--construct-id', '9x'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("option '--construct-id <id>' argument '9x' is invalid");
  }, 180_000);
});
