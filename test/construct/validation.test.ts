import { Testing, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { BucketInventory, type BucketInventoryProps, type InventoryJob } from '../../src/construct';
import { DEST, REGION, SOURCE, UIN, newStack } from './helpers';

const P = 'bucketinventory test/logs';

function errorsOf(props: Partial<BucketInventoryProps>, jobs: InventoryJob[] = []): string[] {
  const { stack } = newStack();
  const inventory = new BucketInventory(stack, 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: UIN,
    jobs,
    ...props,
  });
  return inventory.node.validate();
}

function job(overrides: Partial<InventoryJob> = {}): InventoryJob {
  return { id: 'j', destination: { bucket: DEST }, ...overrides };
}

describe('BucketInventory validation', () => {
  test('a valid declaration has no errors', () => {
    expect(errorsOf({}, [job(), job({ id: 'k', filter: { tags: { a: 'b' } } })])).toEqual([]);
  });

  test('every problem is reported at once, naming path, field, value and what is allowed', () => {
    const errors = errorsOf({}, [
      job({ id: 'bad id' }),
      job({ id: 'x'.repeat(65) }),
      job({ id: 'ok', destination: { bucket: DEST, prefix: '/leading' } }),
    ]);
    expect(errors).toEqual([
      `${P}: jobs[0] (id "bad id"): id: may contain only letters, digits, hyphens, underscores and dots (received "bad id")`,
      `${P}: jobs[1] (id "${'x'.repeat(65)}"): id: must be at most 64 characters (received "${'x'.repeat(65)}")`,
      `${P}: jobs[2] (id "ok"): destination.prefix: must not start with '/' (received "/leading")`,
    ]);
  });

  test('source bucket and region', () => {
    expect(errorsOf({ bucket: 'Bad_Bucket', region: 'nowhere' }, [])).toEqual([
      `${P}: bucket: must be a literal <name>-<appid>: lowercase letters, digits and hyphens, then -<appid digits> (received "Bad_Bucket")`,
      `${P}: region: must be a literal cos region id such as "ap-guangzhou" (received "nowhere")`,
    ]);
  });

  test('a token source bucket is refused: it names resources and statements', () => {
    const { stack } = newStack();
    const v = new TerraformVariable(stack, 'b', { type: 'string' });
    const inventory = new BucketInventory(stack, 'logs', {
      bucket: v.stringValue,
      region: REGION,
      managePolicy: false,
    });
    expect(inventory.node.validate()).toEqual([
      expect.stringMatching(/^bucketinventory test\/logs: bucket: must be a literal <name>-<appid>/),
    ]);
  });

  test('duplicate ids', () => {
    expect(errorsOf({}, [job({ id: 'dup' }), job({ id: 'other' }), job({ id: 'dup' })])).toEqual([
      `${P}: jobs[2].id: duplicates the id of another job (received "dup")`,
    ]);
  });

  test('more than 1000 jobs', () => {
    const jobs = Array.from({ length: 1001 }, (_, i) => job({ id: `j${i}` }));
    expect(errorsOf({}, jobs)).toEqual([
      `${P}: jobs: a bucket holds at most 1000 inventory jobs (received 1001)`,
    ]);
  });

  test('destination in another region', () => {
    expect(errorsOf({}, [job({ destination: { bucket: `qcs::cos:ap-shanghai::${DEST}` } })])).toEqual([
      `${P}: jobs[0] (id "j"): destination.bucket: must be in the source bucket's region ap-beijing (received "qcs::cos:ap-shanghai::${DEST}")`,
    ]);
  });

  test('bad destination bucket names are reported as written', () => {
    expect(errorsOf({}, [job({ destination: { bucket: 'NoAppId' } })])).toEqual([
      `${P}: jobs[0] (id "j"): destination.bucket: must be <name>-<appid> (lowercase letters, digits and hyphens, then -<appid digits>) or qcs::cos:<region>::<name>-<appid> (received "NoAppId")`,
    ]);
  });

  test('tag filter without the Tag field', () => {
    expect(errorsOf({}, [job({ filter: { tags: { k: 'v' } }, optionalFields: ['Size'] })])).toEqual([
      `${P}: jobs[0] (id "j"): filter.tags: filtering by tag needs 'Tag' in OptionalFields (received [{"Key":"k","Value":"v"}])`,
    ]);
  });

  test('schedule: monthlyDate only for Monthly, required for Monthly', () => {
    const errors = errorsOf({}, [
      job({ id: 'a', schedule: { frequency: 'Daily', monthlyDate: 3 } }),
      job({ id: 'b', schedule: { frequency: 'Monthly' } }),
    ]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(
      /^bucketinventory test\/logs: jobs\[0\] \(id "a"\): schedule\.monthlyDate: .*\(received "3"\)$/,
    );
    expect(errors[1]).toMatch(
      /^bucketinventory test\/logs: jobs\[1\] \(id "b"\): schedule\.monthlyDate: .*\(received nothing\)$/,
    );
  });

  test('unknown optional fields and bad encryption', () => {
    const errors = errorsOf({}, [
      job({
        optionalFields: ['Nope' as never],
        destination: { bucket: DEST, encryption: 'AES256' as never },
      }),
    ]);
    expect(errors).toEqual([
      `${P}: jobs[0] (id "j"): destination.encryption: must be 'SSE-COS' or 'NONE' (received "AES256")`,
      expect.stringMatching(
        /^bucketinventory test\/logs: jobs\[0\] \(id "j"\): optionalFields\[0\]: must be one of .*\(received "Nope"\)$/,
      ),
    ]);
  });

  test('period start after end', () => {
    expect(errorsOf({}, [job({ filter: { period: { startTime: 20, endTime: 10 } } })])).toEqual([
      expect.stringMatching(
        /^bucketinventory test\/logs: jobs\[0\] \(id "j"\): filter\.period: .*\(received \{"StartTime":"20","EndTime":"10"\}\)$/,
      ),
    ]);
  });

  test('the managed policy needs a principal: ownerUin, policyPrincipal or destination.accountId', () => {
    expect(errorsOf({ ownerUin: undefined }, [job()])).toEqual([
      `${P}: jobs[0].destination.accountId: job "j": managePolicy needs ownerUin, policyPrincipal or destination.accountId to name the principal allowed to deliver reports (or set managePolicy: false) (received nothing)`,
    ]);
    expect(
      errorsOf({ ownerUin: undefined }, [job({ destination: { bucket: DEST, accountId: UIN } })]),
    ).toEqual([]);
    expect(errorsOf({ ownerUin: undefined, policyPrincipal: ['qcs::cam::uin/1:uin/1'] }, [job()])).toEqual(
      [],
    );
    expect(errorsOf({ ownerUin: undefined, managePolicy: false }, [job()])).toEqual([]);
  });

  test('bad ownerUin and empty policyPrincipal', () => {
    expect(errorsOf({ ownerUin: 'abc', policyPrincipal: [] }, [job()])).toEqual([
      `${P}: ownerUin: must be the account uin (digits) (received "abc")`,
      `${P}: policyPrincipal: must be a non-empty list of cam principals such as "qcs::cam::uin/100000000001:roleName/COS_QcsRole" (received [])`,
    ]);
  });

  test('a token job id is refused when the job is added', () => {
    const { stack } = newStack();
    const v = new TerraformVariable(stack, 'id', { type: 'string' });
    expect(
      () =>
        new BucketInventory(stack, 'logs', {
          bucket: SOURCE,
          region: REGION,
          ownerUin: UIN,
          jobs: [{ id: v.stringValue, destination: { bucket: DEST } }],
        }),
    ).toThrow(
      /^bucketinventory test\/logs: jobs\[0\]: id: must be a literal: it names the terraform resource of the job \(received ".*"\)$/,
    );
  });

  test('two constructs on one bucket, or with ids giving the same names, are refused', () => {
    const { stack } = newStack();
    const a = new BucketInventory(stack, 'logs', { bucket: SOURCE, region: REGION, ownerUin: UIN });
    const b = new BucketInventory(stack, 'copy', { bucket: SOURCE, region: REGION, ownerUin: UIN });
    const c = new BucketInventory(new Construct(stack, 'group'), 'logs', {
      bucket: 'other-1250000000',
      region: REGION,
      ownerUin: UIN,
    });
    expect(a.node.validate()).toEqual([
      `${P}: bucket: is also managed by test/copy; declare all jobs of a bucket in one construct (received "${SOURCE}")`,
      `${P}: id: gives the same terraform names as test/group/logs; give each BucketInventory of a stack a distinct id (received "logs")`,
    ]);
    expect(b.node.validate()).toEqual([
      `bucketinventory test/copy: bucket: is also managed by test/logs; declare all jobs of a bucket in one construct (received "${SOURCE}")`,
    ]);
    expect(c.node.validate()).toEqual([
      `bucketinventory test/group/logs: id: gives the same terraform names as test/logs; give each BucketInventory of a stack a distinct id (received "logs")`,
    ]);
  });

  test('synthesis fails with every error', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'logs', {
      bucket: SOURCE,
      region: REGION,
      jobs: [job({ id: 'a b' }), job({ id: 'a b' })],
    });
    expect(() => Testing.synth(stack, true)).toThrow(
      /id: may contain only[\s\S]*duplicates the id of another job[\s\S]*managePolicy needs/,
    );
  });
});
