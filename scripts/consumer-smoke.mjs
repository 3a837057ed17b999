// One consumer project of the README ("Using it in your own project"), built from the packed
// tarball exactly as the README shows it: install (no ERESOLVE), synthesize with the project's
// own CLI (`cdktf synth` or `cdktn synth`), then apply and destroy the stack with the real
// `terraform` against the package's `cos-inventory emulator`, checking COS after each. The
// stack carries its provider (`terraform.d/plugins`): `terraform init` runs offline with no
// CLI configuration at all.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DESTINATION,
  REGION,
  SOURCE,
  STACK,
  dependOnTarball,
  expectInSync as expectNoChanges,
  npm,
  run as runCommand,
  startEmulator,
  terraformEnv,
  writeReadmeProject,
} from './smoke-common.mjs';

const SECRET_ID = 'AKIDconsumer';
const SECRET_KEY = 'consumer-secret';

/** Commands' stderr goes to this process's: npm's and terraform's progress stays visible. */
function run(cmd, args, cwd, env = process.env) {
  return runCommand(cmd, args, cwd, env, 'inherit');
}

/** The synthesized stack, which must carry the provider it needs. */
function withProvider(stackDir) {
  const stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
  if (
    !stack.terraform?.required_providers?.cosinventory ||
    !existsSync(join(stackDir, 'terraform.d', 'plugins'))
  ) {
    throw new Error(
      `consumer-smoke: ${stackDir} lacks the cosinventory provider and its terraform.d/plugins copy`,
    );
  }
  if (stack.check || stack.terraform.required_providers.external) {
    throw new Error(`consumer-smoke: ${stackDir} still has a drift check or needs hashicorp/external`);
  }
  return stack;
}

/** `Warning: ...` diagnostics of terraform's -no-color output, whitespace (its wrapping) collapsed. */
function warningsIn(text) {
  return text
    .split(/^(?=Warning: |Error: |Apply complete!|Destroy complete!|Outputs:)/m)
    .filter((part) => part.startsWith('Warning: '))
    .map((part) => part.replace(/\s+/g, ' ').trim());
}

function expectNoWarning(text, when) {
  const warnings = warningsIn(text);
  if (warnings.length > 0) {
    throw new Error(`consumer-smoke: ${when} warns:\n${warnings.join('\n')}`);
  }
}

function expectInSync(stackDir, env, when) {
  expectNoChanges({ label: 'consumer-smoke', stackDir, env, when, stderr: 'inherit' });
}

/** Inventory ids of the source bucket and our statement ids in the destination's policy. */
function remoteState(project, endpoint) {
  const program = `
    const COS = require('cos-nodejs-sdk-v5');
    const [ip, id, key, source, destination, region] = process.argv.slice(1);
    const cos = new COS({ SecretId: id, SecretKey: key, Protocol: 'http:', Ip: ip });
    (async () => {
      const listed = await cos.listBucketInventory({ Bucket: source, Region: region });
      const jobs = (listed.InventoryConfigurations || []).map((c) => ({
        id: c.Id, encryption: c.Destination.COSBucketDestination.Encryption ? 'SSE-COS' : 'NONE',
      }));
      const policy = await cos.getBucketPolicy({ Bucket: destination, Region: region }).then(
        (r) => r.Policy, (e) => { if (e.statusCode === 404) return undefined; throw e; });
      const sids = ((policy && policy.Statement) || (policy && policy.statement) || []).map((s) => s.sid || s.Sid);
      console.log(JSON.stringify({ jobs: jobs.sort((a, b) => (a.id < b.id ? -1 : 1)), sids }));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return JSON.parse(
    run(
      process.execPath,
      ['-e', program, endpoint.replace('http://', ''), SECRET_ID, SECRET_KEY, SOURCE, DESTINATION, REGION],
      project,
    ),
  );
}

/** Deletes one job through the SDK, as someone outside Terraform would. */
function deleteJobOutOfBand(project, endpoint, id) {
  const program = `
    const COS = require('cos-nodejs-sdk-v5');
    const [ip, secretId, key, source, region, id] = process.argv.slice(1);
    const cos = new COS({ SecretId: secretId, SecretKey: key, Protocol: 'http:', Ip: ip });
    cos.deleteBucketInventory({ Bucket: source, Region: region, Id: id }).catch((e) => { console.error(e); process.exit(1); });`;
  run(
    process.execPath,
    ['-e', program, endpoint.replace('http://', ''), SECRET_ID, SECRET_KEY, SOURCE, REGION, id],
    project,
  );
}

function expectState(actual, expected, when) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `consumer-smoke: after ${when} COS holds ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
    );
  }
}

/**
 * `synth(project, env)` synthesizes as the README says (scripts/pack-smoke.mjs: the project's
 * own `npm run synth`, under the README's Node 22 recipe where cdktn-cli needs it).
 */
export async function smokeConsumerProject({ flavour, tarball, work, readme, synth }) {
  const project = join(work, `consumer-${flavour}`);
  const files = writeReadmeProject(readme, flavour, project, 'consumer-smoke');
  // The one change: this package comes from the tarball instead of the registry.
  const manifest = JSON.parse(files['package.json']);
  if (!manifest.dependencies?.['cdktf-cos-inventory']) {
    throw new Error(
      `consumer-smoke: the README's ${flavour} package.json does not depend on cdktf-cos-inventory`,
    );
  }
  dependOnTarball(project, manifest, tarball);

  run(npm, ['install', '--no-audit', '--no-fund'], project);
  const framework = JSON.parse(readFileSync(join(project, 'node_modules/cdktf/package.json'), 'utf8'));
  console.log(
    `consumer-smoke ${flavour}: installed; 'cdktf' resolves to ${framework.name} ${framework.version}`,
  );
  if (framework.name !== flavour) throw new Error(`consumer-smoke: expected 'cdktf' to be ${flavour}`);

  // The synth asks `terraform version`: give it an empty CLI configuration, not the machine's.
  const tfHome = join(work, `terraform-${flavour}`);
  mkdirSync(join(tfHome, 'home'), { recursive: true });
  writeFileSync(join(tfHome, 'terraform.rc'), '');
  // No CHECKPOINT_DISABLE here: the README's scripts must set it themselves.
  const env = { ...process.env, CI: '1', TF_CLI_CONFIG_FILE: join(tfHome, 'terraform.rc') };
  delete env.CHECKPOINT_DISABLE;
  synth(project, env);
  const stackDir = join(project, 'cdktf.out', 'stacks', STACK);
  const stack = withProvider(stackDir);
  const jobs = Object.keys(stack.resource.cosinventory_job ?? {});
  if (jobs.length !== 2)
    throw new Error(`consumer-smoke: expected the two seed jobs, synthesized ${jobs.join(', ')}`);
  console.log(`consumer-smoke ${flavour}: synthesized ${STACK} (${jobs.join(', ')}) with its provider`);

  const emulator = await startEmulator({
    bin: join(project, 'node_modules/.bin/cos-inventory'),
    cwd: project,
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    log: false,
    label: 'consumer-smoke',
  });
  try {
    const tfEnv = terraformEnv({
      tfHome,
      cliConfig: join(tfHome, 'terraform.rc'),
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      endpoint: emulator.endpoint,
    });
    run('terraform', ['init', '-input=false', '-no-color'], stackDir, tfEnv);
    const applied = run(
      'terraform',
      ['apply', '-auto-approve', '-input=false', '-no-color'],
      stackDir,
      tfEnv,
    );
    expectNoWarning(applied, 'terraform apply');
    const afterApply = remoteState(project, emulator.endpoint);
    expectState(
      afterApply.jobs,
      [
        { id: 'inventory_test', encryption: 'SSE-COS' },
        { id: 'inventory_test_plain', encryption: 'NONE' },
      ],
      'terraform apply',
    );
    if (afterApply.sids.length !== 1 || !afterApply.sids[0].startsWith('cosInventory-')) {
      throw new Error(
        `consumer-smoke: after terraform apply the policy holds sids ${JSON.stringify(afterApply.sids)}`,
      );
    }
    console.log(`consumer-smoke ${flavour}: terraform apply put both jobs and the policy statement`);
    expectInSync(stackDir, tfEnv, 'after apply');
    console.log(`consumer-smoke ${flavour}: plan -detailed-exitcode after apply: no changes`);

    // A job deleted out of band: the refresh finds it gone and the plan creates it again.
    deleteJobOutOfBand(project, emulator.endpoint, 'inventory_test_plain');
    const drifted = run('terraform', ['plan', '-input=false', '-no-color'], stackDir, tfEnv);
    const address = jobs.find((name) => name.endsWith('_plain'));
    // The refresh found it gone: the plan creates it again and nothing else.
    if (
      !drifted.includes(`cosinventory_job.${address} will be created`) ||
      !drifted.includes('Plan: 1 to add, 0 to change, 0 to destroy.')
    ) {
      throw new Error(`consumer-smoke: a job deleted out of band, the plan says:\n${drifted}`);
    }
    run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], stackDir, tfEnv);
    expectInSync(stackDir, tfEnv, 'after restoring the deleted job');
    console.log(
      `consumer-smoke ${flavour}: a job deleted out of band showed in the plan's refresh; apply restored it`,
    );
    run('terraform', ['destroy', '-auto-approve', '-input=false', '-no-color'], stackDir, tfEnv);
    expectState(remoteState(project, emulator.endpoint), { jobs: [], sids: [] }, 'terraform destroy');
    console.log(`consumer-smoke ${flavour}: terraform destroy removed them`);

    if (flavour === 'cdktf') {
      // The project's own CLI, as the README says: the first deploy skips `terraform providers
      // lock` (it cannot see the stack's plugin directory), later ones reuse the lock file.
      const cdktf = join(project, 'node_modules/.bin/cdktf');
      rmSync(join(stackDir, '.terraform.lock.hcl'), { force: true });
      rmSync(tfEnv.TF_DATA_DIR, { recursive: true, force: true });
      const cliEnv = { ...tfEnv, CI: '1' };
      run(cdktf, ['deploy', STACK, '--auto-approve', '--skip-provider-lock'], project, cliEnv);
      const jobsDeployed = remoteState(project, emulator.endpoint).jobs.length;
      const again = run(cdktf, ['deploy', STACK, '--auto-approve'], project, cliEnv);
      if (jobsDeployed !== 2 || !again.includes('No changes.')) {
        throw new Error(
          `consumer-smoke: cdktf deploy put ${jobsDeployed} jobs; a second deploy said:\n${again}`,
        );
      }
      run(cdktf, ['destroy', STACK, '--auto-approve'], project, cliEnv);
      expectState(remoteState(project, emulator.endpoint), { jobs: [], sids: [] }, 'cdktf destroy');
      console.log(
        'consumer-smoke cdktf: cdktf deploy --skip-provider-lock, a second deploy without it (no changes), cdktf destroy',
      );
    }
  } finally {
    emulator.child.kill('SIGTERM');
  }
}
