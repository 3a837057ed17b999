/**
 * Two "done when"s with the REAL `terraform` binary against the `cos-inventory emulator` CLI.
 * `cos-inventory import`: the emulator holds the seed samples plus a monthly, tag-filtered,
 * disabled and encrypted job put through the raw SDK; the printed module, synthesized in a
 * stack and applied by Terraform, leaves every job's content as it was. The drift check: that
 * stack keeps its check block, `terraform init` installs its `hashicorp/external` provider
 * from `npm run terraform-mirror` alone, the plan after the apply is quiet, and a job changed
 * out of band shows as a warning naming it and the `-replace` that repairs it; run, it clears.
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
import { writeTerraformMirror } from './mirror';
import { planWarnings } from './plan-warnings';
import { RealTerraform } from './real-terraform';
import { findTerraform, requireTerraform } from './terraform-binary';

const terraform = findTerraform([1, 5]);
// CI sets COS_INVENTORY_REQUIRE_TERRAFORM=1: a missing or too old terraform fails this file there.
requireTerraform(terraform, [1, 5], 'import-apply.test.ts');
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

  it('applies without changing any job; the drift check, kept, is quiet, and warns about a job changed out of band with the -replace that, run, clears it', async () => {
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

    // The module in a stack, as a user's app would use it.
    const declare = Object.values(loadModule(imported.stdout))[0] as (scope: Construct) => BucketInventory;
    const app = new App({ outdir: path.join(tmp, 'cdktf.out') });
    const stack = new TerraformStack(app, 'imported');
    new LocalBackend(stack, { path: path.join(tmp, 'terraform.tfstate') });
    declare(stack);
    app.synth();
    const stackDir = path.join(tmp, 'cdktf.out', 'stacks', 'imported');
    const config = fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
    expect(config).toContain('"check"');

    // One stderr line per request (`--log`): those of the apply onward.
    const logFrom = emulator.stderr.length;
    const real = new RealTerraform(
      stackDir,
      path.join(tmp, 'private'),
      { PATH: process.env.PATH, ...emulator.env },
      { cliConfig: writeTerraformMirror(path.join(tmp, 'mirror')) },
    );
    await real.init();
    await real.plan();
    const applied = await real.applySavedPlan();

    // Each job was put once, with the content it had: nothing deleted, nothing else changed.
    const inventoryCalls = emulator.stderr.slice(logFrom).filter((line) => / inventory /.test(line));
    expect(inventoryCalls.filter((line) => line.startsWith('DELETE'))).toEqual([]);
    expect(inventoryCalls.filter((line) => line.startsWith('PUT')).length).toBe(6);
    expect(await remote()).toEqual(before);
    // The check, read after the apply, finds every job in sync ($${ and %%{ in its query included).
    expect(planWarnings(applied)).toEqual([]);

    // A second plan has nothing to do, and nothing to warn about.
    const again = await real.plan();
    expect(
      (again.resource_changes ?? []).filter(
        (change) => !change.change.actions.every((a) => a === 'no-op' || a === 'read'),
      ),
    ).toEqual([]);
    expect(planWarnings(real.lastPlanText)).toEqual([]);

    // Out of band: the monthly job's schedule changed in COS.
    const monthly = await sdk.getBucketInventory({ Bucket: SOURCE, Region: REGION, Id: 'monthly' });
    await sdk.putBucketInventory({
      Bucket: SOURCE,
      Region: REGION,
      Id: 'monthly',
      InventoryConfiguration: { ...monthly.InventoryConfiguration, Schedule: { Frequency: 'Weekly' } },
    } as COS.PutBucketInventoryParams);
    await real.plan();
    const [warning, ...others] = planWarnings(real.lastPlanText);
    expect(others).toEqual([]);
    expect(warning.summary).toBe('Check block assertion failed');
    expect(warning.detail).toMatch(
      /^inventory job monthly on bucket sourcebucket-1250000000 drifted in .+; run terraform apply -replace=terraform_data\.\S+_job_monthly to restore it$/,
    );
    const command = /run (terraform apply -replace=\S+) to restore it/.exec(warning.detail)![1];
    await real.run([...command.split(' ').slice(1), '-auto-approve', '-input=false', '-no-color']);
    await real.plan();
    expect(planWarnings(real.lastPlanText)).toEqual([]);
    expect(await remote()).toEqual(before);
  }, 600_000);
});
