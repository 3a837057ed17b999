import { holdsStatement, samePolicyValue } from '../../src/handler/policy-match';

const ours = {
  sid: 'cosInventory-src-1250000000',
  effect: 'allow',
  principal: { qcs: ['qcs::cam::uin/1:roleName/COS_QcsRole'] },
  action: ['name/cos:PutObject'],
  resource: ['qcs::cos:ap-guangzhou:uid/1250000000:dst-1250000000/inventory/1250000000/src/*'],
};

describe('policy statements are matched by meaning', () => {
  it('ignores key case, the effect keyword case, and single strings against one-element lists', () => {
    const asCosAnswers = {
      Sid: 'cosInventory-src-1250000000',
      Effect: 'Allow',
      Principal: { QCS: 'qcs::cam::uin/1:roleName/COS_QcsRole' },
      Action: 'name/cos:PutObject',
      Resource: ['qcs::cos:ap-guangzhou:uid/1250000000:dst-1250000000/inventory/1250000000/src/*'],
    };
    expect(samePolicyValue(asCosAnswers, ours)).toBe(true);
    expect(holdsStatement({ Version: '2.0', Statement: [asCosAnswers] }, ours.sid, ours)).toBe(true);
  });

  it('still tells different statements apart', () => {
    expect(samePolicyValue({ ...ours, action: ['name/cos:GetObject'] }, ours)).toBe(false);
    expect(samePolicyValue({ ...ours, effect: 'deny' }, ours)).toBe(false);
    expect(samePolicyValue({ ...ours, resource: [...ours.resource, 'x'] }, ours)).toBe(false);
    expect(samePolicyValue({ ...ours, condition: { ip_equal: { 'qcs:ip': '10.0.0.0/8' } } }, ours)).toBe(
      false,
    );
    // A value's own case is data (principals, actions), only keys and the effect keyword are not.
    expect(samePolicyValue({ ...ours, action: ['name/cos:putobject'] }, ours)).toBe(false);
    expect(holdsStatement({ Statement: [{ ...ours, Sid: 'other' }] }, ours.sid, ours)).toBe(false);
  });
});
