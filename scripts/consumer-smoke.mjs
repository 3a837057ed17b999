// One consumer project of the README ("Using it in your own project"), built from the packed
// tarball exactly as the README shows it: install (no ERESOLVE), synthesize with the project's
// own CLI (`cdktf synth` or `cdktn synth`), then apply and destroy the stack with the real
// `terraform` against the package's `cos-inventory emulator`, checking COS after each.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readReadmeProjects } from './readme-projects.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const SOURCE = 'sourcebucket-1250000000';
const DESTINATION = 'targetbucket-1250000000';
const REGION = 'ap-beijing';
const STACK = 'seed-samples';
const SECRET_ID = 'AKIDconsumer';
const SECRET_KEY = 'consumer-secret';

function run(cmd, args, cwd, env = process.env) {
  return execFileSync(cmd, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 << 20,
  }).toString();
}

/** The synthesized stack without the drift check: `hashicorp/external` cannot be downloaded offline. */
function withoutDriftCheck(stackFile) {
  const stack = JSON.parse(readFileSync(stackFile, 'utf8'));
  if (!stack.check || !stack.terraform?.required_providers?.external) {
    throw new Error(`consumer-smoke: ${stackFile} lacks the drift check the README's defaults synthesize`);
  }
  // Kept: the check's own program and query, so the smoke can still run the drift read itself.
  const drift = Object.values(stack.check).map((check) => Object.values(check.data.external)[0]);
  delete stack.check;
  delete stack.terraform.required_providers.external;
  if (Object.keys(stack.terraform.required_providers).length === 0) delete stack.terraform.required_providers;
  const text = JSON.stringify(stack, null, 2);
  if (text.includes('hashicorp/external'))
    throw new Error('consumer-smoke: the external provider is still required');
  writeFileSync(stackFile, text);
  return { stack, drift };
}

async function startEmulator(bin, cwd) {
  const child = spawn(
    bin,
    [
      'emulator',
      '--port',
      '0',
      '--secret-id',
      SECRET_ID,
      '--secret-key',
      SECRET_KEY,
      '--bucket',
      `${SOURCE}@${REGION}`,
      '--bucket',
      `${DESTINATION}@${REGION}`,
    ],
    { cwd, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`consumer-smoke: emulator exited early with ${code}`)));
  });
  const match = /^endpoint: (http:\/\/[^:]+:\d+)$/.exec(firstLine);
  if (!match) throw new Error(`consumer-smoke: unexpected first line from the emulator: ${firstLine}`);
  child.stdout.resume();
  return { child, endpoint: match[1] };
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
  const files = readReadmeProjects(readme)[flavour];
  if (!files) throw new Error(`consumer-smoke: the README has no ${flavour} project`);
  const project = join(work, `consumer-${flavour}`);
  mkdirSync(project, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), text);
  // The one change: this package comes from the tarball instead of the registry.
  const manifest = JSON.parse(files['package.json']);
  if (!manifest.dependencies?.['cdktf-cos-inventory']) {
    throw new Error(
      `consumer-smoke: the README's ${flavour} package.json does not depend on cdktf-cos-inventory`,
    );
  }
  manifest.dependencies['cdktf-cos-inventory'] = `file:${tarball}`;
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

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
  const { stack, drift } = withoutDriftCheck(join(stackDir, 'cdk.tf.json'));
  const jobs = Object.keys(stack.resource.terraform_data).filter((name) => name.includes('_job_'));
  if (jobs.length !== 2)
    throw new Error(`consumer-smoke: expected the two seed jobs, synthesized ${jobs.join(', ')}`);
  console.log(`consumer-smoke ${flavour}: synthesized ${STACK} (${jobs.join(', ')})`);

  const emulator = await startEmulator(join(project, 'node_modules/.bin/cos-inventory'), project);
  try {
    const tfEnv = {
      PATH: process.env.PATH,
      HOME: join(tfHome, 'home'),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_DATA_DIR: join(tfHome, 'data'),
      TF_CLI_CONFIG_FILE: join(tfHome, 'terraform.rc'),
      TENCENTCLOUD_SECRET_ID: SECRET_ID,
      TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
      COS_INVENTORY_ENDPOINT: emulator.endpoint,
    };
    run('terraform', ['init', '-input=false', '-no-color'], stackDir, tfEnv);
    run('terraform', ['apply', '-auto-approve', '-input=false', '-no-color'], stackDir, tfEnv);
    expectState(
      remoteState(project, emulator.endpoint),
      {
        jobs: [
          { id: 'inventory_test', encryption: 'SSE-COS' },
          { id: 'inventory_test_plain', encryption: 'NONE' },
        ],
        sids: [`cosInventory-${SOURCE}`],
      },
      'terraform apply',
    );
    console.log(`consumer-smoke ${flavour}: terraform apply put both jobs and the policy statement`);
    // The emulator runs with its defaults (1 s read-after-write lag, normalised policy answers):
    // a second plan must show nothing to do, and the drift check's own read must say in sync.
    const replan = spawnSync('terraform', ['plan', '-detailed-exitcode', '-input=false', '-no-color'], {
      cwd: stackDir,
      env: tfEnv,
      encoding: 'utf8',
    });
    if (replan.status !== 0) {
      throw new Error(
        `consumer-smoke: a plan after apply wants changes (exit ${replan.status}):\n${replan.stdout}${replan.stderr}`,
      );
    }
    for (const { program, query } of drift) {
      const [command, ...args] = program;
      const answer = JSON.parse(
        execFileSync(command === 'node' ? process.execPath : command, args, {
          cwd: stackDir,
          env: tfEnv,
          input: JSON.stringify(query),
        }).toString(),
      );
      if (answer.in_sync !== 'true' || answer.undeclared !== '') {
        throw new Error(`consumer-smoke: the drift check after apply says ${JSON.stringify(answer)}`);
      }
    }
    console.log(
      `consumer-smoke ${flavour}: a second plan changes nothing; the drift check's read says in sync`,
    );
    run('terraform', ['destroy', '-auto-approve', '-input=false', '-no-color'], stackDir, tfEnv);
    expectState(remoteState(project, emulator.endpoint), { jobs: [], sids: [] }, 'terraform destroy');
    console.log(`consumer-smoke ${flavour}: terraform destroy removed them`);
  } finally {
    emulator.child.kill('SIGTERM');
  }
}
