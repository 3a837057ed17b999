/**
 * A central destination for 200 source buckets under the real `terraform`: the stack
 * `app.synth()` writes (one BucketInventory per source, one job each under its own prefix below
 * a shared root) applies against LocalCos, which refuses a policy over 20 KiB and a statement
 * over 4095 bytes as COS does; the destination's policy then holds the stack's statement within
 * the limits beside a foreign statement, which destroy leaves in place.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { BucketInventory } from '../../src/construct';
import { getPolicy, putPolicy } from '../../src/cos/policy';
import {
  POLICY_SIZE_LIMIT_BYTES,
  POLICY_STATEMENT_LIMIT_BYTES,
} from '../../src/model/destination-statements';
import type { PolicyStatement } from '../../src/model/policy';
import { remoteIds, startKit, type Kit } from '../kit';
import { terraformOk } from '../provider/terraform-stack';
import { findTerraform, requireTerraform } from './terraform-binary';

const terraform = findTerraform([1, 8]);
requireTerraform(terraform, [1, 8], 'policy-scale.terraform.test.ts');
if (!terraform.found) console.log(`policy-scale.terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const REGION = 'ap-guangzhou';
const UIN = '100000000001';
const CENTRAL = 'central-reports-1250000000';
const SOURCES = Array.from({ length: 200 }, (_, i) => `source-${String(i).padStart(3, '0')}-1250000000`);
const STACK = 'policy-scale';
const BASE = `qcs::cos:${REGION}:uid/1250000000:${CENTRAL}`;
const FOREIGN: PolicyStatement = {
  sid: 'someone-else',
  effect: 'allow',
  principal: { qcs: ['qcs::cam::uin/100000000009:uin/100000000009'] },
  action: ['name/cos:GetObject'],
  resource: [`${BASE}/public/*`],
};

let kit: Kit;
let work: string;
let stackDir: string;

beforeAll(async () => {
  if (!terraform.found) return;
  kit = await startKit({ buckets: [...SOURCES, CENTRAL].map((bucket) => `${bucket}@${REGION}`) });
  work = mkdtempSync(join(tmpdir(), 'cos-inventory-policy-scale-'));
  writeFileSync(join(work, 'empty.rc'), '');
  const app = new App({ outdir: join(work, 'out') });
  const stack = new TerraformStack(app, STACK);
  new LocalBackend(stack, { path: 'terraform.tfstate' });
  for (const bucket of SOURCES) {
    new BucketInventory(stack, bucket.replace(/-\d+$/, ''), {
      bucket,
      region: REGION,
      ownerUin: UIN,
      nodeCommand: process.execPath,
      jobs: [
        { id: 'daily', destination: { bucket: CENTRAL, prefix: `inventory/${bucket.replace(/-\d+$/, '')}` } },
      ],
    });
  }
  app.synth();
  stackDir = join(work, 'out', 'stacks', STACK);
});
afterAll(async () => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
  await kit?.close();
});

/** Runs terraform in the stack directory with the provider it carries and no CLI configuration. */
function tf(args: readonly string[]): Promise<string> {
  return terraformOk({ dir: stackDir, work, tmp: work, env: kit.env() }, args);
}

/** Every request COS saw since the last call, as `METHOD subresource`, counted. */
function requests(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of kit.cos.requestLog) {
    const key = `${entry.method} ${entry.subresource}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  kit.cos.clearRequestLog();
  return counts;
}

/** A statement as COS stores it: top-level keys capitalized (`Sid`, `Effect`, ...). */
function stored(statement: PolicyStatement): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(statement).map(([key, value]) => [key[0].toUpperCase() + key.slice(1), value]),
  );
}

async function policyHeld(): Promise<{ statements: PolicyStatement[]; bytes: number }> {
  const doc = await getPolicy(kit.client, { bucket: CENTRAL, region: REGION });
  const statements = (doc?.statement ?? doc?.Statement ?? []) as PolicyStatement[];
  return { statements, bytes: Buffer.byteLength(JSON.stringify(doc ?? {}), 'utf8') };
}

async function jobCount(): Promise<number> {
  const ids = await Promise.all(SOURCES.map((bucket) => remoteIds(kit.sdk, bucket, REGION)));
  return ids.reduce((sum, list) => sum + list.length, 0);
}

describeReal('200 source buckets delivering to one destination, under real terraform', () => {
  test('apply stays within the policy limits beside a foreign statement; destroy leaves the foreign statement', async () => {
    await putPolicy(
      kit.client,
      { bucket: CENTRAL, region: REGION },
      { version: '2.0', statement: [FOREIGN] },
    );
    const cdkJson = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as {
      resource: { cosinventory_destination_grant: Record<string, unknown> };
    };
    expect(Object.keys(cdkJson.resource.cosinventory_destination_grant)).toEqual([
      `cos_inventory_policy_${CENTRAL}`,
    ]);

    await tf(['init', '-input=false']);
    requests();
    const applied = await tf(['apply', '-auto-approve', '-input=false']);
    expect(applied).toContain('Apply complete! Resources: 201 added, 0 changed, 0 destroyed.');
    const writes = requests();
    // One PUT per job; the destination's one statement in one policy write.
    expect(writes['PUT inventory']).toBe(200);
    expect(writes['PUT policy']).toBe(1);
    expect(writes['DELETE inventory']).toBeUndefined();

    expect(await jobCount()).toBe(200);
    const held = await policyHeld();
    expect(held.statements).toHaveLength(2);
    expect(held.statements).toContainEqual(stored(FOREIGN));
    expect(held.statements).toContainEqual(
      stored({
        sid: `cosInventory-${SOURCES[0]}`,
        effect: 'allow',
        principal: { qcs: [`qcs::cam::uin/${UIN}:roleName/COS_QcsRole`] },
        action: ['name/cos:PutObject'],
        resource: [`${BASE}/inventory/*`],
      }),
    );
    expect(held.bytes).toBeLessThanOrEqual(POLICY_SIZE_LIMIT_BYTES);
    for (const statement of held.statements) {
      expect(Buffer.byteLength(JSON.stringify(statement), 'utf8')).toBeLessThanOrEqual(
        POLICY_STATEMENT_LIMIT_BYTES,
      );
    }

    const destroyed = await tf(['destroy', '-auto-approve', '-input=false']);
    expect(destroyed).toContain('Destroy complete! Resources: 201 destroyed.');
    expect(requests()['DELETE inventory']).toBe(200);
    expect(await jobCount()).toBe(0);
    expect((await policyHeld()).statements).toEqual([stored(FOREIGN)]);
  }, 300_000);
});
