import { TerraformVariable } from 'cdktf';
import { BucketInventory, CosInventoryJob } from '../../src/construct';
import { jobAttributes } from '../../src/model/job-attributes';
import { jobConfiguration } from '../../src/construct/job-configuration';
import type { InventoryJob } from '../../src/construct/inventory-job';
import { DEST, REGION, SOURCE, UIN, jobsOf, grantsOf, newStack, synth, synthUnchecked } from './helpers';

const SEED_JOB: InventoryJob = {
  id: 'inventory_test',
  destination: { bucket: DEST, prefix: 'inventory_test_prefix', accountId: UIN, encryption: 'SSE-COS' },
  filter: { prefix: 'filter_prefix' },
  includedObjectVersions: 'All',
};

function seedStack(props: Partial<ConstructorParameters<typeof BucketInventory>[2]> = {}) {
  const { app, stack } = newStack();
  const inventory = new BucketInventory(stack, 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: UIN,
    jobs: [SEED_JOB],
    ...props,
  });
  return { app, stack, inventory };
}

/** A job as synthesized, without cdktf's metadata and meta-arguments. */
function attributesOf(job: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...job };
  for (const key of ['//', 'provider', 'depends_on']) delete rest[key];
  return rest;
}

describe('BucketInventory job resources', () => {
  test('one cosinventory_job per job at a readable address, with flat attributes, unset ones left out', () => {
    const { stack } = seedStack();
    const job = jobsOf(synth(stack)).logs_job_inventory_test;
    expect(attributesOf(job)).toEqual({
      region: REGION,
      bucket: SOURCE,
      job_id: 'inventory_test',
      enabled: true,
      included_object_versions: 'All',
      frequency: 'Daily',
      destination_bucket: `qcs::cos:${REGION}::${DEST}`,
      destination_account_id: UIN,
      destination_prefix: 'inventory_test_prefix',
      destination_format: 'CSV',
      destination_encryption: 'SSE-COS',
      filter_prefix: 'filter_prefix',
      optional_fields: ['ETag', 'LastModifiedDate', 'Size', 'StorageClass'],
    });
    // No lifecycle, no provisioner: the provider updates in place.
    expect(job).not.toHaveProperty('lifecycle');
    expect(job).not.toHaveProperty('provisioner');
  });

  test('the attributes are exactly the model jobAttributes, nulls omitted', () => {
    const { stack, inventory } = seedStack();
    const full: InventoryJob = {
      id: 'full',
      enabled: false,
      destination: { bucket: DEST, encryption: 'NONE' },
      schedule: { frequency: 'Monthly', monthlyDate: 5 },
      filter: {
        prefix: 'logs/',
        tags: { team: 'data', env: 'prod' },
        period: { startTime: new Date('2024-01-01T00:00:00Z'), endTime: 1735689600 },
      },
      optionalFields: ['x-cos-meta-owner', 'Size', 'Tag', 'Size'],
    };
    inventory.addJob(full);
    const expected = Object.fromEntries(
      Object.entries(jobAttributes(jobConfiguration(full, REGION), SOURCE, REGION)).filter(
        ([, v]) => v !== null,
      ),
    );
    const job = jobsOf(synthUnchecked(stack)).logs_job_full;
    expect(attributesOf(job)).toEqual(expected);
    expect(attributesOf(job)).toMatchObject({
      enabled: false,
      monthly_date: '5',
      filter_prefix: 'logs/',
      filter_tags: { env: 'prod', team: 'data' },
      filter_start_time: '1704067200',
      filter_end_time: '1735689600',
      optional_fields: ['Size', 'Tag', 'x-cos-meta-owner'],
    });
    expect(job).not.toHaveProperty('destination_encryption');
    expect(job).not.toHaveProperty('destination_prefix');
  });

  test('addJob adds a job after construction; tag lists and default columns', () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({
      id: 'tag-list',
      destination: { bucket: DEST },
      filter: { tags: [{ key: 'k', value: 'v' }] },
    });
    const job = jobsOf(synth(stack))['logs_job_tag-list'];
    expect(job.filter_tags).toEqual({ k: 'v' });
    expect(job.optional_fields).toEqual(['ETag', 'LastModifiedDate', 'Size', 'StorageClass', 'Tag']);
    expect(inventory.jobIds).toEqual(['inventory_test', 'tag-list']);
    expect(inventory.jobAddress('tag-list')).toBe('cosinventory_job.logs_job_tag-list');
    expect(inventory.jobResource('tag-list')).toBeInstanceOf(CosInventoryJob);
  });

  test('jobs depend on the grants of their own destination', () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({ id: 'other', destination: { bucket: 'other-1250000000' } });
    const jobs = jobsOf(synth(stack));
    expect(jobs.logs_job_inventory_test.depends_on).toEqual([
      `cosinventory_destination_grant.cos_inventory_policy_${DEST}`,
    ]);
    expect(jobs.logs_job_other.depends_on).toEqual([
      'cosinventory_destination_grant.cos_inventory_policy_other-1250000000',
    ]);
  });

  test('no credentials appear anywhere in the configuration', () => {
    const text = JSON.stringify(synth(seedStack().stack));
    expect(text).not.toMatch(/SecretId|SecretKey|COS_INVENTORY_SECRET|TENCENTCLOUD_SECRET/i);
  });

  test("literal '${' and '%{' in user strings are escaped so Terraform does not interpolate them", () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({
      id: 'esc',
      destination: { bucket: DEST, prefix: 'a${b}%{c}' },
      filter: { prefix: 'x${y}', tags: { 'k${z}': 'v${w}' } },
      optionalFields: ['Tag'],
    });
    const out = synthUnchecked(stack);
    const job = jobsOf(out).logs_job_esc;
    expect(job.destination_prefix).toBe('a$${b}%%{c}');
    expect(job.filter_prefix).toBe('x$${y}');
    expect(job.filter_tags).toEqual({ 'k$${z}': 'v$${w}' });
    expect(out.output?.logs_report_esc.value).toBe(`cos://${DEST}/a$\${b}%%{c}/1250000000/sourcebucket/esc/`);
    expect(grantsOf(out)[`cos_inventory_policy_${DEST}`].resources).toContain(
      `qcs::cos:${REGION}:uid/1250000000:${DEST}/a$\${b}%%{c}/1250000000/sourcebucket/*`,
    );
    expect(JSON.stringify(out)).not.toContain('$$$');
  });
});

describe('BucketInventory addresses', () => {
  test("ids with '.' get a readable name plus a hash, '-' and '_' are kept; names stay unique", () => {
    const { stack, inventory } = seedStack();
    inventory.addJob({ id: 'a.b', destination: { bucket: DEST } });
    inventory.addJob({ id: 'a_b', destination: { bucket: DEST } });
    inventory.addJob({ id: 'a-b', destination: { bucket: DEST } });
    const names = Object.keys(jobsOf(synth(stack)));
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

describe('BucketInventory importJob', () => {
  test('an import block for the declared job with the id region/bucket/job, through the default provider', () => {
    const { stack, inventory } = seedStack({ allowedAccountIds: [UIN] });
    inventory.importJob('inventory_test');
    expect(synth(stack).import).toEqual([
      {
        to: 'cosinventory_job.logs_job_inventory_test',
        id: `${REGION}/${SOURCE}/inventory_test`,
      },
    ]);
  });

  test('without importJob there is no import block; an undeclared id is refused naming the declared ones', () => {
    const { stack, inventory } = seedStack();
    expect(synth(stack).import).toBeUndefined();
    expect(() => inventory.importJob('missing')).toThrow(
      'bucketinventory test/logs: id: no job "missing" is declared (declared: inventory_test)',
    );
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

describe('BucketInventory with unresolved tokens', () => {
  test('a token destination bucket is accepted and passed through to the job and the grant', () => {
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
    const job = jobsOf(out).logs_job_j;
    expect(job.destination_bucket).toBe(`qcs::cos:${REGION}::\${var.dest}`);
    const grants = Object.entries(grantsOf(out));
    expect(grants).toHaveLength(1);
    const [name, grant] = grants[0];
    expect(name).toMatch(/^cos_inventory_policy_var_dest_[0-9a-f]{6}$/);
    expect(grant).toMatchObject({
      bucket: '${var.dest}',
      region: REGION,
      sid: `cosInventory-${SOURCE}`,
      principals: [`qcs::cam::uin/${UIN}:roleName/COS_QcsRole`],
      resources: [
        `qcs::cos:${REGION}:uid/\${regex("[0-9]+$", var.dest)}:\${var.dest}/reports/1250000000/sourcebucket/*`,
      ],
    });
    expect(job.depends_on).toEqual([`cosinventory_destination_grant.${name}`]);
    expect(out.output?.logs_report_j.value).toBe('cos://${var.dest}/reports/1250000000/sourcebucket/j/');
  });

  test('token prefixes, account ids and monthly dates pass through to the attributes', () => {
    const { stack } = newStack();
    const prefix = new TerraformVariable(stack, 'prefix', { type: 'string' });
    const account = new TerraformVariable(stack, 'account', { type: 'string' });
    const day = new TerraformVariable(stack, 'day', { type: 'number' });
    const inventory = new BucketInventory(stack, 'logs', {
      bucket: SOURCE,
      region: REGION,
      managePolicy: false,
      jobs: [
        {
          id: 'j',
          destination: { bucket: DEST, prefix: prefix.stringValue, accountId: account.stringValue },
          schedule: { frequency: 'Monthly', monthlyDate: day.numberValue },
        },
      ],
    });
    expect(inventory.node.validate()).toEqual([]);
    expect(jobsOf(synth(stack)).logs_job_j).toMatchObject({
      destination_account_id: '${var.account}',
      destination_prefix: '${var.prefix}',
      monthly_date: '${var.day}',
    });
  });
});
