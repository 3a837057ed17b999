/**
 * The provider under the real `terraform`, installed from the stack directory's
 * terraform.d/plugins: a one-field change plans as an in-place update of that field alone,
 * drift shows at refresh and the next apply restores it, an import block adopts a job with
 * reads only, a job removed from the code is deleted in COS, destroy leaves foreign statements,
 * and the delivery data source warns from a check block.
 */
import { readdirSync } from 'node:fs';
import { putInventory } from '../../src/cos/inventory';
import { getPolicy, putPolicy } from '../../src/cos/policy';
import { jobAttributes } from '../../src/model/job-attributes';
import { providerVersion } from '../../src/provider/names';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';
import { remoteIds, startKit, TestClock, type Kit } from '../kit';
import {
  bucketArn,
  foreignStatement,
  jobConfiguration,
  REGION,
  ROLE,
  sidsIn,
  SOURCE,
  DESTINATION,
} from './helpers';
import { createStack, type TerraformStack } from './terraform-stack';

const terraform = findTerraform([1, 8]);
requireTerraform(terraform, [1, 8], 'provider.terraform.test.ts');
if (!terraform.found) console.log(`provider.terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const BASE = bucketArn();
const FOREIGN = foreignStatement();

function job(id: string, frequency = 'Daily') {
  return jobAttributes(
    jobConfiguration(id, { Schedule: { Frequency: frequency as 'Daily' } }),
    SOURCE,
    REGION,
  );
}

const grant = {
  bucket: DESTINATION,
  region: REGION,
  sid: 'cosInventory-stack',
  principals: [ROLE],
  resources: [`${BASE}/inventory/1250000000/source/*`],
};

let kit: Kit;
let stack: TerraformStack;
const clock = new TestClock();

beforeAll(async () => {
  if (!terraform.found) return;
  kit = await startKit({
    buckets: [`${SOURCE}@${REGION}`, `${DESTINATION}@${REGION}`],
    clock,
    consistencyLagMs: 3000,
  });
  // The endpoint's lag runs on the test clock, moved on between commands: the provider's own
  // wall-clock waits for it (a recent write not showing yet) are kept short.
  stack = createStack(kit.env({ COS_INVENTORY_READBACK_MS: '300' }));
});
afterAll(async () => {
  stack?.remove();
  await kit?.close();
});

/** Every request COS saw since the last call, as `METHOD subresource`. */
function requests(): string[] {
  const seen = kit.cos.requestLog.map((entry) => `${entry.method} ${entry.subresource}`);
  kit.cos.clearRequestLog();
  return seen;
}

/** The lag has passed: what COS holds now. */
async function statementsHeld(): Promise<string[]> {
  clock.advance(3001);
  const doc = await getPolicy(kit.client, { bucket: DESTINATION, region: REGION });
  return sidsIn(doc);
}

describeReal('cosinventory under real terraform', () => {
  test('plan, drift, import, removal and destroy', async () => {
    await putPolicy(
      kit.client,
      { bucket: DESTINATION, region: REGION },
      { version: '2.0', statement: [FOREIGN] },
    );
    clock.advance(3001);
    stack.configure({
      resource: {
        cosinventory_job: { site_job_a: job('a'), site_job_b: job('b') },
        cosinventory_destination_grant: { cos_inventory_policy_reports: grant },
      },
    });
    await stack.ok(['init', '-input=false']);
    requests();
    const created = await stack.ok(['apply', '-auto-approve', '-input=false']);
    expect(created).toContain('Apply complete! Resources: 3 added, 0 changed, 0 destroyed.');
    expect(requests().sort()).toEqual(['GET policy', 'PUT inventory', 'PUT inventory', 'PUT policy']);
    clock.advance(3001);
    expect(await remoteIds(kit.sdk, SOURCE, REGION)).toEqual(['a', 'b']);
    expect(await statementsHeld()).toEqual(['cosInventory-stack', 'someone-else']);
    // The code cache is kept outside the installed package, whose hash the lock file holds.
    expect(stack.installedFiles()).toEqual([
      'cosinventory-provider-loader.js',
      'cosinventory-provider.js',
      `terraform-provider-cosinventory_v${providerVersion()}`,
    ]);

    // One field changed: an in-place update showing that field alone.
    stack.configure({
      resource: {
        cosinventory_job: { site_job_a: job('a', 'Weekly'), site_job_b: job('b') },
        cosinventory_destination_grant: { cos_inventory_policy_reports: grant },
      },
    });
    requests();
    const plan = await stack.ok(['plan', '-input=false']);
    expect(plan).toContain('# cosinventory_job.site_job_a will be updated in-place');
    expect(plan).toMatch(/~ frequency\s+= "Daily" -> "Weekly"/);
    expect(plan.split('\n').filter((line) => /^\s+~ \w+\s+=/.test(line))).toHaveLength(1);
    expect(plan).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    // The refresh: one listing of the bucket, one read of the policy, whatever the number of jobs.
    expect(requests().sort()).toEqual(['GET inventory', 'GET policy']);
    await stack.ok(['apply', '-auto-approve', '-input=false']);
    expect(requests().filter((r) => r.startsWith('PUT') || r.startsWith('DELETE'))).toEqual([
      'PUT inventory',
    ]);

    // Out of band: b disabled with the SDK; refresh shows it, the next apply restores it.
    clock.advance(3001);
    await putInventory(
      kit.client,
      { bucket: SOURCE, region: REGION },
      jobConfiguration('b', { IsEnabled: 'false' }),
    );
    clock.advance(3001);
    // With the delivery check in a check block: job a has delivered nothing yet (a warning).
    stack.configure({
      resource: {
        cosinventory_job: { site_job_a: job('a', 'Weekly'), site_job_b: job('b') },
        cosinventory_destination_grant: { cos_inventory_policy_reports: grant },
      },
      check: {
        site_delivery_a: {
          data: { cosinventory_job_delivery: { a: { region: REGION, bucket: SOURCE, job_id: 'a' } } },
          assert: [
            {
              condition: '${data.cosinventory_job_delivery.a.ok}',
              error_message: '${data.cosinventory_job_delivery.a.detail}',
            },
          ],
        },
      },
    });
    const drift = await stack.run(['plan', '-input=false', '-detailed-exitcode']);
    expect(drift.stdout + drift.stderr).toContain('Warning: Check block assertion failed');
    expect(drift.stdout + drift.stderr).toContain(
      `inventory job a: no report has been delivered yet (bucket ${SOURCE})`,
    );
    expect(drift.code).toBe(2);
    // The refresh read COS's value: the plan takes it back to the configuration's.
    expect(drift.stdout).toContain('# cosinventory_job.site_job_b will be updated in-place');
    expect(drift.stdout).toMatch(/~ enabled\s+= false -> true/);
    expect(drift.stdout).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    await stack.ok(['apply', '-auto-approve', '-input=false']);
    clock.advance(3001);
    const restored = await kit.sdk.getBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'b' });
    expect(restored.InventoryConfiguration.IsEnabled).toBe('true');

    // An import block adopts job c, made elsewhere, with reads only; b is removed from the code.
    await putInventory(kit.client, { bucket: SOURCE, region: REGION }, jobConfiguration('c'));
    clock.advance(3001);
    requests();
    stack.configure({
      import: [{ to: 'cosinventory_job.site_job_c', id: `${REGION}/${SOURCE}/c` }],
      resource: {
        cosinventory_job: { site_job_a: job('a', 'Weekly'), site_job_c: job('c') },
        cosinventory_destination_grant: { cos_inventory_policy_reports: grant },
      },
    });
    const adopted = await stack.ok(['apply', '-auto-approve', '-input=false']);
    expect(adopted).toContain('# cosinventory_job.site_job_c will be imported');
    expect(adopted).toContain('# cosinventory_job.site_job_b will be destroyed');
    expect(adopted).toContain('Apply complete! Resources: 1 imported, 0 added, 0 changed, 1 destroyed.');
    expect(requests().filter((r) => !r.startsWith('GET'))).toEqual(['DELETE inventory']);
    clock.advance(3001);
    expect(await remoteIds(kit.sdk, SOURCE, REGION)).toEqual(['a', 'c']);

    const settled = await stack.run(['plan', '-input=false', '-detailed-exitcode']);
    expect({ code: settled.code, stderr: settled.stderr }).toEqual({ code: 0, stderr: '' });

    // Destroy: our jobs and statement go, the foreign statement stays.
    const destroyed = await stack.ok(['destroy', '-auto-approve', '-input=false']);
    expect(destroyed).toContain('Destroy complete! Resources: 3 destroyed.');
    clock.advance(3001);
    expect(await remoteIds(kit.sdk, SOURCE, REGION)).toEqual([]);
    expect(await statementsHeld()).toEqual(['someone-else']);
    // The processes wrote their code cache under TMPDIR.
    expect(readdirSync(stack.tmp)).toEqual([expect.stringMatching(/^cosinventory-provider-cache-/)]);
  });
});
