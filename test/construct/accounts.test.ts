import { BucketInventory, type BucketInventoryProps } from '../../src/construct';
import {
  DEST,
  REGION,
  SOURCE,
  UIN,
  grantsOf,
  jobsOf,
  newStack,
  synth,
  synthErrors,
  synthUnchecked,
} from './helpers';

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

describe('allowedAccountIds and policyRoleArns', () => {
  test("the guard is every resource's allowed_account_ids, through the one provider block; the role is the grant role_arn", () => {
    const { stack } = stackWith({ allowedAccountIds: [UIN], policyRoleArns: { [CENTRAL]: ROLE } });
    const out = synth(stack);
    expect(out.provider).toEqual({ cosinventory: [{}] });
    for (const resource of [...Object.values(jobsOf(out)), ...Object.values(grantsOf(out))]) {
      expect(resource).not.toHaveProperty('provider');
      expect(resource.allowed_account_ids).toEqual([UIN]);
    }
    const grants = grantsOf(out);
    expect(grants[`cos_inventory_policy_${CENTRAL}`].role_arn).toBe(ROLE);
    expect(grants[`cos_inventory_policy_${DEST}`]).not.toHaveProperty('role_arn');
    // Jobs never carry the role: only policy edits assume it.
    expect(JSON.stringify(jobsOf(out))).not.toContain(ROLE);
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

  test('an invalid guard never reaches a provider block', () => {
    const { stack } = stackWith({ allowedAccountIds: ['abc'] });
    expect(synthUnchecked(stack).provider).toEqual({ cosinventory: [{}] });
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
});
