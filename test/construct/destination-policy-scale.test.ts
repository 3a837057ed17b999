/**
 * The destination's grants at scale, through `app.synth()` (the user's path): a fleet of source
 * buckets delivering to one central bucket fits COS's policy limits, a configuration past them
 * fails synth with the size, the counts and the way out, and the sids (scoped by the first source
 * bucket, unique across COS) stay put as sources come after it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import {
  POLICY_SIZE_LIMIT_BYTES,
  POLICY_STATEMENT_LIMIT_BYTES,
} from '../../src/model/destination-statements';
import { REGION, UIN, grantsOf, jobsOf, synthErrors, tempOutdir, type Synthesized } from './helpers';

const CENTRAL = 'central-reports-1250000000';
const POLICY = `cos_inventory_policy_${CENTRAL}`;
const BASE = `qcs::cos:${REGION}:uid/1250000000:${CENTRAL}`;
const ROLE = `qcs::cam::uin/${UIN}:roleName/COS_QcsRole`;
const OTHER_ROLE = 'qcs::cam::uin/200000000002:roleName/COS_QcsRole';
const pad = (n: number): string => String(n).padStart(3, '0');
const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** Source `source-NNN-1250000000`, one job delivering to CENTRAL under `prefix`. */
function source(stack: TerraformStack, i: number, prefix: string, principal?: string[]): BucketInventory {
  return new BucketInventory(stack, `source-${pad(i)}`, {
    bucket: `source-${pad(i)}-1250000000`,
    region: REGION,
    ownerUin: UIN,
    policyPrincipal: principal,
    jobs: [{ id: 'daily', destination: { bucket: CENTRAL, prefix } }],
  });
}

/** `source-NNN`'s exact report folder under `prefix`. */
const folder = (i: number, prefix: string): string => `${BASE}/${prefix}/1250000000/source-${pad(i)}/*`;

/** The statement a grant writes (the provider's shape), to measure it as COS would. */
function statementOf(grant: { sid: string; principals: string[]; resources: string[] }) {
  return {
    sid: grant.sid,
    effect: 'allow',
    principal: { qcs: grant.principals },
    action: ['name/cos:PutObject'],
    resource: grant.resources,
  };
}

let outdir: string;
let cleanup: () => void;
beforeEach(() => ({ outdir, cleanup } = tempOutdir('cos-inventory-policy-scale-')));
afterEach(() => cleanup());

/** `app.synth()` of stack `name` declared by `declare`; its cdk.tf.json. */
function synthApp(declare: (stack: TerraformStack) => void, name = 'test'): Synthesized {
  const app = new App({ outdir });
  declare(new TerraformStack(app, name));
  app.synth();
  return JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')) as Synthesized;
}

describe('destination grants at scale, through app.synth()', () => {
  test('200 source buckets, one job each under its own prefix below a shared root, synthesize within the limit', () => {
    const out = synthApp((stack) => {
      for (let i = 0; i < 200; i++) source(stack, i, `inventory/source-${pad(i)}`);
    });
    const grants = grantsOf(out);
    // Exact, the 200 folders would be about 23 KB: collapsed to their shared root, one statement.
    expect(Object.keys(grants)).toEqual([POLICY]);
    const grant = grants[POLICY];
    expect(grant).toMatchObject({
      bucket: CENTRAL,
      region: REGION,
      sid: 'cosInventory-source-000-1250000000',
      principals: [ROLE],
      resources: [`${BASE}/inventory/*`],
    });
    const document = { version: '2.0', statement: [statementOf(grant)] };
    expect(bytes(document)).toBeLessThanOrEqual(POLICY_SIZE_LIMIT_BYTES);
    const jobs = jobsOf(out);
    expect(Object.keys(jobs)).toHaveLength(200);
    for (const job of Object.values(jobs)) {
      expect(job.depends_on).toEqual([`cosinventory_destination_grant.${POLICY}`]);
    }
  });

  test('exact folders while small; a second grant `_2` only once a statement would pass 4095 bytes', () => {
    const fleet = (count: number) =>
      grantsOf(
        synthApp((stack) => {
          for (let i = 0; i < count; i++) source(stack, i, `inventory/source-${pad(i)}`);
        }),
      );
    const small = fleet(30);
    expect(Object.keys(small)).toEqual([POLICY]);
    expect(small[POLICY].resources).toEqual(
      Array.from({ length: 30 }, (_, i) => folder(i, `inventory/source-${pad(i)}`)),
    );
    expect(bytes(statementOf(small[POLICY]))).toBeLessThanOrEqual(POLICY_STATEMENT_LIMIT_BYTES);

    const split = fleet(60);
    expect(Object.keys(split)).toEqual([POLICY, `${POLICY}_2`]);
    expect([split[POLICY].sid, split[`${POLICY}_2`].sid]).toEqual([
      'cosInventory-source-000-1250000000',
      'cosInventory-source-000-1250000000-2',
    ]);
    // Still least privilege: every source's exact folder, in order, over the two statements.
    expect([...split[POLICY].resources, ...split[`${POLICY}_2`].resources]).toEqual(
      Array.from({ length: 60 }, (_, i) => folder(i, `inventory/source-${pad(i)}`)),
    );
    for (const grant of Object.values(split)) {
      expect(grant.principals).toEqual([ROLE]);
      expect(bytes(statementOf(grant))).toBeLessThanOrEqual(POLICY_STATEMENT_LIMIT_BYTES);
    }
    // The first statement is full: its next folder would have passed the limit.
    const first = statementOf(split[POLICY]);
    expect(
      bytes({ ...first, resource: [...first.resource, split[`${POLICY}_2`].resources[0]] }),
    ).toBeGreaterThan(POLICY_STATEMENT_LIMIT_BYTES);
  });

  test('a configuration past the policy limit fails synth with the destination, the size, the counts and the way out', () => {
    // 300 top-level prefixes share no root: nothing may collapse (never to the bucket root).
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'test');
    for (let i = 0; i < 300; i++) source(stack, i, `team-${pad(i)}`);
    expect(synthErrors(app)).toEqual([
      `[test/CosInventoryPolicy-${CENTRAL}] destination ${CENTRAL}: destination.bucket: the statements ` +
        'letting cos deliver the reports of 300 source buckets (300 report folders, 300 resources in the ' +
        `most compact form) are 30577 bytes; a bucket policy may hold at most ${POLICY_SIZE_LIMIT_BYTES} bytes: ` +
        'give the sources of a team one shared destination prefix root (such as "inventory/<team>/<source>"), ' +
        `shorten the prefixes, or deliver to more destination buckets (received "${CENTRAL}")`,
    ]);
  });

  test('two stacks of an app granting on one bucket for the same first source fail synth; other sources do not', () => {
    const app = new App({ outdir });
    source(new TerraformStack(app, 'prod-eu'), 0, 'inventory');
    source(new TerraformStack(app, 'prod-us'), 1, 'inventory');
    expect(synthErrors(app)).toEqual([]);
    // The same source bucket declared in a third stack: both would write cosInventory-source-000-1250000000.
    source(new TerraformStack(app, 'prod-copy'), 0, 'inventory');
    expect(synthErrors(app)).toContain(
      `[prod-eu/CosInventoryPolicy-${CENTRAL}] destination ${CENTRAL}: the policy statement sid ` +
        '"cosInventory-source-000-1250000000" is also written by stack "prod-copy", which grants on the same ' +
        'bucket for the same first source bucket "source-000-1250000000": declare each source bucket in one stack only',
    );
  });
});

describe('sid stability', () => {
  const declare =
    (count: number, extra?: (stack: TerraformStack) => void) =>
    (stack: TerraformStack): void => {
      for (let i = 1; i <= count; i++) source(stack, i, `inventory/source-${pad(i)}`);
      extra?.(stack);
    };

  test('adding a source after the first keeps the first statement at its address and sid while it fits', () => {
    const before = grantsOf(synthApp(declare(2)));
    expect(Object.keys(before)).toEqual([POLICY]);
    expect(before[POLICY].sid).toBe('cosInventory-source-001-1250000000');
    const after = grantsOf(synthApp(declare(2, (stack) => source(stack, 3, 'inventory/source-003'))));
    expect(Object.keys(after)).toEqual([POLICY]);
    expect(after[POLICY].sid).toBe(before[POLICY].sid);
    expect(after[POLICY].resources).toEqual([...before[POLICY].resources, folder(3, 'inventory/source-003')]);
  });

  test('a source sorting first names the statement: its sid changes in place (one policy write)', () => {
    const before = grantsOf(synthApp(declare(2)));
    const after = grantsOf(synthApp(declare(2, (stack) => source(stack, 0, 'inventory/source-000'))));
    expect(Object.keys(after)).toEqual([POLICY]);
    expect(after[POLICY].sid).toBe('cosInventory-source-000-1250000000');
    expect(after[POLICY].resources).toEqual([folder(0, 'inventory/source-000'), ...before[POLICY].resources]);
  });

  test('a source with another principal set adds a statement `_2`, leaving the first as it was', () => {
    const before = grantsOf(synthApp(declare(2)));
    const after = grantsOf(
      synthApp(declare(2, (stack) => source(stack, 3, 'inventory/source-003', [OTHER_ROLE]))),
    );
    expect(Object.keys(after)).toEqual([POLICY, `${POLICY}_2`]);
    expect(after[POLICY]).toEqual(before[POLICY]);
    expect(after[`${POLICY}_2`]).toMatchObject({
      sid: 'cosInventory-source-001-1250000000-2',
      principals: [OTHER_ROLE],
      resources: [folder(3, 'inventory/source-003')],
    });
  });

  test('a source that overflows the first statement keeps its sid and adds `_2` for the rest', () => {
    const before = grantsOf(synthApp(declare(30)));
    expect(Object.keys(before)).toEqual([POLICY]);
    const after = grantsOf(
      synthApp(
        declare(30, (stack) => {
          for (let i = 31; i <= 60; i++) source(stack, i, `inventory/source-${pad(i)}`);
        }),
      ),
    );
    expect(Object.keys(after)).toEqual([POLICY, `${POLICY}_2`]);
    expect(after[POLICY].sid).toBe(before[POLICY].sid);
    // The first statement keeps its folders, filled up in order.
    expect(after[POLICY].resources.slice(0, 30)).toEqual(before[POLICY].resources);
    expect(after[`${POLICY}_2`].sid).toBe('cosInventory-source-001-1250000000-2');
    expect([...after[POLICY].resources, ...after[`${POLICY}_2`].resources]).toEqual(
      Array.from({ length: 60 }, (_, i) => folder(i + 1, `inventory/source-${pad(i + 1)}`)),
    );
  });
});
