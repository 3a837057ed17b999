/**
 * The blocks carrying a state of the provisioner release over: `moved` per job and per
 * destination attacher, `removed` without destroy for the prune resource and release guard.
 * Their acceptance by Terraform is in ./stack-directory.terraform.test.ts.
 */
import type { TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import { DEST, REGION, UIN, dailyInventory, newStack, synth } from './helpers';

/** A second construct, one job delivering to DEST. */
function mediaInventory(stack: TerraformStack): BucketInventory {
  return new BucketInventory(stack, 'media', {
    bucket: 'media-1250000000',
    region: REGION,
    ownerUin: UIN,
    jobs: [{ id: 'w', destination: { bucket: DEST } }],
  });
}

describe('upgrade blocks', () => {
  test('moved for each job and each destination attacher, removed for prune and release guard, sorted', () => {
    const { stack } = newStack();
    const logs = dailyInventory(stack);
    logs.addJob({ id: 'a.b', destination: { bucket: 'other-1250000000' } });
    mediaInventory(stack);
    const out = synth(stack);
    const abName = logs.jobAddress('a.b').split('.')[1];
    expect(abName).toMatch(/^logs_job_a_b_[0-9a-f]{6}$/);
    expect(out.moved).toEqual([
      {
        from: 'terraform_data.cos_inventory_policy_other-1250000000',
        to: 'cosinventory_destination_grant.cos_inventory_policy_other-1250000000',
      },
      {
        from: `terraform_data.cos_inventory_policy_${DEST}`,
        to: `cosinventory_destination_grant.cos_inventory_policy_${DEST}`,
      },
      { from: `terraform_data.${abName}`, to: `cosinventory_job.${abName}` },
      { from: 'terraform_data.logs_job_daily', to: 'cosinventory_job.logs_job_daily' },
      { from: 'terraform_data.media_job_w', to: 'cosinventory_job.media_job_w' },
    ]);
    expect(out.removed).toEqual(
      [
        'terraform_data.cos_inventory_policy_other-1250000000_release',
        `terraform_data.cos_inventory_policy_${DEST}_release`,
        'terraform_data.logs_prune',
        'terraform_data.media_prune',
      ].map((from) => ({ from, lifecycle: { destroy: false } })),
    );
  });

  test('upgradeBlocks: false drops them', () => {
    const { stack } = newStack();
    dailyInventory(stack, { upgradeBlocks: false });
    const out = synth(stack);
    expect(out.moved).toBeUndefined();
    expect(out.removed).toBeUndefined();
  });

  test('a shared destination keeps its blocks while one construct delivering there still asks for them', () => {
    const { stack } = newStack();
    dailyInventory(stack, { upgradeBlocks: false });
    mediaInventory(stack);
    const out = synth(stack);
    expect(out.moved?.map((m) => m.from)).toEqual([
      `terraform_data.cos_inventory_policy_${DEST}`,
      'terraform_data.media_job_w',
    ]);
    expect(out.removed?.map((r) => r.from)).toEqual([
      `terraform_data.cos_inventory_policy_${DEST}_release`,
      'terraform_data.media_prune',
    ]);
  });

  test('managePolicy: false: no grant, so no block for an attacher', () => {
    const { stack } = newStack();
    dailyInventory(stack, { managePolicy: false });
    const out = synth(stack);
    expect(out.moved?.map((m) => m.from)).toEqual(['terraform_data.logs_job_daily']);
    expect(out.removed?.map((r) => r.from)).toEqual(['terraform_data.logs_prune']);
  });
});
