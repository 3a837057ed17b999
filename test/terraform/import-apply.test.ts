/**
 * Adoption with the REAL `terraform` binary against the `cos-inventory emulator` CLI: the
 * emulator holds the seed samples plus a monthly, tag-filtered, disabled and encrypted job put
 * through the raw SDK; `cos-inventory import` prints a module, which a stack declares with each
 * job adopted by `importJob` (a Terraform import block). Terraform imports every job with reads
 * only (no inventory PUT or DELETE), leaves every job's content as it was, and a second plan
 * finds nothing to do. The cdktn run (jest.cdktn.config.js) repeats this file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import COS from 'cos-nodejs-sdk-v5';
import type { BucketInventory } from '../../src/construct';
import { createCosClient } from '../../src/cos/client';
import { listAllInventories } from '../../src/cos/inventory';
import { normalizeRemoteConfiguration } from '../../src/model/compare';
import type { InventoryConfiguration } from '../../src/model/configuration';
import { seedSample } from '../fixtures/seed-samples';
import { runCli, startEmulatorProcess, type EmulatorProcess } from '../kit';
import { loadModule } from '../cli/helpers';
import { planSummary } from './plan-actions';
import { planWarnings } from './plan-warnings';
import { RealTerraform } from './real-terraform';
import { findTerraform, requireTerraform } from './terraform-binary';

const terraform = findTerraform([1, 8]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails this file there.
requireTerraform(terraform, [1, 8], 'import-apply.test.ts');
if (!terraform.found) console.log(`import-apply.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const REGION = 'ap-beijing';
const SOURCE = 'sourcebucket-1250000000';
const DEST = 'targetbucket-1250000000';

/** `cos-inventory emulator` as a user starts it, for Terraform's provisioners to talk to. */
function startEmulator(): Promise<EmulatorProcess> {
  return startEmulatorProcess([
    '--port',
    '0',
    '--log',
    // Not a test of the lag: reads answer what was written.
    '--lag-ms',
    '0',
    '--bucket',
    `${SOURCE}@${REGION}`,
    '--bucket',
    `${DEST}@${REGION}`,
  ]);
}

/** The jobs of the scenario: both seed samples, then monthly, tagged, disabled, encrypted. */
function scenario(): InventoryConfiguration[] {
  const base = seedSample(false);
  const destination = base.Destination;
  return [
    seedSample(true),
    { ...seedSample(false), Id: 'inventory_test.plain' },
    { ...base, Id: 'monthly', Schedule: { Frequency: 'Monthly', MonthlyDate: '15' } },
    {
      ...base,
      Id: 'tagged.v2',
      Filter: {
        And: {
          Prefix: 'logs/',
          Tag: [
            { Key: 'team', Value: 'it\'s "ours"' },
            { Key: 'tier', Value: '${cold}\\' },
          ],
        },
        Period: { StartTime: '1700000000', EndTime: '1800000000' },
      },
      OptionalFields: ['Size', 'Tag', 'x-cos-meta-owner'],
    },
    { ...base, Id: 'disabled', IsEnabled: 'false', Schedule: { Frequency: 'Weekly' }, Filter: undefined },
    {
      ...base,
      Id: 'encrypted',
      IncludedObjectVersions: 'Current',
      Destination: {
        COSBucketDestination: { ...destination.COSBucketDestination, Encryption: { SSECOS: '' } },
      },
      OptionalFields: [],
    },
  ];
}

describeReal('an imported module under real terraform', () => {
  let emulator: EmulatorProcess;
  let tmp: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'import-apply-'));
  });
  afterAll(async () => {
    await emulator?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function remote(): Promise<InventoryConfiguration[]> {
    const env = emulator.env;
    const client = await createCosClient({
      secretId: env.TENCENTCLOUD_SECRET_ID!,
      secretKey: env.TENCENTCLOUD_SECRET_KEY!,
      endpoint: env.COS_INVENTORY_ENDPOINT,
    });
    const listing = await listAllInventories(client, { bucket: SOURCE, region: REGION });
    return listing.configurations.map((raw) => normalizeRemoteConfiguration(raw));
  }

  it('import blocks adopt every job with reads only, leaving each as it was; a second plan is empty', async () => {
    const endpoint = new URL(emulator.env.COS_INVENTORY_ENDPOINT!);
    const sdk = new COS({
      SecretId: emulator.env.TENCENTCLOUD_SECRET_ID!,
      SecretKey: emulator.env.TENCENTCLOUD_SECRET_KEY!,
      Protocol: 'http:',
      Ip: endpoint.host,
    });
    for (const config of scenario()) {
      await sdk.putBucketInventory({
        Bucket: SOURCE,
        Region: REGION,
        Id: config.Id,
        InventoryConfiguration: config as unknown as COS.InventoryConfiguration,
      });
    }
    const before = await remote();
    expect(before).toHaveLength(6);

    const imported = await runCli(['import', '--bucket', SOURCE, '--region', REGION], emulator.env);
    expect(imported.stderr).toBe(`cos-inventory import: 6 of 6 job(s) of ${SOURCE} imported\n`);
    expect(imported.code).toBe(0);

    // The module in a stack, as a user's app would use it, every job adopted by an import
    // block (importJob: the printed module may call it already; a second call is the same block).
    const declare = Object.values(loadModule(imported.stdout))[0] as (scope: Construct) => BucketInventory;
    const app = new App({ outdir: path.join(tmp, 'cdktf.out') });
    const stack = new TerraformStack(app, 'imported');
    new LocalBackend(stack, { path: path.join(tmp, 'terraform.tfstate') });
    const inventory = declare(stack);
    for (const id of inventory.jobIds) inventory.importJob(id);
    app.synth();
    const stackDir = path.join(tmp, 'cdktf.out', 'stacks', 'imported');
    const config = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
      import?: { id: string }[];
    };
    expect((config.import ?? []).map((block) => block.id).sort()).toEqual(
      before.map((job) => `${REGION}/${SOURCE}/${job.Id}`).sort(),
    );

    // One stderr line per request (`--log`): those of the plan and apply onward.
    const logFrom = emulator.stderr.length;
    const real = new RealTerraform(stackDir, path.join(tmp, 'private'), {
      PATH: process.env.PATH,
      ...emulator.env,
    });
    await real.init();
    const plan = planSummary(await real.plan());
    const jobs = Object.entries(plan).filter(([address]) => address.startsWith('cosinventory_job.'));
    expect(jobs.map(([, action]) => action)).toEqual(Array(6).fill('no-op'));
    expect(real.lastPlanText).toMatch(/Plan: 6 to import, \d+ to add, 0 to change, 0 to destroy\./);
    const applied = await real.applySavedPlan();
    expect(planWarnings(real.lastPlanText + applied)).toEqual([]);

    // Each job read, none written: nothing put, nothing deleted, every content as it was.
    const inventoryCalls = emulator.stderr.slice(logFrom).filter((line) => / inventory /.test(line));
    expect(inventoryCalls.filter((line) => line.startsWith('GET')).length).toBeGreaterThan(0);
    expect(inventoryCalls.filter((line) => !line.startsWith('GET'))).toEqual([]);
    expect(await remote()).toEqual(before);

    // What the provider read equals what the module declares ($${ and %%{ in the tags included).
    expect(await real.planExitCode()).toBe(0);
  }, 600_000);
});
