/**
 * The upgrade from 0.1.0 under the real `terraform`: a state written by 0.1.0's
 * `terraform_data` resources (their `triggers_replace` shapes) moves to the provider's
 * resources with `moved` blocks. The jobs take no request but reads; the policy's per-source
 * statements are replaced by the grant's in one PUT; nothing is deleted.
 */
import { putInventory } from '../../src/cos/inventory';
import { getPolicy, putPolicy } from '../../src/cos/policy';
import { canonicalConfiguration } from '../../src/model/canonical';
import { jobAttributes } from '../../src/model/job-attributes';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';
import { startKit, TestClock, type Kit } from '../kit';
import {
  DESTINATION,
  foreignStatement,
  jobConfiguration,
  legacyStatement,
  REGION,
  ROLE,
  sidsIn,
  SOURCE,
} from './helpers';
import { createStack, type TerraformStack } from './terraform-stack';

const terraform = findTerraform([1, 8]);
requireTerraform(terraform, [1, 8], 'upgrade.terraform.test.ts');
if (!terraform.found) console.log(`upgrade.terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const FOREIGN = foreignStatement();
const LEGACY = [legacyStatement('source-1250000000'), legacyStatement('other-1250000000')];
const JOBS = ['daily', 'weekly'].map((id) => canonicalConfiguration(jobConfiguration(id)));

let kit: Kit;
let stack: TerraformStack;
const clock = new TestClock();

beforeAll(async () => {
  if (!terraform.found) return;
  kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`], clock });
  stack = createStack(kit.env());
});
afterAll(async () => {
  stack?.remove();
  await kit?.close();
});

describeReal('upgrade from 0.1.0 with moved blocks', () => {
  test('jobs move with reads only; the policy statements are swapped in one PUT; nothing is deleted', async () => {
    // What 0.1.0 left in COS and in the state.
    for (const job of JOBS) await putInventory(kit.client, { bucket: SOURCE, region: REGION }, job);
    const policyTarget = { bucket: DESTINATION, region: REGION };
    await putPolicy(kit.client, policyTarget, { version: '2.0', statement: [FOREIGN, ...LEGACY] });
    const legacyResources = {
      terraform_data: {
        ...Object.fromEntries(
          JOBS.map((job) => [
            `site_job_${job.Id}`,
            { triggers_replace: { bucket: SOURCE, region: REGION, id: job.Id, configuration: job } },
          ]),
        ),
        cos_inventory_policy_reports: {
          triggers_replace: {
            bucket: DESTINATION,
            region: REGION,
            statements: LEGACY,
            sids: LEGACY.map((s) => s.sid),
          },
        },
      },
    };
    stack.configure({ resource: legacyResources });
    await stack.ok(['init', '-input=false']);
    await stack.ok(['apply', '-auto-approve', '-input=false']);

    stack.configure({
      moved: [
        ...JOBS.map((job) => ({
          from: `terraform_data.site_job_${job.Id}`,
          to: `cosinventory_job.site_job_${job.Id}`,
        })),
        {
          from: 'terraform_data.cos_inventory_policy_reports',
          to: 'cosinventory_destination_grant.cos_inventory_policy_reports',
        },
      ],
      resource: {
        cosinventory_job: Object.fromEntries(
          JOBS.map((job) => [`site_job_${job.Id}`, jobAttributes(job, SOURCE, REGION)]),
        ),
        cosinventory_destination_grant: {
          cos_inventory_policy_reports: {
            bucket: DESTINATION,
            region: REGION,
            sid: 'cosInventory-stack',
            principals: [ROLE],
            resources: LEGACY.flatMap((s) => s.resource),
          },
        },
      },
    });
    kit.cos.clearRequestLog();
    const plan = await stack.ok(['plan', '-input=false']);
    expect(plan).toContain('# terraform_data.site_job_daily has moved to cosinventory_job.site_job_daily');
    expect(plan).toContain(
      '# cosinventory_destination_grant.cos_inventory_policy_reports will be updated in-place',
    );
    expect(plan).toMatch(/~ sid\s+= "cosInventory-source-1250000000" -> "cosInventory-stack"/);
    expect(plan).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    const applied = await stack.ok(['apply', '-auto-approve', '-input=false']);
    expect(applied).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    const writes = kit.cos.requestLog
      .filter((entry) => entry.method !== 'GET' && entry.method !== 'HEAD')
      .map((entry) => `${entry.method} ${entry.subresource}`);
    expect(writes).toEqual(['PUT policy']);

    const doc = await getPolicy(kit.client, policyTarget);
    const held = sidsIn(doc);
    expect(held).toEqual(['cosInventory-stack', 'someone-else']);
    const settled = await stack.run(['plan', '-input=false', '-detailed-exitcode']);
    expect({ code: settled.code, stderr: settled.stderr }).toEqual({ code: 0, stderr: '' });
  });
});
