/**
 * The stack directory `app.synth()` writes, under the real Terraform: plain `terraform init`
 * installs the provider it carries offline, with no CLI configuration, and records it in the
 * lock file; the synthesized configuration validates and plans on a fresh state (the upgrade
 * blocks name addresses absent from it) and adopts a job through its import block; on a state
 * of the provisioner release the `removed` blocks forget the prune resource and the release
 * guard without destroying them. The provider here is a test-only stand-in with the contract's
 * schemas (./schema-provider-main.ts): the provider's own behaviour is tested with it elsewhere.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { buildSync } from 'esbuild';
import { BucketInventory } from '../../src/construct';
import { PROVIDER_SOURCE, providerVersion } from '../../src/provider/names';
import { findTerraform, requireTerraform } from '../terraform/terraform-binary';
import { DEST, REGION, SOURCE, UIN } from './helpers';

const terraform = findTerraform([1, 8]);
requireTerraform(terraform, [1, 8], 'stack-directory.terraform.test.ts');
if (!terraform.found) console.log(`stack-directory.terraform.test.ts skipped: ${terraform.reason}`);
const describeReal = terraform.found ? describe : describe.skip;

const run = promisify(execFile);

let work: string;
let bundle: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cos-inventory-stack-dir-'));
  bundle = join(work, 'provider.js');
  buildSync({
    entryPoints: [join(__dirname, 'schema-provider-main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Synthesizes one stack `name` into `<work>/<name>` and returns its stack directory. */
function synthStack(name: string, declare: (stack: TerraformStack) => void, hcl = false): string {
  const previous = process.env.SYNTH_HCL_OUTPUT;
  // What `cdktf synth --hcl` sets for the app.
  if (hcl) process.env.SYNTH_HCL_OUTPUT = 'true';
  else delete process.env.SYNTH_HCL_OUTPUT;
  try {
    const app = new App({ outdir: join(work, name) });
    const stack = new TerraformStack(app, name);
    new LocalBackend(stack, { path: 'terraform.tfstate' });
    declare(stack);
    app.synth();
  } finally {
    if (previous === undefined) delete process.env.SYNTH_HCL_OUTPUT;
    else process.env.SYNTH_HCL_OUTPUT = previous;
  }
  return join(work, name, 'stacks', name);
}

function inventory(stack: TerraformStack): BucketInventory {
  return new BucketInventory(stack, 'logs', {
    bucket: SOURCE,
    region: REGION,
    ownerUin: UIN,
    allowedAccountIds: [UIN],
    providerBundlePath: bundle,
    nodeCommand: process.execPath,
    jobs: [
      { id: 'daily', destination: { bucket: DEST, prefix: 'reports' } },
      { id: 'weekly', destination: { bucket: DEST }, schedule: { frequency: 'Weekly' } },
    ],
  });
}

async function tf(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run('terraform', [...args, '-no-color'], {
    cwd: dir,
    // No CLI configuration at all: the provider comes from the directory's implied local mirror.
    env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' },
    timeout: 120_000,
  });
  return stdout;
}

describeReal('the synthesized stack directory under real terraform', () => {
  test('init installs the shipped provider offline and locks it; validate and plan accept the fresh stack', async () => {
    const dir = synthStack('fresh', (stack) => inventory(stack).importJob('daily'));
    const init = await tf(dir, ['init', '-input=false']);
    expect(init).toContain(`Installing ${PROVIDER_SOURCE} v${providerVersion()}`);
    const lock = readFileSync(join(dir, '.terraform.lock.hcl'), 'utf8');
    expect(lock).toMatch(
      new RegExp(`provider "${PROVIDER_SOURCE}" \\{\\s+version\\s+= "${providerVersion()}"[\\s\\S]*"h1:`),
    );
    expect(await tf(dir, ['validate'])).toContain('The configuration is valid');
    const plan = await tf(dir, ['plan', '-input=false']);
    // The stand-in imports a bare job, which the configuration then completes in place.
    expect(plan).toContain(`(imported from "${REGION}/${SOURCE}/daily")`);
    expect(plan).toContain('cosinventory_job.logs_job_weekly will be created');
    expect(plan).toContain(`cosinventory_destination_grant.cos_inventory_policy_${DEST} will be created`);
    expect(plan).toContain('Plan: 1 to import, 2 to add, 1 to change, 0 to destroy.');
  }, 120_000);

  test('the HCL rendering (cdk.tf and the upgrade blocks beside it) validates and plans the same', async () => {
    const dir = synthStack('hcl', (stack) => inventory(stack).importJob('daily'), true);
    await tf(dir, ['init', '-input=false']);
    expect(await tf(dir, ['validate'])).toContain('The configuration is valid');
    const plan = await tf(dir, ['plan', '-input=false']);
    expect(plan).toContain('Plan: 1 to import, 2 to add, 1 to change, 0 to destroy.');
  }, 120_000);

  test('a state of the provisioner release: removed blocks forget the prune resource and release guard, destroying nothing', async () => {
    const dir = synthStack('upgrade', (stack) => inventory(stack));
    const synthesized = readFileSync(join(dir, 'cdk.tf.json'), 'utf8');
    // The provisioner release's two resources the provider has no counterpart for.
    const old = {
      terraform: { backend: { local: { path: 'terraform.tfstate' } } },
      resource: {
        terraform_data: {
          logs_prune: { input: 'prune' },
          [`cos_inventory_policy_${DEST}_release`]: { input: 'r' },
        },
      },
    };
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(old));
    await tf(dir, ['init', '-input=false']);
    await tf(dir, ['apply', '-input=false', '-auto-approve']);
    writeFileSync(join(dir, 'cdk.tf.json'), synthesized);
    await tf(dir, ['init', '-input=false']);
    const plan = await tf(dir, ['plan', '-input=false']);
    expect(plan).toContain(
      'terraform_data.logs_prune will no longer be managed by Terraform, but will not be destroyed',
    );
    expect(plan).toContain(
      `terraform_data.cos_inventory_policy_${DEST}_release will no longer be managed by Terraform, but will not be destroyed`,
    );
    expect(plan).toContain('Plan: 3 to add, 0 to change, 0 to destroy.');
  }, 120_000);
});
