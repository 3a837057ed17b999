/**
 * The real `terraform` binary, when one is on PATH, run in a synthesized stack directory with
 * everything it writes elsewhere (data dir, CLI config, plugin cache, home) in a private folder.
 * `terraform_data` is built in; the drift check's `hashicorp/external` comes from the
 * terraform-mirror (scripts/terraform-mirror.mjs), so `terraform init` downloads nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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

export class TerraformCli {
  /** `cliConfig`: the `TF_CLI_CONFIG_FILE` of `npm run terraform-mirror`, for a stack with the drift check. */
  constructor(stackDir, privateDir, env, cliConfig) {
    this.stackDir = stackDir;
    mkdirSync(join(privateDir, 'home'), { recursive: true });
    mkdirSync(join(privateDir, 'plugin-cache'), { recursive: true });
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

  /** Runs `terraform <args>`; rejects with the tail of its output on a non-zero exit. */
  async run(args) {
    const result = await runChild(['terraform', ...args], { env: this.env, cwd: this.stackDir });
    if (result.code !== 0) {
      throw new Error(
        `terraform ${args[0]} exited with ${result.code}: ${(result.stderr || result.stdout).trim().slice(-800)}`,
      );
    }
    return result.stdout;
  }

  init() {
    return this.run(['init', '-input=false', '-no-color']);
  }

  /** `terraform apply` (or destroy) at Terraform's default parallelism (10). */
  apply() {
    return this.run(['apply', '-auto-approve', '-input=false', '-no-color']);
  }

  destroy() {
    return this.run(['destroy', '-auto-approve', '-input=false', '-no-color']);
  }
}
