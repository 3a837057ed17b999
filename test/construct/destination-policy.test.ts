import { TerraformStack } from 'cdktf';
import {
  BucketInventory,
  DestinationPolicy,
  grantStatements,
  CosInventoryDestinationGrant,
} from '../../src/construct';
import { destinationStatements } from '../../src/model/destination-statements';
import { DEST, REGION, UIN, grantsOf, jobsOf, newStack, synth } from './helpers';

const POLICY = `cos_inventory_policy_${DEST}`;
const OTHER_DEST = 'otherdest-1250000000';
const ROLE = `qcs::cam::uin/${UIN}:roleName/COS_QcsRole`;

/** The exact report folder of `source` under `prefix` on `dest`. */
function folder(source: string, prefix: string, dest = DEST): string {
  const name = source.slice(0, source.lastIndexOf('-'));
  return `qcs::cos:${REGION}:uid/1250000000:${dest}/${prefix}/1250000000/${name}/*`;
}

/** A grant as synthesized: the `n`th statement on `dest`, sids scoped by the first source (alpha). */
function grantOf(n: number, resources: string[], principal = ROLE, dest = DEST, scope = 'alpha-1250000000') {
  return {
    bucket: dest,
    region: REGION,
    sid: n === 1 ? `cosInventory-${scope}` : `cosInventory-${scope}-${n}`,
    principals: [principal],
    resources,
  };
}

/** A grant as synthesized, without cdktf's metadata. */
function bare<T extends object>(grant: T): Omit<T, '//'> {
  const rest = { ...grant } as T & { '//'?: unknown };
  delete rest['//'];
  return rest;
}

describe('destination grants', () => {
  test('grants per destination bucket per stack: one statement per principal set, holding every source folder', () => {
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
    // Both sources deliver as the same principal: one statement, no `_2`.
    expect(Object.keys(grants).sort()).toEqual([`cos_inventory_policy_${OTHER_DEST}`, POLICY]);
    expect(bare(grants[POLICY])).toEqual(
      grantOf(1, [
        folder('alpha-1250000000', 'cos_bucket_inventory'),
        folder('alpha-1250000000', 'reports'),
        folder('beta-1250000000', 'reports'),
      ]),
    );
    // Another destination has its own statement, with the same sid: sids are unique per bucket policy.
    expect(bare(grants[`cos_inventory_policy_${OTHER_DEST}`])).toEqual(
      grantOf(1, [folder('alpha-1250000000', 'cos_bucket_inventory', OTHER_DEST)], ROLE, OTHER_DEST),
    );

    // Each job waits for the grants of its own destination.
    const jobs = jobsOf(out);
    const onDest = [`cosinventory_destination_grant.${POLICY}`];
    expect(jobs.a_job_one.depends_on).toEqual(onDest);
    expect(jobs.a_job_two.depends_on).toEqual(onDest);
    expect(jobs.b_job_one.depends_on).toEqual(onDest);
    expect(jobs.a_job_three.depends_on).toEqual([
      `cosinventory_destination_grant.cos_inventory_policy_${OTHER_DEST}`,
    ]);
  });

  test('the statements are those grantStatements composes from every source, with the model statement', () => {
    const input = {
      destinationBucket: DEST,
      destinationRegion: REGION,
      sidScope: 'test',
      grants: [
        { sourceBucket: 'alpha-1250000000', prefixes: ['reports', ''], principal: [ROLE] },
        { sourceBucket: 'beta-1250000000', prefixes: ['x'], principal: ['qcs::cam::uin/1:uin/2'] },
      ],
    };
    const composed = grantStatements(input);
    expect(composed).toEqual(destinationStatements(input));
    // Small: exact folders, one statement per principal set, ordered by principal set.
    expect(composed.collapsed).toBe(false);
    expect(composed.problem).toBeUndefined();
    expect(composed.statements).toEqual([
      {
        sid: 'cosInventory-test',
        effect: 'allow',
        principal: { qcs: [ROLE] },
        action: ['name/cos:PutObject'],
        resource: [folder('alpha-1250000000', 'cos_bucket_inventory'), folder('alpha-1250000000', 'reports')],
      },
      {
        sid: 'cosInventory-test-2',
        effect: 'allow',
        principal: { qcs: ['qcs::cam::uin/1:uin/2'] },
        action: ['name/cos:PutObject'],
        resource: [folder('beta-1250000000', 'x')],
      },
    ]);
    expect(composed.bytes).toBe(
      Buffer.byteLength(JSON.stringify({ version: '2.0', statement: composed.statements })),
    );
  });

  test('the shared grants live at stack level; separate stacks get their own', () => {
    const { app, stack } = newStack();
    const second = new TerraformStack(app, 'second');
    for (const s of [stack, second]) {
      new BucketInventory(s, 'a', {
        // Another source bucket per stack: two stacks writing one source's statement would collide.
        bucket: s === stack ? 'alpha-1250000000' : 'beta-1250000000',
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
    const out = synth(stack);
    // Two principal sets: a statement each, sorted by principal set, the second grant `_2`.
    expect(Object.fromEntries(Object.entries(grantsOf(out)).map(([name, g]) => [name, bare(g)]))).toEqual({
      [POLICY]: grantOf(1, [folder('alpha-1250000000', 'cos_bucket_inventory')], 'qcs::cam::uin/123:uin/456'),
      [`${POLICY}_2`]: grantOf(
        2,
        [folder('beta-1250000000', 'cos_bucket_inventory')],
        'qcs::cam::uin/200000000002:roleName/COS_QcsRole',
      ),
    });
    const onDest = [`cosinventory_destination_grant.${POLICY}`, `cosinventory_destination_grant.${POLICY}_2`];
    expect(jobsOf(out).a_job_j.depends_on).toEqual(onDest);
    expect(jobsOf(out).b_job_j.depends_on).toEqual(onDest);
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
    expect(Object.values(grantsOf(out)).map(bare)).toEqual([
      grantOf(1, [folder('alpha-1250000000', 'cos_bucket_inventory')]),
    ]);
    expect(jobsOf(out).b_job_j.depends_on).toBeUndefined();
  });
});
