/**
 * The provider a stack carries: its blocks in cdk.tf.json and its files in the stack directory,
 * written by `app.synth()` (the user's path).
 */
import { readFileSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { BucketInventory, defaultProviderBundlePath, RemovedBucketInventory } from '../../src/construct';
import { PROVIDER_SOURCE, providerVersion } from '../../src/provider/names';
import { loaderSource, PROVIDER_LOADER_NAME } from '../../src/provider/code-cache-loader';
import {
  DEFAULT_PROVIDER_PLATFORMS,
  pluginDirectory,
  PROVIDER_BUNDLE_NAME,
} from '../../src/provider/plugin-files';
import {
  DEST,
  REGION,
  UIN,
  dailyInventory,
  grantsOf,
  jobsOf,
  newStack,
  synth,
  synthErrors,
  tempOutdir,
  warningsOf,
} from './helpers';

const VERSION = providerVersion();
const EXECUTABLE = `terraform-provider-cosinventory_v${VERSION}`;

describe('provider blocks', () => {
  test('required_providers pins the package version; one default provider block', () => {
    const { stack } = newStack();
    dailyInventory(stack);
    const out = synth(stack);
    expect(out.terraform?.required_providers).toEqual({
      cosinventory: { source: PROVIDER_SOURCE, version: VERSION },
    });
    expect(out.provider).toEqual({ cosinventory: [{}] });
    // The default provider is Terraform's default: no reference.
    expect(jobsOf(out).logs_job_daily).not.toHaveProperty('provider');
    expect(grantsOf(out)[`cos_inventory_policy_${DEST}`]).not.toHaveProperty('provider');
  });

  test('allowedAccountIds is on each job (deduplicated, sorted), never a provider alias: one block per stack', () => {
    const { stack } = newStack();
    const on = (id: string, bucket: string, allowedAccountIds?: string[]) =>
      new BucketInventory(stack, id, {
        bucket,
        region: REGION,
        ownerUin: UIN,
        allowedAccountIds,
        managePolicy: false,
        jobs: [{ id: 'j', destination: { bucket: DEST } }],
      });
    on('a', 'alpha-1250000000', [UIN, '200000000002']);
    on('b', 'beta-1250000000', ['200000000002', UIN, UIN]);
    on('c', 'gamma-1250000000', ['300000000003']);
    on('d', 'delta-1250000000');
    const out = synth(stack);
    expect(out.provider).toEqual({ cosinventory: [{}] });
    const jobs = jobsOf(out);
    expect(Object.values(jobs).map((job) => job.provider)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(jobs.a_job_j.allowed_account_ids).toEqual([UIN, '200000000002']);
    expect(jobs.b_job_j.allowed_account_ids).toEqual([UIN, '200000000002']);
    expect(jobs.c_job_j.allowed_account_ids).toEqual(['300000000003']);
    expect(jobs.d_job_j).not.toHaveProperty('allowed_account_ids');
  });

  test('a destination shared by a guarded and an unguarded construct is granted under the first guard given', () => {
    const { stack } = newStack();
    dailyInventory(stack);
    new BucketInventory(stack, 'guarded', {
      bucket: 'guarded-1250000000',
      region: REGION,
      ownerUin: UIN,
      allowedAccountIds: [UIN],
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    new BucketInventory(stack, 'later', {
      bucket: 'later-1250000000',
      region: REGION,
      ownerUin: UIN,
      allowedAccountIds: ['300000000003'],
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    // The sources deliver as the same principal: one statement, under the first guard given.
    const grants = Object.values(grantsOf(synth(stack)));
    expect(grants.map((g) => [g.provider, g.allowed_account_ids, g.resources.length])).toEqual([
      [undefined, [UIN], 3],
    ]);
  });
});

describe('provider files in the stack directory', () => {
  let outdir: string;
  let cleanup: () => void;
  beforeEach(() => ({ outdir, cleanup } = tempOutdir('cos-inventory-provider-')));
  afterEach(() => cleanup());

  function files(stackName: string): string[] {
    const stackDir = join(outdir, 'stacks', stackName);
    return DEFAULT_PROVIDER_PLATFORMS.flatMap((platform) => {
      const dir = join(stackDir, pluginDirectory(VERSION, platform));
      return [join(dir, EXECUTABLE), join(dir, PROVIDER_LOADER_NAME), join(dir, PROVIDER_BUNDLE_NAME)];
    });
  }

  test('app.synth() writes the wrapper (executable, with nodeCommand), the loader and the bundle for every platform, per stack', () => {
    const app = new App({ outdir });
    const one = new TerraformStack(app, 'one');
    dailyInventory(one, { nodeCommand: '/opt/node 22/bin/node' });
    new BucketInventory(one, 'other', {
      bucket: 'other-1250000000',
      region: REGION,
      ownerUin: UIN,
      nodeCommand: '/opt/node 22/bin/node',
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    dailyInventory(new TerraformStack(app, 'two'));
    new TerraformStack(app, 'empty');
    app.synth();

    const bundle = readFileSync(defaultProviderBundlePath());
    for (const stackName of ['one', 'two']) {
      const paths = files(stackName);
      expect(paths).toHaveLength(3 * DEFAULT_PROVIDER_PLATFORMS.length);
      for (const path of paths) {
        if (path.endsWith(EXECUTABLE)) {
          expect(statSync(path).mode & 0o777).toBe(0o755);
          const script = readFileSync(path, 'utf8');
          expect(script.startsWith('#!/bin/sh\n')).toBe(true);
          // The wrapper starts node on the loader, which runs the bundle beside it.
          expect(script).toContain(
            stackName === 'one'
              ? `exec '/opt/node 22/bin/node' "$(dirname "$0")/${PROVIDER_LOADER_NAME}" "$@"`
              : `exec 'node' "$(dirname "$0")/${PROVIDER_LOADER_NAME}" "$@"`,
          );
        } else if (path.endsWith(PROVIDER_LOADER_NAME)) {
          expect(statSync(path).mode & 0o777).toBe(0o644);
          expect(readFileSync(path, 'utf8')).toBe(loaderSource(VERSION));
          expect(readFileSync(path, 'utf8')).toContain(JSON.stringify(PROVIDER_BUNDLE_NAME));
        } else {
          expect(statSync(path).mode & 0o777).toBe(0o644);
          expect(readFileSync(path).equals(bundle)).toBe(true);
        }
      }
    }
    // A stack without a BucketInventory carries no provider.
    expect(existsSync(join(outdir, 'stacks', 'empty', 'terraform.d'))).toBe(false);
  });

  test('providerBundlePath ships another bundle; a copy of another version left by an earlier synth is removed', () => {
    const custom = join(outdir, 'custom-provider.js');
    writeFileSync(custom, '// a provider bundle\n');
    const stale = join(outdir, 'stacks', 'test', pluginDirectory('0.0.1', 'linux_amd64'));
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'terraform-provider-cosinventory_v0.0.1'), '');
    const app = new App({ outdir });
    dailyInventory(new TerraformStack(app, 'test'), { providerBundlePath: custom });
    app.synth();
    for (const path of files('test').filter((p) => p.endsWith(PROVIDER_BUNDLE_NAME))) {
      expect(readFileSync(path, 'utf8')).toBe('// a provider bundle\n');
    }
    expect(existsSync(stale)).toBe(false);
  });

  test('RemovedBucketInventory alone ships the provider and its block, so the deletion of the last inventory can apply', () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'left');
    new RemovedBucketInventory(stack, 'logs', { nodeCommand: '/opt/node' });
    app.synth();
    const config = JSON.parse(readFileSync(join(outdir, 'stacks', 'left', 'cdk.tf.json'), 'utf8')) as {
      provider?: unknown;
      resource?: unknown;
      terraform?: { required_providers?: unknown };
    };
    expect(config.provider).toEqual({ cosinventory: [{}] });
    expect(config.terraform?.required_providers).toEqual({
      cosinventory: { source: PROVIDER_SOURCE, version: VERSION },
    });
    expect(config.resource).toBeUndefined();
    const paths = files('left');
    expect(paths.every((path) => existsSync(path))).toBe(true);
    expect(readFileSync(paths[0], 'utf8')).toContain(`exec '/opt/node' `);
    expect(readFileSync(paths[2]).equals(readFileSync(defaultProviderBundlePath()))).toBe(true);
    // Used for what it is for, it warns nothing.
    expect(warningsOf(stack)).toEqual([]);
  });

  test("beside a BucketInventory, RemovedBucketInventory's settings give way: no conflict, the inventory's files", () => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'both');
    new RemovedBucketInventory(stack, 'gone', { nodeCommand: '/opt/other-node' });
    dailyInventory(stack);
    expect(synthErrors(app)).toEqual([]);
    app.synth();
    expect(readFileSync(files('both')[0], 'utf8')).toContain(`exec 'node' `);
    expect(
      () =>
        new RemovedBucketInventory(new TerraformStack(app, 'missing'), 'gone', {
          providerBundlePath: '/nonexistent/provider.js',
        }),
    ).toThrow(
      'removedbucketinventory missing/gone: providerBundlePath: provider bundle not found at /nonexistent/provider.js',
    );
  });

  test('handlerBundlePath is still taken as the bundle, with a deprecation warning', () => {
    const custom = join(outdir, 'old-name.js');
    writeFileSync(custom, '// old prop\n');
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'test');
    dailyInventory(stack, { handlerBundlePath: custom });
    app.synth();
    expect(readFileSync(files('test')[2], 'utf8')).toBe('// old prop\n');
    expect(warningsOf(stack)).toEqual([
      '[test/logs] handlerBundlePath is deprecated: use providerBundlePath',
    ]);
  });
});

describe('provider settings shared by a stack', () => {
  test('a missing bundle fails at once, naming the construct, the prop, the path and the fix', () => {
    const { stack } = newStack();
    expect(() => dailyInventory(stack, { providerBundlePath: '/nonexistent/provider.js' })).toThrow(
      'bucketinventory test/logs: providerBundlePath: provider bundle not found at /nonexistent/provider.js: ' +
        'run npm run build first, or set providerBundlePath to a built dist/provider.js',
    );
  });

  test('two constructs asking for different bundles or node commands fail the synth, as problems', () => {
    const { app, stack } = newStack();
    const { outdir, cleanup } = tempOutdir('cos-inventory-bundle-');
    try {
      const other = join(outdir, 'other.js');
      writeFileSync(other, '');
      dailyInventory(stack);
      new BucketInventory(stack, 'second', {
        bucket: 'second-1250000000',
        region: REGION,
        ownerUin: UIN,
        providerBundlePath: other,
        nodeCommand: 'node22',
        jobs: [{ id: 'j', destination: { bucket: DEST } }],
      });
      expect(synthErrors(app)).toEqual([
        `[test/second] providerBundlePath: differs from ${JSON.stringify(defaultProviderBundlePath())} of test/logs; ` +
          `the provider is shipped once per stack: use one bundle per stack (received ${JSON.stringify(other)})`,
        '[test/second] nodeCommand: differs from "node" of test/logs; the provider of a stack runs with one node ' +
          'command: give every BucketInventory of the stack the same nodeCommand (received "node22")',
      ]);
    } finally {
      cleanup();
    }
  });
});
