// The upgrade from release 0.1.0 (terraform_data with local-exec provisioners) to this
// package (its own provider), as a team would do it: the README's cdktf project applied with
// 0.1.0's tarball (test/fixtures/releases/), then the same code with the tarball under test,
// synthesized and applied again. The second apply must move every job and the destination
// statement into the provider's resources without writing or deleting any inventory job:
// counted from the emulator's request log (`cos-inventory emulator --log`).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  STACK,
  dependOnTarball,
  expectInSync,
  npm,
  run,
  startEmulator,
  terraformEnv,
  writeReadmeProject,
} from './smoke-common.mjs';
import { writeMirror } from './terraform-mirror.mjs';

const execFileAsync = promisify(execFile);
const SECRET_ID = 'AKIDupgrade';
const SECRET_KEY = 'upgrade-secret';

/**
 * Runs terraform without blocking this process: the emulator's request lines arrive on a pipe
 * read by this event loop (a blocked loop would also stall the emulator once the pipe is full).
 */
async function runTerraform(args, cwd, env) {
  try {
    // `state list` takes neither flag.
    const flags = args[0] === 'state' ? [] : ['-input=false', '-no-color'];
    const { stdout } = await execFileAsync('terraform', [...args, ...flags], {
      cwd,
      env,
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (error) {
    throw new Error(
      `upgrade-smoke: terraform ${args.join(' ')} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
  }
}

/** Waits until the emulator's log has stopped growing: every line of the last command is in. */
async function settled(requests) {
  let seen = -1;
  while (seen !== requests.length) {
    seen = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Installs `tarball` as the project's cdktf-cos-inventory and synthesizes; returns the stack. */
function installAndSynth(project, tarball, env) {
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
  dependOnTarball(project, manifest, tarball);
  run(npm, ['install', '--no-audit', '--no-fund'], project);
  run(npm, ['run', 'synth'], project, env);
  const stackDir = join(project, 'cdktf.out', 'stacks', STACK);
  return { stackDir, stack: JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) };
}

/** Request lines that write or delete (`PUT`, `POST`, `DELETE`), by target. */
function writesIn(lines) {
  return lines.filter((line) => /^(PUT|POST|DELETE) /.test(line));
}

/**
 * `oldTarball`: release 0.1.0; `tarball`: the package under test; `bin`: the package under
 * test's `cos-inventory`, whose emulator serves both applies.
 */
export async function smokeUpgrade({ oldTarball, tarball, work, readme, bin }) {
  const project = join(work, 'upgrade');
  writeReadmeProject(readme, 'cdktf', project, 'upgrade-smoke');

  const tfHome = join(work, 'terraform-upgrade');
  mkdirSync(join(tfHome, 'home'), { recursive: true });
  writeFileSync(join(tfHome, 'empty.rc'), '');
  const synthEnv = { ...process.env, CI: '1', TF_CLI_CONFIG_FILE: join(tfHome, 'empty.rc') };

  const before = installAndSynth(project, oldTarball, synthEnv);
  const legacyJobs = Object.keys(before.stack.resource?.terraform_data ?? {}).filter((n) =>
    n.includes('_job_'),
  );
  if (legacyJobs.length !== 2) {
    throw new Error(
      `upgrade-smoke: 0.1.0 synthesized jobs ${JSON.stringify(legacyJobs)}, expected the two seed jobs`,
    );
  }
  // 0.1.0's drift check needs hashicorp/external: the repository's stand-in, from a mirror.
  const mirrorConfig = await writeMirror(join(tfHome, 'mirror'));
  // The emulator of the package under test, logging one line per request.
  const emulator = await startEmulator({
    bin,
    cwd: project,
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    log: true,
    label: 'upgrade-smoke',
  });
  try {
    const tfEnv = terraformEnv({
      tfHome,
      cliConfig: mirrorConfig,
      secretId: SECRET_ID,
      secretKey: SECRET_KEY,
      endpoint: emulator.endpoint,
    });
    await runTerraform(['init'], before.stackDir, tfEnv);
    await runTerraform(['apply', '-auto-approve'], before.stackDir, tfEnv);
    await settled(emulator.requests);
    const putJobs = emulator.requests.filter((line) => /^PUT \S+ \S+ inventory /.test(line)).length;
    if (putJobs !== 2) {
      throw new Error(`upgrade-smoke: 0.1.0's apply put ${putJobs} jobs:\n${emulator.requests.join('\n')}`);
    }
    console.log('upgrade-smoke: 0.1.0 applied the seed-sample stack (2 jobs, the destination statement)');

    const after = installAndSynth(project, tarball, synthEnv);
    const jobs = Object.keys(after.stack.resource?.cosinventory_job ?? {});
    if (jobs.length !== 2 || !existsSync(join(after.stackDir, 'terraform.d', 'plugins'))) {
      throw new Error(
        `upgrade-smoke: the new package synthesized jobs ${JSON.stringify(jobs)} and no provider`,
      );
    }
    // The state still holds 0.1.0's drift-check data source, so this first init also needs
    // hashicorp/external (a team upgrading has it: 0.1.0 needed it). An explicit
    // provider_installation turns Terraform's implied mirror off, so it names the stack's
    // terraform.d/plugins too, as docs/terraform.md shows.
    const upgradeConfig = join(tfHome, 'upgrade.rc');
    writeFileSync(
      upgradeConfig,
      `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(join(tfHome, 'mirror'))}
    include = ["registry.terraform.io/hashicorp/external"]
  }
  filesystem_mirror {
    path    = ${JSON.stringify(join(after.stackDir, 'terraform.d', 'plugins'))}
    include = ["cos-inventory.local/*/*"]
  }
}
`,
    );
    await runTerraform(['init'], after.stackDir, { ...tfEnv, TF_CLI_CONFIG_FILE: upgradeConfig });
    // From here on the stack needs nothing but the provider it carries: no CLI configuration.
    const newEnv = { ...tfEnv, TF_CLI_CONFIG_FILE: join(tfHome, 'empty.rc') };
    emulator.requests.length = 0;
    const applied = await runTerraform(['apply', '-auto-approve'], after.stackDir, newEnv);
    await settled(emulator.requests);
    const writes = writesIn(emulator.requests);
    const jobWrites = writes.filter((line) => / inventory /.test(line) || line.startsWith('DELETE '));
    const policyWrites = writes.filter((line) => / policy /.test(line));
    // One source per destination keeps 0.1.0's sid and statement: not even the policy is written.
    if (jobWrites.length > 0 || policyWrites.length > 0) {
      throw new Error(
        `upgrade-smoke: the upgrade apply wrote or deleted (expected no inventory write, no DELETE, no policy write):\n${writes.join('\n')}\n${applied}`,
      );
    }
    const state = (await runTerraform(['state', 'list'], after.stackDir, newEnv)).trim().split('\n').sort();
    if (
      state.some((address) => address.startsWith('terraform_data.')) ||
      state.filter((a) => a.startsWith('cosinventory_job.')).length !== 2
    ) {
      throw new Error(`upgrade-smoke: after the upgrade apply the state holds:\n${state.join('\n')}`);
    }
    console.log(
      "upgrade-smoke: the new package's first apply moved both jobs and the grant into the provider's resources with no write or delete",
    );

    // The drift check's data source has left the state: a fresh init needs the stack's provider only.
    rmSync(join(tfHome, 'data'), { recursive: true, force: true });
    await runTerraform(['init'], after.stackDir, newEnv);
    // In sync afterwards: an ordinary plan has nothing to do.
    expectInSync({
      label: 'upgrade-smoke',
      stackDir: after.stackDir,
      env: newEnv,
      when: 'after the upgrade',
    });
    await runTerraform(['destroy', '-auto-approve'], after.stackDir, newEnv);
    console.log('upgrade-smoke: a plan after the upgrade changes nothing; destroy ran');
  } finally {
    emulator.child.kill('SIGTERM');
  }
}
