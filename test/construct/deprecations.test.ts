/**
 * What the provider replaced stays accepted, warns, and emits nothing of the provisioner
 * release: no drift check block, no `hashicorp/external`, no `terraform_data`, no provisioner.
 */
import { Testing } from 'cdktf';
import { BucketInventory, RemovedBucketInventory } from '../../src/construct';
import { DEST, REGION, UIN, dailyInventory, newStack, synth, synthErrors, warningsOf } from './helpers';

describe('deprecated props and constructs', () => {
  test('driftCheck is ignored with a warning saying drift is a refresh difference now', () => {
    const { stack } = newStack();
    dailyInventory(stack, { driftCheck: true });
    const out = synth(stack);
    expect(out.check).toBeUndefined();
    expect(out.data).toBeUndefined();
    expect(Object.keys(out.terraform?.required_providers ?? {})).toEqual(['cosinventory']);
    expect(Object.keys(out.resource ?? {}).sort()).toEqual([
      'cosinventory_destination_grant',
      'cosinventory_job',
    ]);
    expect(JSON.stringify(out)).not.toMatch(/provisioner|local-exec|hashicorp\/external/);
    expect(warningsOf(stack)).toEqual([
      '[test/logs] driftCheck is deprecated and ignored: drift is now an ordinary refresh difference in terraform plan ' +
        '(the provider reads every job); remove the prop or the context key cdktf-cos-inventory:driftCheck',
    ]);
  });

  test('RemovedBucketInventory emits no resource and says its account props are ignored now', () => {
    const { app, stack } = newStack();
    new RemovedBucketInventory(stack, 'gone', { allowedAccountIds: [UIN], nodeCommand: 'node22' });
    new BucketInventory(stack, 'kept', {
      bucket: 'kept-1250000000',
      region: REGION,
      ownerUin: UIN,
      upgradeBlocks: false,
      jobs: [{ id: 'j', destination: { bucket: DEST } }],
    });
    expect(synthErrors(app)).toEqual([]);
    const out = JSON.parse(Testing.synth(stack)) as Record<string, unknown>;
    expect(out.removed).toBeUndefined();
    expect(JSON.stringify(out)).not.toContain('gone');
    expect(out.provider).toEqual({ cosinventory: [{}] });
    expect(warningsOf(stack)).toEqual([
      '[test/gone] allowedAccountIds is deprecated and ignored: the deletion uses what the state holds; remove it',
    ]);
  });
});
