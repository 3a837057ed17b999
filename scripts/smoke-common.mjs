// What the consumer and upgrade smokes share: the README's seed-sample stack and its buckets,
// running commands, the package's emulator and the environment terraform runs in.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readReadmeProjects } from './readme-projects.mjs';

export const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
export const SOURCE = 'sourcebucket-1250000000';
export const DESTINATION = 'targetbucket-1250000000';
export const REGION = 'ap-beijing';
export const STACK = 'seed-samples';

/** Runs a command to completion and returns its stdout; `stderr`: 'pipe' (kept for the error) or 'inherit'. */
export function run(cmd, args, cwd, env = process.env, stderr = 'pipe') {
  return execFileSync(cmd, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', stderr],
    maxBuffer: 64 << 20,
  }).toString();
}

/** Writes the README's `flavour` project into `project`; returns its files. */
export function writeReadmeProject(readme, flavour, project, label) {
  const files = readReadmeProjects(readme)[flavour];
  if (!files) throw new Error(`${label}: the README has no ${flavour} project`);
  mkdirSync(project, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), text);
  return files;
}

/** Points the project's dependency on this package at `tarball` (`manifest`: its package.json). */
export function dependOnTarball(project, manifest, tarball) {
  manifest.dependencies['cdktf-cos-inventory'] = `file:${tarball}`;
  writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * The package's emulator with the source and destination buckets. With `log`, one line per
 * request arrives in `requests` (its stderr); otherwise its stderr is this process's.
 */
export async function startEmulator({ bin, cwd, secretId, secretKey, log, label }) {
  const child = spawn(
    bin,
    [
      'emulator',
      '--port',
      '0',
      ...(log ? ['--log'] : []),
      '--secret-id',
      secretId,
      '--secret-key',
      secretKey,
      // Reads answer what was written: the plans right after an apply compare with COS.
      '--lag-ms',
      '0',
      '--bucket',
      `${SOURCE}@${REGION}`,
      '--bucket',
      `${DESTINATION}@${REGION}`,
    ],
    { cwd, stdio: ['ignore', 'pipe', log ? 'pipe' : 'inherit'] },
  );
  const requests = [];
  if (log) createInterface({ input: child.stderr }).on('line', (line) => requests.push(line));
  const firstLine = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${label}: emulator exited early with ${code}`)));
  });
  const match = /^endpoint: (http:\/\/[^:]+:\d+)$/.exec(firstLine);
  if (!match) throw new Error(`${label}: unexpected first line from the emulator: ${firstLine}`);
  child.stdout.resume();
  return { child, endpoint: match[1], requests };
}

/** Terraform's environment: nothing of the machine's but PATH, state and plugins under `tfHome`. */
export function terraformEnv({ tfHome, cliConfig, secretId, secretKey, endpoint }) {
  return {
    PATH: process.env.PATH,
    HOME: join(tfHome, 'home'),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    TF_DATA_DIR: join(tfHome, 'data'),
    TF_CLI_CONFIG_FILE: cliConfig,
    TENCENTCLOUD_SECRET_ID: secretId,
    TENCENTCLOUD_SECRET_KEY: secretKey,
    COS_INVENTORY_ENDPOINT: endpoint,
  };
}

/** `terraform plan -detailed-exitcode` must exit 0: nothing to change. */
export function expectInSync({ label, stackDir, env, when, stderr }) {
  try {
    run('terraform', ['plan', '-detailed-exitcode', '-input=false', '-no-color'], stackDir, env, stderr);
  } catch (error) {
    throw new Error(
      `${label}: a plan ${when} wants changes (exit ${error.status}):\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
  }
}
