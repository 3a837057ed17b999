import { Testing, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import {
  BucketInventory,
  defaultProviderBundlePath,
  type BucketInventoryProps,
  type InventoryJob,
} from '../../src/construct';
import { DEST, REGION, SOURCE, UIN, newStack, synthErrors } from './helpers';

const P = '[test/logs]';

function errorsOf(props: Partial<BucketInventoryProps>, jobs: InventoryJob[] = []): string[] {
  const { app, stack } = newStack();
  const inventory = new BucketInventory(stack, 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: UIN,
    jobs,
    ...props,
  });
  void inventory;
  return synthErrors(app);
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
      `${P} jobs[0].id (job "bad id"): may contain only letters, digits, hyphens, underscores and dots (received "bad id")`,
      `${P} jobs[1].id (job "${'x'.repeat(65)}"): must be at most 64 characters (received "${'x'.repeat(65)}")`,
      `${P} jobs[2].destination.prefix (job "ok"): must not start with '/' (received "/leading")`,
    ]);
  });

  test('a destination prefix ending in / is refused (cos appends the / itself), and one-time run ids are reserved', () => {
    expect(
      errorsOf({}, [
        job({ id: 'slash', destination: { bucket: DEST, prefix: 'reports/' } }),
        job({ id: 'daily-once-20261201230405-0a1b2c' }),
      ]),
    ).toEqual([
      `${P} jobs[0].destination.prefix (job "slash"): must not end with '/' (cos adds it) (received "reports/")`,
      expect.stringMatching(
        /^\[test\/logs\] jobs\[1\]\.id \(job "daily-once-20261201230405-0a1b2c"\): .*once.* \(received "daily-once-20261201230405-0a1b2c"\)$/,
      ),
    ]);
  });

  test('source bucket and region', () => {
    expect(errorsOf({ bucket: 'Bad_Bucket', region: 'nowhere' }, [])).toEqual([
      `${P} bucket: must be a literal <name>-<appid>: lowercase letters, digits and hyphens, then -<appid digits> (received "Bad_Bucket")`,
      `${P} region: must be a literal cos region id such as "ap-guangzhou" (received "nowhere")`,
    ]);
  });

  test('a token source bucket is refused: it names resources and statements', () => {
    const { app, stack } = newStack();
    const v = new TerraformVariable(stack, 'b', { type: 'string' });
    const inventory = new BucketInventory(stack, 'logs', {
      bucket: v.stringValue,
      region: REGION,
      managePolicy: false,
    });
    void inventory;
    expect(synthErrors(app)).toEqual([
      expect.stringMatching(/^\[test\/logs\] bucket: must be a literal <name>-<appid>/),
    ]);
  });

  test('duplicate ids', () => {
    expect(errorsOf({}, [job({ id: 'dup' }), job({ id: 'other' }), job({ id: 'dup' })])).toEqual([
      `${P} jobs[2].id: duplicates the id of another job (received "dup")`,
    ]);
  });

  test('more than 1000 jobs', () => {
    const jobs = Array.from({ length: 1001 }, (_, i) => job({ id: `j${i}` }));
    expect(errorsOf({}, jobs)).toEqual([
      `${P} jobs: a bucket holds at most 1000 inventory jobs (received 1001)`,
    ]);
  });

  test('destination in another region', () => {
    expect(errorsOf({}, [job({ destination: { bucket: `qcs::cos:ap-shanghai::${DEST}` } })])).toEqual([
      `${P} jobs[0].destination.bucket (job "j"): must be in the source bucket's region ap-beijing (received "qcs::cos:ap-shanghai::${DEST}")`,
    ]);
  });

  test('bad destination bucket names are reported as written', () => {
    expect(errorsOf({}, [job({ destination: { bucket: 'NoAppId' } })])).toEqual([
      `${P} jobs[0].destination.bucket (job "j"): must be <name>-<appid> (lowercase letters, digits and hyphens, then -<appid digits>) or qcs::cos:<region>::<name>-<appid> (received "NoAppId")`,
    ]);
  });

  test('tag filter without the Tag field: the tags as written', () => {
    expect(errorsOf({}, [job({ filter: { tags: { k: 'v' } }, optionalFields: ['Size'] })])).toEqual([
      `${P} jobs[0].filter.tags (job "j"): filtering by tag needs 'Tag' in optionalFields (received {"k":"v"})`,
    ]);
  });

  test('schedule.monthlyDate: the prop own name, type and value', () => {
    expect(
      errorsOf({}, [
        job({ id: 'a', schedule: { frequency: 'Daily', monthlyDate: 3 } }),
        job({ id: 'b', schedule: { frequency: 'Monthly' } }),
        job({ id: 'c', schedule: { frequency: 'Monthly', monthlyDate: 40 } }),
        job({ id: 'd', schedule: { frequency: 'Monthly', monthlyDate: 2.5 } }),
      ]),
    ).toEqual([
      `${P} jobs[0].schedule.monthlyDate (job "a"): is allowed only when schedule.frequency is 'Monthly' (received 3)`,
      `${P} jobs[1].schedule.monthlyDate (job "b"): is required when schedule.frequency is 'Monthly': a whole number from 1 to 28 (received nothing)`,
      `${P} jobs[2].schedule.monthlyDate (job "c"): must be a whole number from 1 to 28 (received 40)`,
      `${P} jobs[3].schedule.monthlyDate (job "d"): must be a whole number from 1 to 28 (received 2.5)`,
    ]);
  });

  test('unknown optional fields and bad encryption', () => {
    const errors = errorsOf({}, [
      job({
        optionalFields: ['Nope' as never],
        destination: { bucket: DEST, encryption: 'AES256' as never },
      }),
    ]);
    expect(errors).toEqual([
      `${P} jobs[0].destination.encryption (job "j"): must be 'SSE-COS' or 'NONE' (received "AES256")`,
      expect.stringMatching(
        /^\[test\/logs\] jobs\[0\]\.optionalFields\[0\] \(job "j"\): must be one of .*\(received "Nope"\)$/,
      ),
    ]);
  });

  test('period: start after end, and times that are no unix seconds', () => {
    expect(
      errorsOf({}, [
        job({ filter: { period: { startTime: 20, endTime: 10 } } }),
        job({ id: 'k', filter: { period: { startTime: -5, endTime: new Date('nope') } } }),
      ]),
    ).toEqual([
      `${P} jobs[0].filter.period (job "j"): startTime must be earlier than endTime (received {"startTime":20,"endTime":10})`,
      `${P} jobs[1].filter.period.startTime (job "k"): must be a Date or whole unix seconds (a number from 0) (received -5)`,
      `${P} jobs[1].filter.period.endTime (job "k"): must be a Date or whole unix seconds (a number from 0) (received null)`,
    ]);
  });

  test('the managed policy needs a principal: ownerUin, policyPrincipal or destination.accountId', () => {
    expect(errorsOf({ ownerUin: undefined }, [job()])).toEqual([
      `${P} jobs[0].destination.accountId (job "j"): is required when managePolicy is on and neither ownerUin nor policyPrincipal is set: it names the account whose role may deliver reports (or set managePolicy: false) (received nothing)`,
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
      `${P} ownerUin: must be the account uin (digits) (received "abc")`,
      `${P} policyPrincipal: must be a non-empty list of cam principals such as "qcs::cam::uin/100000000001:roleName/COS_QcsRole" (received [])`,
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
    const { app, stack } = newStack();
    new BucketInventory(stack, 'logs', { bucket: SOURCE, region: REGION, ownerUin: UIN });
    new BucketInventory(stack, 'copy', { bucket: SOURCE, region: REGION, ownerUin: UIN });
    new BucketInventory(new Construct(stack, 'group'), 'logs', {
      bucket: 'other-1250000000',
      region: REGION,
      ownerUin: UIN,
    });
    expect(synthErrors(app)).toEqual([
      `${P} bucket: is also managed by test/copy; declare all jobs of a bucket in one construct (received "${SOURCE}")`,
      `${P} id: gives the same terraform names as test/group/logs; give each BucketInventory of a stack a distinct id (received "logs")`,
      `[test/copy] bucket: is also managed by test/logs; declare all jobs of a bucket in one construct (received "${SOURCE}")`,
      `[test/group/logs] id: gives the same terraform names as test/logs; give each BucketInventory of a stack a distinct id (received "logs")`,
    ]);
  });

  test('shared settings of a destination or of the stack that differ are problems, not silently the first', () => {
    const { app, stack } = newStack();
    new BucketInventory(stack, 'logs', {
      bucket: SOURCE,
      region: REGION,
      jobs: [
        job({ id: 'a', destination: { bucket: DEST, accountId: '100000000001' } }),
        job({ id: 'b', destination: { bucket: DEST, accountId: '100000000002' } }),
      ],
    });
    new BucketInventory(stack, 'other', {
      bucket: 'other-1250000000',
      region: REGION,
      ownerUin: UIN,
      nodeCommand: '/opt/node22/bin/node',
      providerBundlePath: __filename,
      jobs: [job({ id: 'c' })],
    });
    expect(synthErrors(app)).toEqual([
      `${P} jobs[1].destination.accountId (job "b"): differs from "100000000001" of job "a" of test/logs, which delivers to the same bucket ${DEST}; a bucket has one owner (received "100000000002")`,
      `[test/other] providerBundlePath: differs from ${JSON.stringify(defaultProviderBundlePath())} of test/logs; the provider is shipped once per stack: use one bundle per stack (received ${JSON.stringify(__filename)})`,
      '[test/other] nodeCommand: differs from "node" of test/logs; the provider of a stack runs with one node command: give every BucketInventory of the stack the same nodeCommand (received "/opt/node22/bin/node")',
    ]);
  });

  test('the bad inputs of issue 10 together: one failure listing each, no token resolution error', () => {
    const { app, stack } = newStack();
    new BucketInventory(stack, 'example', {
      bucket: 'examplebucket-1250000000',
      region: REGION,
      jobs: [job({ id: 'a', destination: { bucket: 'Bad_Bucket' } })],
    });
    new BucketInventory(stack, 'uin', {
      bucket: 'uin-1250000000',
      region: REGION,
      ownerUin: 'abc',
      jobs: [job()],
    });
    new BucketInventory(stack, 'principal', {
      bucket: 'principal-1250000000',
      region: REGION,
      policyPrincipal: [],
      jobs: [job()],
    });
    expect(synthErrors(app)).toEqual([
      '[test/example] jobs[0].destination.bucket (job "a"): must be <name>-<appid> (lowercase letters, digits and hyphens, then -<appid digits>) or qcs::cos:<region>::<name>-<appid> (received "Bad_Bucket")',
      '[test/example] jobs[0].destination.accountId (job "a"): is required when managePolicy is on and neither ownerUin nor policyPrincipal is set: it names the account whose role may deliver reports (or set managePolicy: false) (received nothing)',
      '[test/uin] ownerUin: must be the account uin (digits) (received "abc")',
      '[test/principal] policyPrincipal: must be a non-empty list of cam principals such as "qcs::cam::uin/100000000001:roleName/COS_QcsRole" (received [])',
    ]);
  });

  test('Testing.synth reports the same problems', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'logs', {
      bucket: SOURCE,
      region: REGION,
      jobs: [job({ id: 'a b' }), job({ id: 'a b' })],
    });
    expect(() => Testing.synth(stack, true)).toThrow(
      /\[test\/logs\] jobs\[0\]\.id \(job "a b"\): may contain only[\s\S]*duplicates the id of another job[\s\S]*destination\.accountId \(job "a b"\): is required/,
    );
  });
});
