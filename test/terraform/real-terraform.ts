/**
 * Runs the real `terraform` binary in a synthesized stack directory, with everything it
 * writes (data dir, plugin cache, CLI config, home, plan files) kept inside one temp dir. The
 * CLI configuration is empty: `terraform init` installs the provider the stack directory
 * carries (terraform.d/plugins, the implied local mirror) offline, as on a user's machine.
 */

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A JSON value as `terraform show -json` prints it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One entry of `terraform show -json <plan>`'s `resource_changes`. */
export interface ResourceChange {
  readonly address: string;
  readonly mode: string;
  readonly change: { readonly actions: readonly string[] };
  readonly action_reason?: string;
}

/** The parts of a saved plan's JSON the tests read. */
export interface PlanJson {
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: { readonly root_module?: { readonly resources?: readonly { address: string }[] } };
}

/** A managed resource instance as `terraform show -json` lists it in state. */
export interface StateResource {
  readonly address: string;
  readonly values: Readonly<Record<string, JsonValue>>;
  readonly tainted?: boolean;
}

export class TerraformCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stdout: string,
    readonly stderr: string,
    /** The exit status (1 for an error; 2 for `plan -detailed-exitcode` with changes). */
    readonly exitCode: number,
  ) {
    super(`terraform ${args.join(' ')} failed:\n${stderr}\n${stdout.slice(-4000)}`);
    this.name = 'TerraformCommandError';
  }
}

export class RealTerraform {
  /** The environment every `terraform` command runs with. */
  readonly env: NodeJS.ProcessEnv;
  private readonly planFile: string;
  /** The human-readable text of the last {@link plan}, as a reviewer reads it in a PR. */
  lastPlanText = '';
  private readonly parallelism: number | undefined;

  constructor(
    /** Terraform's working directory: cdktf.out/stacks/<stack>. */
    readonly stackDir: string,
    /** A private directory for everything Terraform writes outside the stack directory. */
    readonly privateDir: string,
    /** The inherited environment: credentials and endpoint, as in a user's shell. */
    env: NodeJS.ProcessEnv,
    options: {
      /** Operations in flight at once (`-parallelism`); Terraform's default (10) when not given. */
      readonly parallelism?: number;
      /**
       * The CLI configuration (`TF_CLI_CONFIG_FILE`): the terraform-mirror's (./mirror.ts) for a
       * stack of the provisioner release; an empty one when not given, as the construct's
       * stacks need.
       */
      readonly cliConfig?: string;
    } = {},
  ) {
    this.parallelism = options.parallelism;
    const pluginCache = path.join(privateDir, 'plugin-cache');
    const home = path.join(privateDir, 'home');
    fs.mkdirSync(pluginCache, { recursive: true });
    fs.mkdirSync(home, { recursive: true });
    let cliConfig = options.cliConfig;
    if (cliConfig === undefined) {
      cliConfig = path.join(privateDir, 'terraform.rc');
      fs.writeFileSync(cliConfig, '');
    }
    this.planFile = path.join(privateDir, 'step.tfplan');
    this.env = {
      ...env,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_DATA_DIR: path.join(privateDir, 'tf-data'),
      TF_PLUGIN_CACHE_DIR: pluginCache,
      TF_CLI_CONFIG_FILE: cliConfig,
      HOME: home,
    };
  }

  private parallelismFlag(): string[] {
    return this.parallelism === undefined ? [] : [`-parallelism=${this.parallelism}`];
  }

  /** Runs `terraform <args>` in the stack directory; rejects with its output on a non-zero exit. */
  run(args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        'terraform',
        args,
        { cwd: this.stackDir, env: this.env, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) {
            const code = (error as { code?: unknown }).code;
            reject(new TerraformCommandError(args, stdout, stderr, typeof code === 'number' ? code : 1));
          } else resolve(stdout);
        },
      );
    });
  }

  async init(): Promise<void> {
    await this.run(['init', '-input=false', '-no-color']);
  }

  /** `terraform plan [-destroy] [-replace=...] -out=<file>` then `terraform show -json <file>`. */
  async plan(
    options: { readonly destroy?: boolean; readonly replace?: readonly string[] } = {},
  ): Promise<PlanJson> {
    this.lastPlanText = await this.run([
      'plan',
      ...(options.destroy ? ['-destroy'] : []),
      ...(options.replace ?? []).map((address) => `-replace=${address}`),
      `-out=${this.planFile}`,
      '-input=false',
      '-no-color',
      ...this.parallelismFlag(),
    ]);
    return JSON.parse(await this.run(['show', '-json', this.planFile])) as PlanJson;
  }

  /** Applies the plan saved by the last {@link plan}: exactly the changes that were compared. */
  async applySavedPlan(): Promise<string> {
    return this.run([
      'apply',
      '-auto-approve',
      '-input=false',
      '-no-color',
      ...this.parallelismFlag(),
      this.planFile,
    ]);
  }

  /**
   * `terraform plan -detailed-exitcode` (no plan file): 0 when configuration, state and COS
   * agree, 2 when there are changes; the text kept in {@link lastPlanText}.
   */
  async planExitCode(): Promise<number> {
    try {
      this.lastPlanText = await this.run(['plan', '-detailed-exitcode', '-input=false', '-no-color']);
      return 0;
    } catch (error) {
      if (!(error instanceof TerraformCommandError) || error.exitCode !== 2) throw error;
      this.lastPlanText = error.stdout;
      return 2;
    }
  }

  async destroy(): Promise<string> {
    return this.run(['destroy', '-auto-approve', '-input=false', '-no-color', ...this.parallelismFlag()]);
  }

  /** The managed resources in state (`terraform show -json`). */
  async stateResources(): Promise<StateResource[]> {
    const shown = JSON.parse(await this.run(['show', '-json'])) as {
      values?: { root_module?: { resources?: StateResource[] } };
    };
    return shown.values?.root_module?.resources ?? [];
  }

  /** `terraform output -json`, as name -> value. */
  async outputs(): Promise<Record<string, JsonValue>> {
    const shown = JSON.parse(await this.run(['output', '-json'])) as Record<string, { value: JsonValue }>;
    return Object.fromEntries(Object.entries(shown).map(([name, output]) => [name, output.value]));
  }
}
