/**
 * Drift under the REAL `terraform` binary, on the construct's stack: a job changed or deleted
 * outside Terraform is an ordinary refresh difference in `terraform plan` (the provider reads
 * every declared job from one listing of its bucket), the plan puts back exactly what drifted,
 * and the next apply restores it with one PUT; `terraform destroy` of a stack whose job is
 * already gone deletes the rest. One stack, one local endpoint, successive steps.
 */

import type { TerraformStack } from 'cdktf';

import { BucketInventory, type InventoryJob } from '../../src/construct';
import type { RequestLogEntry } from '../../src/emulator';
import { planWarnings } from './plan-warnings';
import { RealStack } from './real-stack';
import { jobRequests } from './request-digest';
import { findTerraform, requireTerraform } from './terraform-binary';

const terraform = findTerraform([1, 8]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails this file there.
requireTerraform(terraform, [1, 8], 'drift-check.test.ts');
if (!terraform.found) console.log(`drift-check.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const REGION = 'ap-guangzhou';
const LOGS = 'logs-1250000000';
const DEST = 'reports-1250000000';

const jobs: InventoryJob[] = [
  { id: 'a', destination: { bucket: DEST, prefix: 'inv' } },
  { id: 'b', destination: { bucket: DEST, prefix: 'inv' }, schedule: { frequency: 'Weekly' } },
  { id: 'c', destination: { bucket: DEST, prefix: 'inv' } },
];
const address = (id: string): string => `cosinventory_job.Logs_job_${id}`;

const writes = (requests: readonly RequestLogEntry[]): string[] =>
  requests
    .filter((e) => e.method !== 'GET')
    .map((e) => `${e.method} ${e.subresource} ${e.id ?? ''}`.trimEnd());

describeReal('drift as a refresh difference under real terraform', () => {
  let real: RealStack;

  beforeAll(async () => {
    real = await RealStack.start({ region: REGION, sources: [LOGS], destinations: [DEST] });
    real.synth((stack: TerraformStack) => {
      new BucketInventory(stack, 'Logs', {
        bucket: LOGS,
        region: REGION,
        ownerUin: '100000000001',
        providerBundlePath: require.resolve('../../dist/provider.js'),
        nodeCommand: process.execPath,
        jobs,
      });
    });
    await real.terraform.init();
    const created = await real.step();
    expect({ ok: created.ok, stderr: created.stderr }).toEqual({ ok: true, stderr: '' });
  });
  afterAll(async () => {
    await real?.close();
  });

  /** Changes `id`'s configuration in COS as the console would. */
  async function editOutOfBand(id: string, edit: Record<string, unknown>): Promise<void> {
    const current = await real.sdk.getBucketInventory({ Bucket: LOGS, Region: REGION, Id: id });
    await real.sdk.putBucketInventory({
      Bucket: LOGS,
      Region: REGION,
      Id: id,
      InventoryConfiguration: { ...current.InventoryConfiguration, ...edit },
    } as Parameters<typeof real.sdk.putBucketInventory>[0]);
  }

  it('a field changed in COS shows in the plan as that field going back; the apply restores it with one PUT', async () => {
    await editOutOfBand('b', { Schedule: { Frequency: 'Daily' }, IsEnabled: 'false' });
    const step = await real.step();
    expect({ ok: step.ok, stderr: step.stderr }).toEqual({ ok: true, stderr: '' });
    expect(Object.entries(step.plan).filter(([, action]) => action !== 'no-op')).toEqual([
      [address('b'), 'update'],
    ]);
    expect(step.planText).toContain(`# ${address('b')} will be updated in-place`);
    expect(step.planText).toMatch(/~ enabled\s+= false -> true/);
    expect(step.planText).toMatch(/~ frequency\s+= "Daily" -> "Weekly"/);
    expect(step.planText).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    // The refresh read, nothing more; no warning either.
    expect(writes(step.planRequests)).toEqual([]);
    expect(planWarnings(step.planText)).toEqual([]);
    expect(writes(step.requests)).toEqual(['PUT inventory b']);
    const restored = await real.sdk.getBucketInventory({ Bucket: LOGS, Region: REGION, Id: 'b' });
    expect(restored.InventoryConfiguration).toMatchObject({
      IsEnabled: 'true',
      Schedule: { Frequency: 'Weekly' },
    });
    expect(await real.planExitCode()).toBe(0);
  });

  it('a job deleted in COS is planned for creation; the apply puts it back', async () => {
    await real.sdk.deleteBucketInventory({ Bucket: LOGS, Region: REGION, Id: 'c' });
    const step = await real.step();
    expect({ ok: step.ok, stderr: step.stderr }).toEqual({ ok: true, stderr: '' });
    expect(Object.entries(step.plan).filter(([, action]) => action !== 'no-op')).toEqual([
      [address('c'), 'create'],
    ]);
    expect(step.planText).toContain(`# ${address('c')} will be created`);
    expect(step.planText).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
    expect(writes(step.requests)).toEqual(['PUT inventory c']);
    expect(await real.planExitCode()).toBe(0);
  });

  it('terraform destroy with a job already gone from COS deletes the others and succeeds', async () => {
    await real.sdk.deleteBucketInventory({ Bucket: LOGS, Region: REGION, Id: 'a' });
    const step = await real.step('destroy');
    expect({ ok: step.ok, stderr: step.stderr }).toEqual({ ok: true, stderr: '' });
    // The refresh found a gone: nothing to delete for it.
    expect(step.plan).not.toHaveProperty(address('a'));
    expect(jobRequests(step.requests.filter((e) => e.method === 'DELETE')).sort()).toEqual([
      'DELETE b',
      'DELETE c',
    ]);
    expect(await real.terraform.stateResources()).toEqual([]);
  });
});
