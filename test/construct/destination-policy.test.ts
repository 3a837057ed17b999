import { TerraformStack } from 'cdktf';
import { BucketInventory, DestinationPolicy } from '../../src/construct';
import { DEST, REGION, UIN, commandPattern, newStack, provisioners, synth } from './helpers';

const POLICY = `cos_inventory_policy_${DEST}`;
const RELEASE = `${POLICY}_release`;
const OTHER_DEST = 'otherdest-1250000000';

function statementOf(
  source: string,
  prefixes: string[],
  principal = `qcs::cam::uin/${UIN}:roleName/COS_QcsRole`,
) {
  const name = source.slice(0, source.lastIndexOf('-'));
  return {
    sid: `cosInventory-${source}`,
    effect: 'allow',
    principal: { qcs: [principal] },
    action: ['name/cos:PutObject'],
    resource: prefixes.map((p) => `qcs::cos:${REGION}:uid/1250000000:${DEST}/${p}/1250000000/${name}/*`),
  };
}

describe('destination policy', () => {
  test('one resource per destination bucket per stack, one statement per source bucket', () => {
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
    const resources = synth(stack).resource.terraform_data;
    const policies = Object.keys(resources).filter((n) => n.startsWith('cos_inventory_policy_'));
    expect(policies.sort()).toEqual([
      `cos_inventory_policy_${OTHER_DEST}`,
      `cos_inventory_policy_${OTHER_DEST}_release`,
      POLICY,
      RELEASE,
    ]);

    const policy = resources[POLICY];
    // Only in triggers_replace: a plan of a changed statement shows no `output` copy.
    expect(policy).not.toHaveProperty('input');
    expect(policy.lifecycle).toEqual({ create_before_destroy: true });
    expect(policy.triggers_replace).toEqual({
      bucket: DEST,
      region: REGION,
      statements: [
        statementOf('alpha-1250000000', ['cos_bucket_inventory', 'reports']),
        statementOf('beta-1250000000', ['reports']),
      ],
      sids: ['cosInventory-alpha-1250000000', 'cosInventory-beta-1250000000'],
    });
    expect(resources[`cos_inventory_policy_${OTHER_DEST}`].triggers_replace.sids).toEqual([
      'cosInventory-alpha-1250000000',
    ]);

    // The release guard: all our sids as input, only the bucket as trigger (updated in place).
    expect(resources[RELEASE].input).toEqual({
      bucket: DEST,
      region: REGION,
      sids: ['cosInventory-alpha-1250000000', 'cosInventory-beta-1250000000'],
    });
    expect(resources[RELEASE].triggers_replace).toEqual({ bucket: DEST, region: REGION });

    // Each job depends on the attacher and the guard of its own destination.
    const both = (dest: string): string[] => [
      `terraform_data.cos_inventory_policy_${dest}`,
      `terraform_data.cos_inventory_policy_${dest}_release`,
    ];
    expect(resources.a_job_one.depends_on).toEqual(both(DEST));
    expect(resources.b_job_one.depends_on).toEqual(both(DEST));
    expect(resources.a_job_three.depends_on).toEqual(both(OTHER_DEST));
  });

  test('create attaches the statements; only the release guard detaches, when it is destroyed', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'a', {
      bucket: 'alpha-1250000000',
      region: REGION,
      ownerUin: UIN,
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    const b = new BucketInventory(stack, 'b', {
      bucket: 'beta-1250000000',
      region: REGION,
      ownerUin: UIN,
      jobs: [],
    });
    // Added after construction: the keep literal is produced at synth.
    b.addJob({ id: 'k', destination: { bucket: DEST } });
    const resources = synth(stack).resource.terraform_data;
    const { create, destroy } = provisioners(resources[POLICY]);
    expect(create?.command).toMatch(commandPattern('attach-policy'));
    expect(create?.environment.COS_INVENTORY_SPEC).toBe(
      '${jsonencode({bucket = self.triggers_replace.bucket, region = self.triggers_replace.region, statements = self.triggers_replace.statements})}',
    );
    // Replaced create-before-destroy (forced by Terraform anyway: the jobs depend on it and are
    // create_before_destroy), so a destroy provisioner would never run on a replace. Retired
    // statements are detached by the prune resource of their source bucket.
    expect(destroy).toBeUndefined();
    expect(resources[RELEASE].lifecycle).toEqual({ create_before_destroy: true });

    // The guard only detaches, everything it holds, when it is destroyed itself.
    const guard = provisioners(resources[RELEASE]);
    expect(guard.create).toBeUndefined();
    expect(guard.destroy?.command).toMatch(commandPattern('detach-policy'));
    expect(guard.destroy?.environment.COS_INVENTORY_SPEC).toBe(
      '${jsonencode({bucket = self.input.bucket, region = self.input.region, sids = self.input.sids})}',
    );
  });

  test('the singleton lives at stack level; separate stacks get their own', () => {
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
    expect(synth(second).resource.terraform_data[POLICY]).toBeDefined();
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
    const statements = synth(stack).resource.terraform_data[POLICY].triggers_replace.statements as {
      principal: unknown;
    }[];
    expect(statements.map((s) => s.principal)).toEqual([
      { qcs: ['qcs::cam::uin/123:uin/456'] },
      { qcs: ['qcs::cam::uin/200000000002:roleName/COS_QcsRole'] },
    ]);
  });

  test('managePolicy: false creates no policy resource and no dependency', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'a', {
      bucket: 'alpha-1250000000',
      region: REGION,
      managePolicy: false,
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    const resources = synth(stack).resource.terraform_data;
    expect(Object.keys(resources).sort()).toEqual(['a_job_j', 'a_prune']);
    expect(resources.a_job_j.depends_on).toBeUndefined();
  });

  test('a policy shared with a managePolicy: false construct holds only the managing source', () => {
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
    const resources = synth(stack).resource.terraform_data;
    expect(resources[POLICY].triggers_replace.sids).toEqual(['cosInventory-alpha-1250000000']);
    expect(resources.b_job_j.depends_on).toBeUndefined();
  });
});
