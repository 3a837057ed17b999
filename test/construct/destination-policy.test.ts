import { TerraformStack } from 'cdktf';
import {
  BucketInventory,
  DestinationPolicy,
  grantStatements,
  CosInventoryDestinationGrant,
} from '../../src/construct';
import { inventoryPolicyStatement } from '../../src/model/policy';
import { DEST, REGION, UIN, grantsOf, jobsOf, newStack, synth } from './helpers';

const POLICY = `cos_inventory_policy_${DEST}`;
const OTHER_DEST = 'otherdest-1250000000';
const ROLE = `qcs::cam::uin/${UIN}:roleName/COS_QcsRole`;

function grantOf(source: string, prefixes: string[], principal = ROLE, dest = DEST) {
  const name = source.slice(0, source.lastIndexOf('-'));
  return {
    bucket: dest,
    region: REGION,
    sid: `cosInventory-${source}`,
    principals: [principal],
    resources: prefixes.map((p) => `qcs::cos:${REGION}:uid/1250000000:${dest}/${p}/1250000000/${name}/*`),
  };
}

/** A grant as synthesized, without cdktf's metadata. */
function bare<T extends object>(grant: T): Omit<T, '//'> {
  const rest = { ...grant } as T & { '//'?: unknown };
  delete rest['//'];
  return rest;
}

describe('destination grants', () => {
  test('grants per destination bucket per stack, one statement per source bucket, named _2, _3 after the first', () => {
    const { stack } = newStack();
    const a = new BucketInventory(stack, 'a', {
      bucket: 'alpha-1250000000',
      region: REGION,
      ownerUin: UIN,
      jobs: [
        { id: 'one', destination: { bucket: DEST, prefix: 'reports' } },
        { id: 'two', destination: { bucket: `qcs::cos:${REGION}::${DEST}` } },
      ],
    });
    new BucketInventory(stack, 'b', {
      bucket: 'beta-1250000000',
      region: REGION,
      ownerUin: UIN,
      jobs: [{ id: 'one', destination: { bucket: DEST, prefix: 'reports' } }],
    });
    a.addJob({ id: 'three', destination: { bucket: OTHER_DEST } });
    const out = synth(stack);
    const grants = grantsOf(out);
    expect(Object.keys(grants).sort()).toEqual([`cos_inventory_policy_${OTHER_DEST}`, POLICY, `${POLICY}_2`]);
    expect(bare(grants[POLICY])).toEqual(grantOf('alpha-1250000000', ['cos_bucket_inventory', 'reports']));
    expect(bare(grants[`${POLICY}_2`])).toEqual(grantOf('beta-1250000000', ['reports']));
    expect(bare(grants[`cos_inventory_policy_${OTHER_DEST}`])).toEqual(
      grantOf('alpha-1250000000', ['cos_bucket_inventory'], ROLE, OTHER_DEST),
    );

    // Each job waits for the grants of its own destination.
    const jobs = jobsOf(out);
    const onDest = [`cosinventory_destination_grant.${POLICY}`, `cosinventory_destination_grant.${POLICY}_2`];
    expect(jobs.a_job_one.depends_on).toEqual(onDest);
    expect(jobs.b_job_one.depends_on).toEqual(onDest);
    expect(jobs.a_job_three.depends_on).toEqual([
      `cosinventory_destination_grant.cos_inventory_policy_${OTHER_DEST}`,
    ]);
  });

  test('the statements are those grantStatements composes from every source, with the model statement', () => {
    const composed = grantStatements({
      destinationBucket: DEST,
      destinationRegion: REGION,
      sidScope: 'test',
      grants: [
        { sourceBucket: 'alpha-1250000000', prefixes: ['reports', ''], principal: [ROLE] },
        { sourceBucket: 'beta-1250000000', prefixes: ['x'], principal: ['qcs::cam::uin/1:uin/2'] },
      ],
    });
    expect(composed).toEqual({
      statements: [
        inventoryPolicyStatement({
          destinationBucket: DEST,
          destinationRegion: REGION,
          sourceBucket: 'alpha-1250000000',
          prefixes: ['reports', ''],
          principal: [ROLE],
        }),
        inventoryPolicyStatement({
          destinationBucket: DEST,
          destinationRegion: REGION,
          sourceBucket: 'beta-1250000000',
          prefixes: ['x'],
          principal: ['qcs::cam::uin/1:uin/2'],
        }),
      ],
    });
  });

  test('the shared grants live at stack level; separate stacks get their own', () => {
    const { app, stack } = newStack();
    const second = new TerraformStack(app, 'second');
    for (const s of [stack, second]) {
      new BucketInventory(s, 'a', {
        bucket: 'alpha-1250000000',
        region: REGION,
        ownerUin: UIN,
        jobs: [{ id: 'j', destination: { bucket: DEST } }],
      });
    }
    const one = DestinationPolicy.of(stack, { bucket: DEST, region: REGION });
    expect(one.node.scope).toBe(stack);
    expect(one.sourceBuckets).toEqual(['alpha-1250000000']);
    expect(DestinationPolicy.of(second, { bucket: DEST, region: REGION })).not.toBe(one);
    expect(grantsOf(synth(second))[POLICY]).toBeDefined();
    expect(one.grantResources).toHaveLength(0);
    synth(stack);
    expect(one.grantResources.map((g) => g instanceof CosInventoryDestinationGrant)).toEqual([true]);
    // A second synth makes no second set of grants.
    synth(stack);
    expect(one.grantResources).toHaveLength(1);
  });

  test('policyPrincipal overrides the principal; destination.accountId is the fallback owner', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'a', {
      bucket: 'alpha-1250000000',
      region: REGION,
      policyPrincipal: ['qcs::cam::uin/123:uin/456'],
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    new BucketInventory(stack, 'b', {
      bucket: 'beta-1250000000',
      region: REGION,
      jobs: [{ id: 'j', destination: { bucket: DEST, accountId: '200000000002' } }],
    });
    const grants = grantsOf(synth(stack));
    expect([grants[POLICY].principals, grants[`${POLICY}_2`].principals]).toEqual([
      ['qcs::cam::uin/123:uin/456'],
      ['qcs::cam::uin/200000000002:roleName/COS_QcsRole'],
    ]);
  });

  test('managePolicy: false creates no grant and no dependency', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'a', {
      bucket: 'alpha-1250000000',
      region: REGION,
      managePolicy: false,
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    const out = synth(stack);
    expect(grantsOf(out)).toEqual({});
    expect(jobsOf(out).a_job_j.depends_on).toBeUndefined();
  });

  test('a destination shared with a managePolicy: false construct holds only the managing source', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'a', {
      bucket: 'alpha-1250000000',
      region: REGION,
      ownerUin: UIN,
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    new BucketInventory(stack, 'b', {
      bucket: 'beta-1250000000',
      region: REGION,
      managePolicy: false,
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    const out = synth(stack);
    expect(Object.values(grantsOf(out)).map((g) => g.sid)).toEqual(['cosInventory-alpha-1250000000']);
    expect(jobsOf(out).b_job_j.depends_on).toBeUndefined();
  });
});
