/**
 * The real `terraform` binary, when one is on PATH, run in a synthesized stack directory with
 * everything it writes elsewhere (data dir, CLI config, plugin cache, home) in a private folder.
 * `terraform_data` is built in and the `cosinventory` provider installs from the stack
 * directory's `terraform.d/plugins` (an implied local mirror), so `terraform init` downloads
 * nothing; a `cliConfig` (a mirror of scripts/terraform-mirror.mjs) serves other providers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChild } from '../common/child.mjs';

/** `terraform version`'s version string, or undefined when no terraform answers. */
export function terraformVersion() {
  try {
    const text = execFileSync('terraform', ['version', '-json'], {
      encoding: 'utf8',
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 20_000,
    });
    const version = JSON.parse(text).terraform_version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GNU time, when installed: the CPU time of the terraform process and of the children it waited
 * for (its plugins and provisioners).
 */
const GNU_TIME = '/usr/bin/time';

export class TerraformCli {
  /** `cliConfig`: a `TF_CLI_CONFIG_FILE`, such as the one of `npm run terraform-mirror`; default an empty one. */
  constructor(stackDir, privateDir, env, cliConfig) {
    this.stackDir = stackDir;
    mkdirSync(join(privateDir, 'home'), { recursive: true });
    mkdirSync(join(privateDir, 'plugin-cache'), { recursive: true });
    this.timeFile = join(privateDir, 'cpu-time');
    /** CPU seconds (user + system) of the last command, plugins included, when GNU time is installed. */
    this.lastCpuSeconds = undefined;
    if (cliConfig === undefined) writeFileSync(join(privateDir, 'terraform.rc'), '');
    this.env = {
      ...env,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_DATA_DIR: join(privateDir, 'tf-data'),
      TF_PLUGIN_CACHE_DIR: join(privateDir, 'plugin-cache'),
      TF_CLI_CONFIG_FILE: cliConfig ?? join(privateDir, 'terraform.rc'),
      HOME: join(privateDir, 'home'),
    };
  }

  /**
   * Runs `terraform <args>` (with `extraEnv` added, e.g. a PATH for counting node starts);
   * rejects with the tail of its output on a non-zero exit.
   */
  async run(args, extraEnv = {}) {
    const result = await this.spawn(args, extraEnv);
    if (result.code !== 0) {
      throw new Error(
        `terraform ${args[0]} exited with ${result.code}: ${(result.stderr || result.stdout).trim().slice(-800)}`,
      );
    }
    return result.stdout;
  }

  init(extraEnv) {
    return this.run(['init', '-input=false', '-no-color'], extraEnv);
  }

  /** `terraform apply` (or destroy) at Terraform's default parallelism (10). */
  apply(extraEnv) {
    return this.run(['apply', '-auto-approve', '-input=false', '-no-color'], extraEnv);
  }

  destroy(extraEnv) {
    return this.run(['destroy', '-auto-approve', '-input=false', '-no-color'], extraEnv);
  }

  /** `terraform plan -detailed-exitcode`: resolves `{ changes, output }` (exit 2 means changes). */
  async plan(extraEnv) {
    const result = await this.spawn(['plan', '-detailed-exitcode', '-input=false', '-no-color'], extraEnv);
    if (result.code !== 0 && result.code !== 2) {
      throw new Error(
        `terraform plan exited with ${result.code}: ${(result.stderr || result.stdout).trim().slice(-800)}`,
      );
    }
    return { changes: result.code === 2, output: result.stdout };
  }

  /** Runs terraform (under GNU time when installed, recording `lastCpuSeconds`). */
  async spawn(args, extraEnv = {}) {
    const timed = existsSync(GNU_TIME);
    const argv = timed
      ? [GNU_TIME, '-o', this.timeFile, '-f', '%U %S', 'terraform', ...args]
      : ['terraform', ...args];
    const result = await runChild(argv, { env: { ...this.env, ...extraEnv }, cwd: this.stackDir });
    this.lastCpuSeconds = undefined;
    if (timed) {
      const match = /(\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*$/.exec(readFileSync(this.timeFile, 'utf8'));
      if (match) this.lastCpuSeconds = Number(match[1]) + Number(match[2]);
    }
    return result;
  }
}
