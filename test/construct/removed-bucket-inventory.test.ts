import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { BucketInventory, RemovedBucketInventory } from '../../src/construct';
import { DEST, REGION, SOURCE, UIN, commandPattern, newStack, synth, synthErrors } from './helpers';

interface RemovedBlock {
  from: string;
  lifecycle: { destroy: boolean };
  provisioner: {
    'local-exec': { command: string; when: string; environment: { COS_INVENTORY_SPEC: string } };
  }[];
}

describe('RemovedBucketInventory', () => {
  test('one removed block for the prune resource: destroy, prune with nothing desired and no destination kept', () => {
    const { stack } = newStack();
    new BucketInventory(stack, 'keep', {
      bucket: 'keep-1250000000',
      region: REGION,
      ownerUin: UIN,
      jobs: [{ id: 'k', destination: { bucket: DEST } }],
    });
    const gone = new RemovedBucketInventory(stack, 'logs');
    new RemovedBucketInventory(stack, 'audit.v1');
    expect(gone.pruneAddress).toBe('terraform_data.logs_prune');
    const removed = (synth(stack) as unknown as { removed: RemovedBlock[] }).removed;
    // Both in one `removed` list; an id with other characters is named as for its construct.
    expect(removed.map((b) => b.from)).toEqual([
      'terraform_data.logs_prune',
      expect.stringMatching(/^terraform_data\.audit_v1_[0-9a-f]{6}_prune$/),
    ]);
    const [block] = removed;
    expect(block.lifecycle).toEqual({ destroy: true });
    expect(block.provisioner).toHaveLength(1);
    const exec = block.provisioner[0]['local-exec'];
    expect(exec.when).toBe('destroy');
    expect(exec.command).toMatch(commandPattern('prune'));
    expect(exec.environment.COS_INVENTORY_SPEC).toBe(
      '${jsonencode({bucket = self.triggers_replace.bucket, region = self.triggers_replace.region, previous = self.triggers_replace.ids, ' +
        'sid = try(self.triggers_replace.sid, ""), destinations = try(self.triggers_replace.destinations, {}), ' +
        'desired = [], keepDestinations = []})}',
    );
  });

  test('refused while a BucketInventory with the same id is still declared', () => {
    const { app, stack } = newStack();
    new BucketInventory(stack, 'logs', { bucket: SOURCE, region: REGION, ownerUin: UIN });
    new RemovedBucketInventory(stack, 'other');
    expect(synthErrors(app)).toEqual([]);

    const second = newStack();
    new BucketInventory(second.stack, 'logs', { bucket: SOURCE, region: REGION, ownerUin: UIN });
    new RemovedBucketInventory(new Construct(second.stack, 'old'), 'logs');
    expect(synthErrors(second.app)).toEqual([
      '[test/old/logs] id: names the BucketInventory test/logs, which is still declared; remove one of them (received "logs")',
    ]);
  });
});

describe('RemovedBucketInventory under cdktf synth --hcl', () => {
  test('the removed block is written beside cdk.tf (cdktf drops stack overrides), and removed again by a JSON synth', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'cos-inventory-removed-hcl-'));
    const synthOnce = (hcl: boolean): void => {
      const previous = process.env.SYNTH_HCL_OUTPUT;
      if (hcl) process.env.SYNTH_HCL_OUTPUT = 'true';
      else delete process.env.SYNTH_HCL_OUTPUT;
      try {
        const app = new App({ outdir });
        new RemovedBucketInventory(new TerraformStack(app, 'main'), 'logs');
        app.synth();
      } finally {
        if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
        else process.env.SYNTH_HCL_OUTPUT = previous;
      }
    };
    try {
      synthOnce(true);
      const companion = join(outdir, 'stacks', 'main', 'logs_prune.removed.tf.json');
      const body = JSON.parse(readFileSync(companion, 'utf8')) as { removed: RemovedBlock[] };
      expect(body.removed.map((b) => b.from)).toEqual(['terraform_data.logs_prune']);
      expect(body.removed[0].provisioner[0]['local-exec'].command).toMatch(commandPattern('prune'));
      // Declared once: cdk.tf itself carries no removed block.
      expect(readFileSync(join(outdir, 'stacks', 'main', 'cdk.tf'), 'utf8')).not.toContain('removed');
      synthOnce(false);
      expect(existsSync(companion)).toBe(false);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
