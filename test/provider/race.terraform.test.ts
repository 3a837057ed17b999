/**
 * The race of shared destinations under the real `terraform`: two sources swap their two
 * shared destinations in one apply while COS serves the previous policy for 3 s after each
 * write. Terraform applies the grants of one destination concurrently; the provider serializes
 * them and builds each on the document it last wrote, so no statement is lost.
 */
import { getPolicy, putPolicy } from '../../src/cos/policy';
import { jobAttributes } from '../../src/model/job-attributes';
import { sidOf, type PolicyStatement } from '../../src/model/policy';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';
import { startKit, TestClock, type Kit } from '../kit';
import { bucketArn, foreignStatement, jobConfiguration, REGION, ROLE } from './helpers';
import { createStack, type TerraformStack } from './terraform-stack';

const terraform = findTerraform([1, 8]);
requireTerraform(terraform, [1, 8], 'race.terraform.test.ts');
if (!terraform.found) console.log(`race.terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const SOURCES = ['alpha-1250000000', 'beta-1250000000'];
const DESTINATIONS = ['d1-1250000000', 'd2-1250000000'];
const PRINCIPALS = [ROLE, 'qcs::cam::uin/100000000001:uin/100000000001'];
const LAG_MS = 3000;

const resourceOf = (destination: string, source: string) =>
  `${bucketArn(destination)}/inventory/1250000000/${source.replace('-1250000000', '')}/*`;

/** Source i delivers to destination `route[i]`; each destination has one grant per principal. */
function configuration(route: readonly number[]) {
  const jobs = Object.fromEntries(
    SOURCES.map((source, i) => {
      const config = jobConfiguration('daily', {
        Destination: {
          COSBucketDestination: {
            Format: 'CSV',
            Bucket: `qcs::cos:${REGION}::${DESTINATIONS[route[i]]}`,
            Prefix: 'inventory',
          },
        },
      });
      return [`${source.split('-')[0]}_job_daily`, jobAttributes(config, source, REGION)];
    }),
  );
  const grants: Record<string, unknown> = {};
  DESTINATIONS.forEach((destination, d) => {
    const sources = SOURCES.filter((_, i) => route[i] === d);
    PRINCIPALS.forEach((principal, n) => {
      grants[`cos_inventory_policy_${destination.split('-')[0]}${n === 0 ? '' : `_${n + 1}`}`] = {
        bucket: destination,
        region: REGION,
        sid: `cosInventory-stack${n === 0 ? '' : `-${n + 1}`}`,
        principals: [principal],
        resources: sources.map((source) => resourceOf(destination, source)),
      };
    });
  });
  return { resource: { cosinventory_job: jobs, cosinventory_destination_grant: grants } };
}

let kit: Kit;
let stack: TerraformStack;
const clock = new TestClock();

beforeAll(async () => {
  if (!terraform.found) return;
  kit = await startKit({
    buckets: [...SOURCES, ...DESTINATIONS].map((bucket) => `${bucket}@${REGION}`),
    clock,
    consistencyLagMs: LAG_MS,
  });
  stack = createStack(kit.env());
});
afterAll(async () => {
  stack?.remove();
  await kit?.close();
});

/** What each destination holds once the lag has passed: sid -> resources. */
async function held(): Promise<Record<string, Record<string, unknown>>> {
  clock.advance(LAG_MS + 1);
  const result: Record<string, Record<string, unknown>> = {};
  for (const destination of DESTINATIONS) {
    const doc = await getPolicy(kit.client, { bucket: destination, region: REGION });
    const statements = (doc?.statement ?? doc?.Statement ?? []) as PolicyStatement[];
    result[destination] = Object.fromEntries(statements.map((s) => [sidOf(s), s.resource ?? s.Resource]));
  }
  return result;
}

describeReal('sources swapping shared destinations in one apply under a 3 s lag', () => {
  test('every statement of both destinations is there afterwards', async () => {
    for (const destination of DESTINATIONS) {
      await putPolicy(
        kit.client,
        { bucket: destination, region: REGION },
        { version: '2.0', statement: [foreignStatement(destination)] },
      );
    }
    clock.advance(LAG_MS + 1);
    stack.configure(configuration([0, 1]));
    await stack.ok(['init', '-input=false']);
    await stack.ok(['apply', '-auto-approve', '-input=false']);
    const expected = (route: readonly number[]) =>
      Object.fromEntries(
        DESTINATIONS.map((destination, d) => {
          const resources = SOURCES.filter((_, i) => route[i] === d).map((source) =>
            resourceOf(destination, source),
          );
          return [
            destination,
            {
              'someone-else': [`${bucketArn(destination)}/public/*`],
              'cosInventory-stack': resources,
              'cosInventory-stack-2': resources,
            },
          ];
        }),
      );
    expect(await held()).toEqual(expected([0, 1]));

    // The swap: four grants (two per destination) and two jobs change in one apply, while
    // each destination's GET keeps answering the policy before the last write.
    stack.configure(configuration([1, 0]));
    const swapped = await stack.ok(['apply', '-auto-approve', '-input=false']);
    expect(swapped).toContain('Apply complete! Resources: 0 added, 6 changed, 0 destroyed.');
    expect(await held()).toEqual(expected([1, 0]));
    const settled = await stack.run(['plan', '-input=false', '-detailed-exitcode']);
    expect({ code: settled.code, stderr: settled.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
