import { BucketInventory, RemovedBucketInventory, type BucketInventoryProps } from '../../src/construct';
import { Testing } from 'cdktf';
import { DEST, REGION, SOURCE, UIN, newStack, provisioners, synth, synthErrors } from './helpers';

const ROLE = 'qcs::cam::uin/200000000002:roleName/inventory-policy';
const CENTRAL = 'central-1300000000';

function stackWith(props: Partial<BucketInventoryProps>) {
  const { app, stack } = newStack();
  new BucketInventory(stack, 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: UIN,
    jobs: [
      { id: 'local', destination: { bucket: DEST } },
      { id: 'central', destination: { bucket: CENTRAL, accountId: '200000000002' } },
    ],
    ...props,
  });
  return { app, stack };
}

function spec(text: string | undefined): string {
  return text ?? '';
}

describe('allowedAccountIds and policyRoleArns', () => {
  test('the guard and the destination role reach every write of the handler, outside the resources', () => {
    const { stack } = stackWith({ allowedAccountIds: [UIN], policyRoleArns: { [CENTRAL]: ROLE } });
    const resources = synth(stack).resource.terraform_data;
    const guard = `allowedAccountIds = ["${UIN}"]`;
    for (const [name, resource] of Object.entries(resources)) {
      const { create, destroy } = provisioners(resource);
      for (const block of [create, destroy].filter((b) => b !== undefined)) {
        expect([name, spec(block?.environment.COS_INVENTORY_SPEC)]).toEqual([
          name,
          expect.stringContaining(guard),
        ]);
      }
      expect(JSON.stringify(resource.triggers_replace ?? {})).not.toContain('allowedAccountIds');
      expect(JSON.stringify(resource.input ?? {})).not.toContain(ROLE);
    }
    const central = Object.entries(resources).filter(([name]) =>
      name.startsWith('cos_inventory_policy_central-1300000000'),
    );
    expect(central.length).toBe(2);
    for (const [, resource] of central) {
      const { create, destroy } = provisioners(resource);
      expect(spec((create ?? destroy)?.environment.COS_INVENTORY_SPEC)).toContain(`roleArn = "${ROLE}"`);
    }
    const local = Object.entries(resources).filter(([name]) =>
      name.startsWith('cos_inventory_policy_targetbucket'),
    );
    for (const [, resource] of local) {
      const { create, destroy } = provisioners(resource);
      expect(spec((create ?? destroy)?.environment.COS_INVENTORY_SPEC)).not.toContain('roleArn');
    }
    const prune = Object.entries(resources).find(([name]) => name.includes('prune'));
    expect(spec(prune && provisioners(prune[1]).destroy?.environment.COS_INVENTORY_SPEC)).toContain(
      `roleArns = {"${CENTRAL}" = "${ROLE}"}`,
    );
  });

  test('bad values are reported through app.synth() with path, field, value and what is allowed', () => {
    const { app } = stackWith({
      allowedAccountIds: ['abc'],
      policyRoleArns: { 'other-1300000000': ROLE, [CENTRAL]: 'qcs::cam::uin/2:role/x' },
    });
    expect(synthErrors(app)).toEqual([
      '[test/logs] allowedAccountIds[0]: must be a literal account id (uin digits) (received "abc")',
      `[test/logs] policyRoleArns["${CENTRAL}"]: must be a role arn qcs::cam::uin/<uin>:roleName/<name> (received "qcs::cam::uin/2:role/x")`,
      `[test/logs] policyRoleArns["other-1300000000"]: must be a destination bucket of a job of this construct: one of ${CENTRAL}, ${DEST} (received "other-1300000000")`,
    ]);
  });

  test('policyRoleArns needs managePolicy, and an empty guard is refused', () => {
    const { app } = stackWith({
      managePolicy: false,
      allowedAccountIds: [],
      policyRoleArns: { [CENTRAL]: ROLE },
    });
    expect(synthErrors(app)).toEqual([
      '[test/logs] allowedAccountIds: must list at least one account id (uin digits) (received [])',
      `[test/logs] policyRoleArns: needs managePolicy: the role only edits the policies this construct manages (received {"${CENTRAL}":"${ROLE}"})`,
    ]);
  });

  test('RemovedBucketInventory passes both to its prune and validates them', () => {
    const { stack } = newStack();
    new RemovedBucketInventory(stack, 'gone', {
      allowedAccountIds: [UIN],
      policyRoleArns: { [CENTRAL]: ROLE },
    });
    const removed = (
      JSON.parse(Testing.synth(stack)) as {
        removed: { provisioner: { 'local-exec': { environment: { COS_INVENTORY_SPEC: string } } }[] }[];
      }
    ).removed;
    expect(removed[0].provisioner[0]['local-exec'].environment.COS_INVENTORY_SPEC).toContain(
      `allowedAccountIds = ["${UIN}"], roleArns = {"${CENTRAL}" = "${ROLE}"}`,
    );
    const bad = newStack();
    new RemovedBucketInventory(bad.stack, 'gone', {
      allowedAccountIds: ['x'],
      policyRoleArns: { Bad: ROLE },
    });
    expect(synthErrors(bad.app)).toEqual([
      '[test/gone] allowedAccountIds[0]: must be a literal account id (uin digits) (received "x")',
      '[test/gone] policyRoleArns["Bad"]: must be keyed by a destination bucket <name>-<appid> (received "Bad")',
    ]);
  });
});
