/**
 * `deliveryCheck`: one `check` block per enabled job reading the provider's
 * `cosinventory_job_delivery`, as synthesized and as the real Terraform evaluates it (a warning
 * while no report has arrived, quiet once COS delivered one).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import { DELIVERY_COMPANION_FILE } from '../../src/construct/delivery-checks';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';
import { startKit, type Kit } from '../kit';
import { createStack, type TerraformStack as TerraformDir } from '../provider/terraform-stack';
import { DEST, REGION, SOURCE, UIN, newStack, synth, tempOutdir, warningsOf } from './helpers';

const terraform = findTerraform([1, 8]);
requireTerraform(terraform, [1, 8], 'delivery-check.test.ts');
const describeReal = terraform.found ? describe : describe.skip;

function declare(
  stack: TerraformStack,
  { deliveryCheck }: { deliveryCheck?: boolean } = { deliveryCheck: true },
): BucketInventory {
  return new BucketInventory(stack, 'logs', {
    // One source bucket per stack of an app: two stacks granting one source's statement collide.
    bucket: stack.node.id === 'overridden' ? 'other-1250000000' : SOURCE,
    region: REGION,
    ownerUin: UIN,
    upgradeBlocks: false,
    ...(deliveryCheck === undefined ? {} : { deliveryCheck }),
    jobs: [
      { id: 'daily', destination: { bucket: DEST, prefix: 'reports' } },
      { id: 'paused', enabled: false, destination: { bucket: DEST } },
    ],
  });
}

describe('deliveryCheck', () => {
  test('one check block per enabled job reads the delivery data source after the job exists', () => {
    const { stack } = newStack();
    declare(stack);
    const out = synth(stack);
    expect(out.check).toEqual({
      logs_delivery_daily: {
        data: {
          cosinventory_job_delivery: {
            logs_delivery_daily: {
              region: REGION,
              bucket: SOURCE,
              job_id: 'daily',
              depends_on: ['cosinventory_job.logs_job_daily'],
            },
          },
        },
        assert: [
          {
            condition: '${data.cosinventory_job_delivery.logs_delivery_daily.ok}',
            error_message: '${data.cosinventory_job_delivery.logs_delivery_daily.detail}',
          },
        ],
      },
    });
    expect(warningsOf(stack)).toEqual([]);
  });

  test('off by default; the app context turns it on and a prop wins over it', () => {
    const off = newStack();
    declare(off.stack, {});
    expect(synth(off.stack).check).toBeUndefined();

    const app = new App({ context: { 'cdktf-cos-inventory:deliveryCheck': true } });
    const on = new TerraformStack(app, 'on');
    declare(on, {});
    expect(Object.keys(synth(on).check as object)).toEqual(['logs_delivery_daily']);

    const overridden = new TerraformStack(app, 'overridden');
    declare(overridden, { deliveryCheck: false });
    expect(synth(overridden).check).toBeUndefined();
  });

  test('under cdktf synth --hcl the checks go to a companion file, removed when the checks go', () => {
    const { outdir, cleanup } = tempOutdir('cos-inventory-delivery-hcl-');
    const previous = process.env.SYNTH_HCL_OUTPUT;
    try {
      process.env.SYNTH_HCL_OUTPUT = 'true';
      const first = new App({ outdir });
      declare(new TerraformStack(first, 'hcl'));
      first.synth();
      const companion = join(outdir, 'stacks', 'hcl', DELIVERY_COMPANION_FILE);
      const written = JSON.parse(readFileSync(companion, 'utf8')) as { check: Record<string, unknown> };
      expect(Object.keys(written.check)).toEqual(['logs_delivery_daily']);

      const second = new App({ outdir });
      declare(new TerraformStack(second, 'hcl'), { deliveryCheck: false });
      second.synth();
      expect(existsSync(companion)).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = previous;
      cleanup();
    }
  });
});

describeReal('deliveryCheck under the real terraform', () => {
  let kit: Kit;
  let dir: TerraformDir;

  beforeAll(async () => {
    kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `${DEST}@${REGION}`] });
    dir = createStack(kit.env());
    const { stack } = newStack('delivery');
    declare(stack);
    const { terraform: _terraform, ...body } = synth(stack) as Record<string, unknown>;
    void _terraform;
    dir.configure(body);
    await dir.ok(['init', '-input=false']);
  });
  afterAll(async () => {
    dir?.remove();
    await kit?.close();
  });

  test('a plan warns while no report has arrived and is quiet once COS delivered one', async () => {
    await dir.ok(['apply', '-auto-approve', '-input=false']);
    const waiting = await dir.run(['plan', '-input=false']);
    const text = (waiting.stdout + waiting.stderr).replace(/\s+/g, ' ');
    expect(text).toContain('Warning: Check block assertion failed');
    expect(text).toContain('inventory job daily: no report has been delivered yet');
    expect(text).not.toContain('inventory job paused');

    kit.cos.runInventory(SOURCE, 'daily');
    const delivered = await dir.run(['plan', '-input=false', '-detailed-exitcode']);
    expect(delivered.stdout + delivered.stderr).not.toContain('Warning:');
    expect(delivered.stdout).toContain('Plan: 0 to add, 0 to change, 0 to destroy.');
    // Terraform plans every check block's data source again for apply ("config will be
    // reloaded to verify a check block"), so -detailed-exitcode says 2 even in sync.
    expect(delivered.stdout).toContain('(config will be reloaded to verify a check block)');
    expect(delivered.code).toBe(2);
    await dir.ok(['destroy', '-auto-approve', '-input=false']);
  });
});
