/**
 * cdktf 0.21 and CDK Terrain (cdktn) 0.24 synthesize the same thing: every example stack and a
 * set of fixture stacks covering the construct's props (generated jobs of every shape, an
 * account guard, an import, the deprecated props and construct, a shared destination, a custom
 * node command, the HCL rendering) are synthesized by `app.synth()` under each framework, and
 * the output directories must hold the same files with the same content: `cdk.tf`, the upgrade
 * blocks companion and the provider's files byte for byte at the same path, `cdk.tf.json` and the manifests as the same JSON document (keys in the same order;
 * only the whitespace of empty objects differs). Only the framework's own version, in the `//`
 * metadata and the manifest, may differ.
 *
 * This is what lets the cdktn run (jest.cdktn.config.js) skip the real-Terraform tests but one:
 * Terraform reads the synthesized directory and nothing else, so identical directories plan and
 * apply identically; the one real apply under cdktn proves the chain end to end.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type * as cdk from 'cdktf';
import type * as construct from '../../src/construct';
import type * as model from '../../src/construct/job-from-configuration';
import { UPGRADE_COMPANION_FILE } from '../../src/construct/upgrade-blocks';
import { generateConfigurations } from '../fixtures/generated-configurations';

type Framework = 'cdktf' | 'cdktn';

interface Loaded {
  readonly cdk: typeof cdk;
  readonly construct: typeof construct;
  readonly jobsFromConfigurations: typeof model.jobsFromConfigurations;
  readonly examples: {
    readonly MultiBucketStack: new (scope: cdk.App, id: string) => cdk.TerraformStack;
    readonly SeedSamplesStack: new (scope: cdk.App, id: string) => cdk.TerraformStack;
  };
}

/**
 * The sources and examples loaded afresh with `cdktf` resolved to `framework`: jest's module
 * registry is isolated, so both copies live side by side in this process. (Under
 * jest.cdktn.config.js the bare `cdktf` already maps to cdktn; `jest.requireActual` of the real
 * package names bypasses that mapping.)
 */
/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded inside the isolated registry */
function load(framework: Framework): Loaded {
  let loaded: Loaded | undefined;
  jest.isolateModules(() => {
    jest.doMock('cdktf', () => jest.requireActual(framework === 'cdktf' ? 'cdktf/lib/index.js' : 'cdktn'));
    loaded = {
      cdk: require('cdktf') as typeof cdk,
      construct: require('../../src/construct') as typeof construct,
      jobsFromConfigurations: (require('../../src/construct/job-from-configuration') as typeof model)
        .jobsFromConfigurations,
      examples: {
        ...(require('../../examples/multi-bucket') as Pick<Loaded['examples'], 'MultiBucketStack'>),
        ...(require('../../examples/seed-samples') as Pick<Loaded['examples'], 'SeedSamplesStack'>),
      },
    };
  });
  jest.dontMock('cdktf');
  return loaded as Loaded;
}
/* eslint-enable @typescript-eslint/no-require-imports */

const REGION = 'ap-guangzhou';
const UIN = '100000000001';

/** Every stack of the comparison, declared through the given framework's copy of the sources. */
function declare(app: cdk.App, { cdk: cdktf, construct: c, jobsFromConfigurations, examples }: Loaded): void {
  new examples.SeedSamplesStack(app, 'seed-samples');
  new examples.MultiBucketStack(app, 'multi-bucket');

  // Generated jobs of every shape the construct can state, on one bucket.
  const generated = new cdktf.TerraformStack(app, 'generated');
  // One owner per destination bucket, as the construct requires.
  const configurations = generateConfigurations(60, 17, {
    region: REGION,
    destinations: ['reports-1250000000', 'archive-1250000000'],
  }).map((config) => ({
    ...config,
    Destination: { COSBucketDestination: { ...config.Destination.COSBucketDestination, AccountId: UIN } },
  }));
  const { jobs } = jobsFromConfigurations(configurations, REGION, 'logs');
  new c.BucketInventory(generated, 'logs', {
    bucket: 'logs-1250000000',
    region: REGION,
    ownerUin: UIN,
    jobs,
  });

  // The optional behaviours: the deprecated checks, outputs, policy left alone, a custom
  // principal and node command, an account guard and an import, and a removed inventory.
  const options = new cdktf.TerraformStack(app, 'options');
  const audit = new c.BucketInventory(options, 'audit', {
    bucket: 'audit-1250000000',
    region: REGION,
    ownerUin: UIN,
    deliveryCheck: true,
    reportOutputs: true,
    nodeCommand: 'node22',
    allowedAccountIds: [UIN],
    policyPrincipal: [`qcs::cam::uin/${UIN}:roleName/COS_QcsRole`],
    jobs: [{ id: 'daily', destination: { bucket: 'reports-1250000000' } }],
  });
  audit.importJob('daily');
  new c.BucketInventory(options, 'quiet', {
    bucket: 'quiet-1250000000',
    region: REGION,
    ownerUin: UIN,
    driftCheck: false,
    nodeCommand: 'node22',
    upgradeBlocks: false,
    managePolicy: false,
    jobs: [
      { id: 'weekly', destination: { bucket: 'reports-1250000000' }, schedule: { frequency: 'Weekly' } },
    ],
  });
  new c.RemovedBucketInventory(options, 'gone');
}

/** Every file of every stack directory, path -> bytes, the framework's version masked. */
function synthesize(framework: Framework, hcl: boolean): Map<string, Buffer> {
  const loaded = load(framework);
  const version = frameworkVersion(loaded.cdk);
  const outdir = mkdtempSync(join(tmpdir(), `parity-${framework}-`));
  const previous = process.env.SYNTH_HCL_OUTPUT;
  try {
    // What `cdktf synth --hcl` sets for the app.
    if (hcl) process.env.SYNTH_HCL_OUTPUT = 'true';
    else delete process.env.SYNTH_HCL_OUTPUT;
    const app = new loaded.cdk.App({ outdir });
    declare(app, loaded);
    app.synth();
    const files = new Map<string, Buffer>();
    for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files.set(relative(outdir, path), maskVersion(path, readFileSync(path), version));
    }
    return files;
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * The framework writes its own version into its metadata, and its own file names into the stack
 * traces of warnings: the allowed differences. JSON is
 * compared as the document it is (cdktf breaks the line inside an empty object or list where
 * cdktn writes `{}`; Terraform reads both the same), keys in their order; other files byte for byte.
 */
function maskVersion(path: string, bytes: Buffer, version: string): Buffer {
  if (path.endsWith('.json')) {
    // A warning's stack trace in the manifest names the framework's own files: left out.
    const text = JSON.stringify(JSON.parse(bytes.toString('utf8')), (key, value: unknown) =>
      key === 'stacktrace' ? undefined : value,
    );
    return Buffer.from(text.split(`"version":"${version}"`).join('"version":"<framework>"'));
  }
  return bytes;
}

function frameworkVersion(framework: typeof cdk): string {
  const outdir = mkdtempSync(join(tmpdir(), 'parity-version-'));
  try {
    return new framework.App({ outdir }).manifest.version;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe.each([
  ['cdk.tf.json', false],
  ['cdk.tf (--hcl)', true],
])('cdktf and cdktn synthesize the same stack directories: %s', (_label, hcl) => {
  let cdktf: Map<string, Buffer>;
  let cdktn: Map<string, Buffer>;

  beforeAll(() => {
    cdktf = synthesize('cdktf', hcl);
    cdktn = synthesize('cdktn', hcl);
  });

  it('the two frameworks really are different packages of different versions', () => {
    const [a, b] = [load('cdktf').cdk, load('cdktn').cdk];
    expect(a.App).not.toBe(b.App);
    expect(frameworkVersion(a)).toMatch(/^0\.21\./);
    expect(frameworkVersion(b)).toMatch(/^0\.24\./);
  });

  it('writes the same files', () => {
    expect([...cdktn.keys()].sort()).toEqual([...cdktf.keys()].sort());
    const stackFile = hcl ? 'cdk.tf' : 'cdk.tf.json';
    for (const stack of ['seed-samples', 'multi-bucket', 'generated', 'options']) {
      expect(cdktf.has(join('stacks', stack, stackFile))).toBe(true);
    }
    const providers = [...cdktf.keys()].filter((file) =>
      /\/terraform\.d\/plugins\/.+\/terraform-provider-cosinventory_v[^/]+$/.test(file),
    );
    expect(providers.length).toBeGreaterThan(0);
    if (hcl) expect(cdktf.has(join('stacks', 'options', UPGRADE_COMPANION_FILE))).toBe(true);
  });

  it('with the same content, the framework version aside', () => {
    const differing = [...cdktf.keys()].filter((file) => !cdktf.get(file)!.equals(cdktn.get(file)!));
    expect(differing).toEqual([]);
  });
});
