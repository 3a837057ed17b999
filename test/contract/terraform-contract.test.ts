/**
 * The real `terraform` binary applies, re-plans and destroys a one-job stack synthesized from
 * the construct: against the local endpoint with COS's lag and policy normalisation on (as the
 * CLI emulator has them by default), or against real COS with COS_INVENTORY_LIVE=1. The stack
 * directory carries the provider; `terraform init` installs it offline. The re-plan right after
 * the apply, while COS may still serve the state before it, finds nothing to change
 * (`plan -detailed-exitcode` exits 0): the provider waits for its own recent writes to show.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import { getInventory } from '../../src/cos/inventory';
import { getPolicy } from '../../src/cos/policy';
import { findStatement } from '../../src/model/policy';
import { RealTerraform } from '../terraform/real-terraform';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';
import { CONTRACT_PREFIX, eventually } from './contract';
import {
  contractTargets,
  LOCAL_MODES,
  startLocal,
  uniqueId,
  WALL_CLOCK,
  type ContractTarget,
} from './target';

const terraform = findTerraform([1, 8]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails this file there.
requireTerraform(terraform, [1, 8], 'terraform-contract.test.ts');
const { targets, note } = contractTargets();
// Locally only the mode with COS's behaviours on: the slow path is the one worth a real apply.
const entries = targets.filter((entry) => entry.name !== LOCAL_MODES[0].name);
if (!terraform.found) console.log(`terraform contract skipped: ${terraform.reason}`);
else console.log(note);

const run = terraform.found && entries.length > 0;

(run
  ? describe.each(entries)
  : describe.skip.each([{ name: 'none', start: () => startLocal(LOCAL_MODES[1]) }]))(
  'terraform contract: $name',
  ({ start }) => {
    let target: ContractTarget;
    let tmp: string;
    let real: RealTerraform;
    const jobId = uniqueId('contract-tf');

    beforeAll(async () => {
      // The provider is a process of its own: the endpoint's lag passes on the wall clock.
      target = await start(WALL_CLOCK);
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'contract-terraform-'));
      const app = new App({ outdir: path.join(tmp, 'cdktf.out') });
      const stack = new TerraformStack(app, 'contract');
      new LocalBackend(stack, { path: path.join(tmp, 'terraform', 'terraform.tfstate') });
      new BucketInventory(stack, 'contract', {
        bucket: target.source,
        region: target.region,
        ownerUin: target.ownerUin,
        jobs: [{ id: jobId, destination: { bucket: target.destination, prefix: CONTRACT_PREFIX } }],
      });
      app.synth();
      real = new RealTerraform(
        path.join(tmp, 'cdktf.out', 'stacks', 'contract'),
        path.join(tmp, 'terraform'),
        {
          ...process.env,
          ...target.env,
        },
      );
      await real.init();
    });

    afterAll(async () => {
      if (target === undefined) return;
      // Whatever happened above, leave nothing behind.
      await real?.destroy().catch(() => undefined);
      await target.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    });

    it('applies, plans no change, and destroys with nothing left behind', async () => {
      const where = { bucket: target.source, region: target.region };
      const dest = { bucket: target.destination, region: target.region };
      // The statement's sid is scoped by the first source bucket granted on the destination.
      const sid = `cosInventory-${target.source}`;

      await real.plan();
      const applied = await real.applySavedPlan();
      expect(applied).toContain('Apply complete!');
      // At once, while COS may still answer with the state before the apply.
      expect(await real.planExitCode()).toBe(0);
      const put = await eventually(
        target.clock,
        () => getInventory(target.client, where, jobId),
        (value) => value !== undefined,
      );
      expect(put).toBeDefined();
      const granted = await eventually(
        target.clock,
        () => getPolicy(target.client, dest),
        (doc) => findStatement(doc, sid) !== undefined,
      );
      expect(findStatement(granted, sid)).toBeDefined();

      const destroyed = await real.destroy();
      expect(destroyed).toContain('Destroy complete!');
      const job = await eventually(
        target.clock,
        () => getInventory(target.client, where, jobId),
        (value) => value === undefined,
      );
      expect(job).toBeUndefined();
      const policy = await eventually(
        target.clock,
        () => getPolicy(target.client, dest),
        (doc) => findStatement(doc, sid) === undefined,
      );
      expect(findStatement(policy, sid)).toBeUndefined();
    }, 600_000);
  },
);
