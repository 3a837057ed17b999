import { TerraformVariable } from 'cdktf';
import { TerraformData } from '../../src/construct/terraform-data';
import { BucketInventory } from '../../src/construct';
import { canonicalConfiguration } from '../../src/model/canonical';
import type { InventoryConfiguration } from '../../src/model/configuration';
import {
  DEST,
  REGION,
  SOURCE,
  UIN,
  commandPattern,
  newStack,
  provisioners,
  synth,
  synthErrors,
  synthUnchecked,
} from './helpers';

function seedStack(props: Partial<ConstructorParameters<typeof BucketInventory>[2]> = {}) {
  const { stack } = newStack();
  const inventory = new BucketInventory(stack, 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: UIN,
    jobs: [
      {
        id: 'inventory_test',
        destination: { bucket: DEST, prefix: 'inventory_test_prefix', accountId: UIN, encryption: 'SSE-COS' },
        filter: { prefix: 'filter_prefix' },
        includedObjectVersions: 'All',
      },
    ],
    ...props,
  });
  return { stack, inventory };
}

describe('BucketInventory job resources', () => {
  test('one terraform_data per job with a readable address and the canonical configuration', () => {
    const { stack } = seedStack();
    const out = synth(stack);
    const job = out.resource.terraform_data.logs_job_inventory_test;
    expect(job).toBeDefined();
    const expectedConfiguration = {
      Id: 'inventory_test',
      IsEnabled: 'true',
      Destination: {
        COSBucketDestination: {
          Format: 'CSV',
          AccountId: UIN,
          Bucket: `qcs::cos:${REGION}::${DEST}`,
          Prefix: 'inventory_test_prefix',
          Encryption: { SSECOS: '' },
        },
      },
      Schedule: { Frequency: 'Daily' },
      Filter: { Prefix: 'filter_prefix' },
      IncludedObjectVersions: 'All',
      OptionalFields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
    };
    // Only in triggers_replace (a map, not cdktf's {"0": ...} rendering of an array): no
    // `input`, so a plan never prints an `output` copy of it.
    expect(job.triggers_replace).toEqual({
      bucket: SOURCE,
      region: REGION,
      id: 'inventory_test',
      configuration: expectedConfiguration,
    });
    expect(job).not.toHaveProperty('input');
    // Replaced create-before-destroy: put-job overwrites by id, the old object's delete-job never runs.
    expect(job.lifecycle).toEqual({ create_before_destroy: true });
  });

  test('create runs put-job and destroy runs delete-job, each with a self-only spec expression', () => {
    const { stack } = seedStack();
    const job = synth(stack).resource.terraform_data.logs_job_inventory_test;
    const { create, destroy } = provisioners(job);
    expect(job.provisioner).toHaveLength(2);
    expect(create?.command).toMatch(commandPattern('put-job'));
    expect(create?.environment).toEqual({
      COS_INVENTORY_SPEC:
        '${jsonencode({bucket = self.triggers_replace.bucket, region = self.triggers_replace.region, configuration = self.triggers_replace.configuration})}',
    });
    expect(destroy?.command).toMatch(commandPattern('delete-job'));
    expect(destroy?.environment).toEqual({
      COS_INVENTORY_SPEC:
        '${jsonencode({bucket = self.triggers_replace.bucket, region = self.triggers_replace.region, id = self.triggers_replace.id})}',
    });
  });

  test('no credentials appear anywhere in the configuration', () => {
    const { stack } = seedStack();
    const text = JSON.stringify(synth(stack));
    expect(text).not.toMatch(/TENCENTCLOUD|SECRET|secretKey|secretId/i);
  });

  test('jobs depend on the destination policy resource', () => {
    const { stack } = seedStack();
    const job = synth(stack).resource.terraform_data.logs_job_inventory_test;
    expect(job.depends_on).toEqual([
      `terraform_data.cos_inventory_policy_${DEST}`,
      `terraform_data.cos_inventory_policy_${DEST}_release`,
    ]);
  });

  test('addJob adds a job after construction; the configuration defaults are applied', () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({
      id: 'weekly',
      destination: { bucket: `qcs::cos:${REGION}::${DEST}` },
      schedule: { frequency: 'Weekly' },
    });
    const job = synth(stack).resource.terraform_data.logs_job_weekly;
    expect(job.triggers_replace.configuration).toEqual({
      Id: 'weekly',
      IsEnabled: 'true',
      Destination: { COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::${DEST}` } },
      Schedule: { Frequency: 'Weekly' },
      IncludedObjectVersions: 'Current',
      OptionalFields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
    });
    expect(inventory.jobIds).toEqual(['inventory_test', 'weekly']);
    expect(inventory.jobAddress('weekly')).toBe('terraform_data.logs_job_weekly');
    expect(inventory.jobResource('weekly')).toBeInstanceOf(TerraformData);
  });

  test('maps every job option: disabled, monthly, tags (both forms), period, metadata fields', () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({
      id: 'full',
      enabled: false,
      destination: { bucket: DEST, encryption: 'NONE' },
      schedule: { frequency: 'Monthly', monthlyDate: 5 },
      filter: {
        prefix: 'logs/',
        tags: { team: 'data', env: 'prod' },
        period: { startTime: new Date('2024-01-01T00:00:00Z'), endTime: 1735689600 },
      },
      optionalFields: ['x-cos-meta-owner', 'Size', 'Tag'],
    });
    inventory.addJob({
      id: 'tag-list',
      destination: { bucket: DEST },
      filter: { tags: [{ key: 'k', value: 'v' }] },
    });
    const resources = synth(stack).resource.terraform_data;
    expect(resources.logs_job_full.triggers_replace.configuration).toEqual({
      Id: 'full',
      IsEnabled: 'false',
      Destination: { COSBucketDestination: { Format: 'CSV', Bucket: `qcs::cos:${REGION}::${DEST}` } },
      Schedule: { Frequency: 'Monthly', MonthlyDate: '5' },
      Filter: {
        And: {
          Prefix: 'logs/',
          Tag: [
            { Key: 'env', Value: 'prod' },
            { Key: 'team', Value: 'data' },
          ],
        },
        Period: { StartTime: '1704067200', EndTime: '1735689600' },
      },
      IncludedObjectVersions: 'Current',
      OptionalFields: ['Size', 'Tag', 'x-cos-meta-owner'],
    });
    // Default columns gain 'Tag' when the job filters by tags.
    expect(resources['logs_job_tag-list'].triggers_replace.configuration).toMatchObject({
      Filter: { And: { Tag: [{ Key: 'k', Value: 'v' }] } },
      OptionalFields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass', 'Tag'],
    });
  });

  test('the configuration is exactly the model canonical form', () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({
      id: 'dupfields',
      destination: { bucket: DEST },
      optionalFields: ['Size', 'ETag', 'Size'],
    });
    // Validation rejects the duplicate; synthesized anyway, the resource holds the canonical form.
    expect(inventory.node.validate().join('\n')).toContain('optionalFields');
    const input = synthUnchecked(stack).resource.terraform_data.logs_job_dupfields.triggers_replace as {
      configuration: InventoryConfiguration;
    };
    expect(input.configuration).toEqual(canonicalConfiguration(input.configuration));
    expect(input.configuration.OptionalFields).toEqual(['ETag', 'Size']);
  });

  test("literal '${' and '%{' in user strings are escaped so Terraform does not interpolate them", () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({
      id: 'esc',
      destination: { bucket: DEST, prefix: 'a${b}%{c}' },
      filter: { prefix: 'x${y}' },
    });
    const out = synth(stack);
    expect(out.resource.terraform_data.logs_job_esc.triggers_replace.configuration).toMatchObject({
      Destination: { COSBucketDestination: { Prefix: 'a$${b}%%{c}' } },
      Filter: { Prefix: 'x$${y}' },
    });
    expect(out.output?.logs_report_esc.value).toBe(`cos://${DEST}/a$\${b}%%{c}/1250000000/sourcebucket/esc/`);
    const query = out.check?.logs_drift.data.external.logs_drift.query;
    expect(query?.configurations).toContain('"Prefix":"a$${b}%%{c}"');
    expect(query?.configurations).not.toContain('$$$');
  });
});

describe('BucketInventory addresses', () => {
  test("ids with '.' get a readable name plus a hash, '-' and '_' are kept; names stay unique", () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({ id: 'a.b', destination: { bucket: DEST } });
    inventory.addJob({ id: 'a_b', destination: { bucket: DEST } });
    inventory.addJob({ id: 'a-b', destination: { bucket: DEST } });
    const names = Object.keys(synth(stack).resource.terraform_data).filter((n) => n.startsWith('logs_job_'));
    expect(names).toEqual(
      expect.arrayContaining([
        'logs_job_a-b',
        'logs_job_a_b',
        expect.stringMatching(/^logs_job_a_b_[0-9a-f]{6}$/),
      ]),
    );
    expect(new Set(names).size).toBe(4);
  });

  test('a job address depends on its id only, not on the other jobs', () => {
    const one = seedStack();
    one.inventory.addJob({ id: 'x.y', destination: { bucket: DEST } });
    const two = seedStack();
    two.inventory.addJob({ id: 'zzz', destination: { bucket: DEST } });
    two.inventory.addJob({ id: 'x.y', destination: { bucket: DEST } });
    expect(one.inventory.jobAddress('x.y')).toBe(two.inventory.jobAddress('x.y'));
  });

  test('asking for an undeclared job names the declared ones', () => {
    const { inventory } = seedStack();
    expect(() => inventory.jobAddress('nope')).toThrow(
      'bucketinventory test/logs: id: no job "nope" is declared (declared: inventory_test)',
    );
  });
});

describe('BucketInventory prune resource', () => {
  test('triggers_replace holds the sorted ids and granted destinations; destroy prunes previous against the literal desired ids', () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({ id: 'b-job', destination: { bucket: DEST } });
    inventory.addJob({ id: 'a.job', destination: { bucket: 'other-1250000000' } });
    const prune = synth(stack).resource.terraform_data.logs_prune;
    const ids = ['a.job', 'b-job', 'inventory_test'];
    expect(prune.triggers_replace).toEqual({
      bucket: SOURCE,
      region: REGION,
      ids,
      sid: `cosInventory-${SOURCE}`,
      destinations: {
        [DEST]: { bucket: DEST, region: REGION },
        'other-1250000000': { bucket: 'other-1250000000', region: REGION },
      },
    });
    expect(prune).not.toHaveProperty('input');
    // Nothing create_before_destroy depends on it: its destroy provisioner runs on replace.
    expect(prune).not.toHaveProperty('lifecycle');
    expect(prune.provisioner).toHaveLength(1);
    const { destroy } = provisioners(prune);
    expect(destroy?.command).toMatch(commandPattern('prune'));
    expect(destroy?.environment.COS_INVENTORY_SPEC).toBe(
      '${jsonencode({bucket = self.triggers_replace.bucket, region = self.triggers_replace.region, previous = self.triggers_replace.ids, ' +
        'sid = try(self.triggers_replace.sid, ""), destinations = try(self.triggers_replace.destinations, {}), ' +
        `desired = ["a.job","b-job","inventory_test"], keepDestinations = ["other-1250000000","${DEST}"]})}`,
    );
  });

  test('with no jobs the prune resource desires none and keeps no destination', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'empty', { bucket: SOURCE, region: REGION });
    const prune = synth(stack).resource.terraform_data.empty_prune;
    expect(prune.triggers_replace).toMatchObject({
      bucket: SOURCE,
      region: REGION,
      ids: [],
      destinations: {},
    });
    expect(provisioners(prune).destroy?.environment.COS_INVENTORY_SPEC).toContain(
      'desired = [], keepDestinations = []',
    );
  });

  test('managePolicy: false grants nothing, so a later prune detaches what was granted before', () => {
    const { stack } = seedStack({ managePolicy: false });
    const prune = synth(stack).resource.terraform_data.logs_prune;
    expect(prune.triggers_replace).toMatchObject({ destinations: {} });
    expect(provisioners(prune).destroy?.environment.COS_INVENTORY_SPEC).toContain('keepDestinations = []');
  });
});

describe('BucketInventory outputs', () => {
  test("each job's report location is an output", () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({ id: 'noprefix', destination: { bucket: DEST } });
    const out = synth(stack);
    expect(out.output?.logs_report_inventory_test.value).toBe(
      `cos://${DEST}/inventory_test_prefix/1250000000/sourcebucket/inventory_test/`,
    );
    expect(out.output?.logs_report_noprefix.value).toBe(
      `cos://${DEST}/cos_bucket_inventory/1250000000/sourcebucket/noprefix/`,
    );
    expect(inventory.reportLocation('noprefix')).toBe(
      `cos://${DEST}/cos_bucket_inventory/1250000000/sourcebucket/noprefix/`,
    );
  });

  test('reportOutputs: false adds none', () => {
    const { stack } = seedStack({ reportOutputs: false });
    expect(synth(stack).output).toBeUndefined();
  });
});

describe('BucketInventory drift check', () => {
  test('a check block with a scoped external data source running read, and two asserts', () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({ id: 'weekly.v2', destination: { bucket: DEST }, schedule: { frequency: 'Weekly' } });
    const out = synth(stack);
    const check = out.check?.logs_drift;
    expect(check).toBeDefined();
    const data = check?.data.external.logs_drift;
    expect(data?.program).toHaveLength(3);
    expect(data?.program[0]).toBe('node');
    expect(data?.program[1]).toMatch(/^assets\/CosInventoryHandler\/[0-9A-F]+\/handler\.js$/);
    expect(data?.program[2]).toBe('read');
    expect(data?.query.bucket).toBe(SOURCE);
    expect(data?.query.region).toBe(REGION);
    // Every query value is a string (the external protocol), the configurations a JSON array.
    for (const value of Object.values(data?.query ?? {})) expect(typeof value).toBe('string');
    const configurations = JSON.parse(data?.query.configurations ?? '') as { Id: string }[];
    expect(configurations.map((c) => c.Id)).toEqual(['inventory_test', 'weekly.v2']);
    expect(configurations[0]).toEqual(
      out.resource.terraform_data.logs_job_inventory_test.triggers_replace.configuration,
    );
    expect(JSON.parse(data?.query.addresses ?? '')).toEqual({
      inventory_test: 'terraform_data.logs_job_inventory_test',
      'weekly.v2': inventory.jobAddress('weekly.v2'),
    });
    // The prune resource too: a plan removing a job reads after the prune, not before it.
    expect(data?.depends_on).toEqual([
      'terraform_data.logs_job_inventory_test',
      inventory.jobAddress('weekly.v2'),
      'terraform_data.logs_prune',
    ]);
    expect(out.resource.terraform_data.logs_prune).toBeDefined();
    expect(check?.assert).toEqual([
      {
        condition: '${data.external.logs_drift.result.in_sync == "true"}',
        error_message: '${data.external.logs_drift.result.drift_message}',
      },
      {
        condition: '${data.external.logs_drift.result.undeclared == ""}',
        error_message: '${data.external.logs_drift.result.undeclared_message}',
      },
    ]);
    expect(out.terraform?.required_providers?.external).toEqual({
      source: 'hashicorp/external',
      version: '>= 2.3',
    });
  });

  test('driftCheck: false omits the check block and the external provider', () => {
    const { stack, inventory } = seedStack({ driftCheck: false });
    const out = synth(stack);
    expect(out.check).toBeUndefined();
    expect(out.terraform?.required_providers?.external).toBeUndefined();
    expect(inventory.driftCheck).toBeUndefined();
  });

  test('two constructs in one stack get two check blocks', () => {
    const { stack } = newStack();
    for (const [id, bucket] of [
      ['first', 'first-1250000000'],
      ['second', 'second-1250000000'],
    ]) {
      new BucketInventory(stack, id, {
        bucket,
        region: REGION,
        ownerUin: UIN,
        jobs: [{ id: 'j', destination: { bucket: DEST } }],
      });
    }
    expect(Object.keys(synth(stack).check ?? {}).sort()).toEqual(['first_drift', 'second_drift']);
  });
});

describe('BucketInventory handler asset', () => {
  test('one asset per stack, shared by every construct and the policy', () => {
    const { stack } = newStack();
    const a = new BucketInventory(stack, 'a', {
      bucket: 'a-1250000000',
      region: REGION,
      ownerUin: UIN,
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    new BucketInventory(stack, 'b', {
      bucket: 'b-1250000000',
      region: REGION,
      ownerUin: UIN,
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    expect(a).toBeDefined();
    const commands = Object.values(synth(stack).resource.terraform_data).flatMap((r) =>
      r.provisioner.map((p) => p['local-exec'].command.split(' ')[1]),
    );
    expect(new Set(commands).size).toBe(1);
  });

  test('a missing bundle fails clearly', () => {
    const { stack } = newStack();
    expect(
      () =>
        new BucketInventory(stack, 'x', {
          bucket: SOURCE,
          region: REGION,
          handlerBundlePath: '/nonexistent/handler.js',
        }),
    ).toThrow(
      'bucketinventory test/x: handler bundle not found at /nonexistent/handler.js: run npm run build (or node scripts/bundle-handler.mjs) first',
    );
  });

  test('two constructs of one stack asking for different bundles fail the synth, as a problem', () => {
    const { app, stack } = newStack();
    new BucketInventory(stack, 'a', { bucket: 'a-1250000000', region: REGION, managePolicy: false });
    new BucketInventory(stack, 'b', {
      bucket: 'b-1250000000',
      region: REGION,
      managePolicy: false,
      handlerBundlePath: __filename,
    });
    expect(synthErrors(app)).toEqual([
      expect.stringMatching(
        /^\[test\/b\] handlerBundlePath: differs from ".*dist\/handler\.js" used by another construct of this stack; use one bundle per stack \(received ".*bucket-inventory\.test\.ts"\)$/,
      ),
    ]);
  });

  test('nodeCommand replaces node in every command and in the external program', () => {
    const { stack } = seedStack({ nodeCommand: '/opt/node20/bin/node' });
    const out = synth(stack);
    const { create } = provisioners(out.resource.terraform_data.logs_job_inventory_test);
    expect(create?.command.startsWith('/opt/node20/bin/node assets/')).toBe(true);
    expect(out.check?.logs_drift.data.external.logs_drift.program[0]).toBe('/opt/node20/bin/node');
  });
});

describe('BucketInventory with unresolved tokens', () => {
  test('a token destination bucket is accepted and passed through to Terraform', () => {
    const { stack } = newStack();
    const destination = new TerraformVariable(stack, 'dest', { type: 'string' });
    const inventory = new BucketInventory(stack, 'logs', {
      bucket: SOURCE,
      region: REGION,
      ownerUin: UIN,
      jobs: [{ id: 'j', destination: { bucket: destination.stringValue, prefix: 'reports' } }],
    });
    expect(inventory.node.validate()).toEqual([]);
    const out = synth(stack);
    const job = out.resource.terraform_data.logs_job_j;
    expect(job.triggers_replace.configuration).toMatchObject({
      Destination: { COSBucketDestination: { Bucket: `qcs::cos:${REGION}::\${var.dest}` } },
    });
    const policies = Object.entries(out.resource.terraform_data).filter(
      ([name]) => name.startsWith('cos_inventory_policy_') && !name.endsWith('_release'),
    );
    expect(policies).toHaveLength(1);
    const [name, policy] = policies[0];
    expect(name).toMatch(/^cos_inventory_policy_var_dest_[0-9a-f]{6}$/);
    expect(policy.triggers_replace.bucket).toBe('${var.dest}');
    expect(policy.triggers_replace.statements).toEqual([
      expect.objectContaining({
        resource: [
          `qcs::cos:${REGION}:uid/\${regex("[0-9]+$", var.dest)}:\${var.dest}/reports/1250000000/sourcebucket/*`,
        ],
      }),
    ]);
    expect(job.depends_on).toEqual([`terraform_data.${name}`, `terraform_data.${name}_release`]);
    expect(out.output?.logs_report_j.value).toBe('cos://${var.dest}/reports/1250000000/sourcebucket/j/');
    expect(out.check?.logs_drift.data.external.logs_drift.query.configurations).toContain(`::\${var.dest}`);
  });

  test('token prefixes and account ids are left to COS', () => {
    const { stack } = newStack();
    const prefix = new TerraformVariable(stack, 'prefix', { type: 'string' });
    const account = new TerraformVariable(stack, 'account', { type: 'string' });
    const inventory = new BucketInventory(stack, 'logs', {
      bucket: SOURCE,
      region: REGION,
      managePolicy: false,
      jobs: [
        {
          id: 'j',
          destination: { bucket: DEST, prefix: prefix.stringValue, accountId: account.stringValue },
        },
      ],
    });
    expect(inventory.node.validate()).toEqual([]);
    expect(synth(stack).resource.terraform_data.logs_job_j.triggers_replace.configuration).toMatchObject({
      Destination: { COSBucketDestination: { AccountId: '${var.account}', Prefix: '${var.prefix}' } },
    });
  });
});
