/**
 * A Terraform working directory: the synthesized stack directory plus the state carried
 * from one apply to the next, as `terraform apply` / `terraform destroy` would keep it.
 */

import { terraformApply, type ApplyResult } from './apply';
import { loadStackConfig } from './stack-config';
import { emptyState, type TerraformState } from './state';

export class TerraformWorkspace {
  state: TerraformState = emptyState();
  /** Every apply/destroy result, oldest first. */
  readonly history: ApplyResult[] = [];

  constructor(
    /** Directory holding cdk.tf.json and assets/ (cdktf.out/stacks/<stack>). */
    readonly stackDir: string,
    /** The environment Terraform inherits: credentials and endpoint, as in a user's shell. */
    readonly env: NodeJS.ProcessEnv,
    /** Steps in flight at once; Terraform's default is 10. */
    readonly parallelism = 10,
  ) {}

  /** The configuration currently synthesized in the stack directory (all *.tf.json and *.tf files). */
  readConfig(): Promise<unknown> {
    return loadStackConfig(this.stackDir);
  }

  /** `terraform apply [-replace=...]` with the current configuration; state persists even on failure. */
  async apply(options: { readonly replace?: readonly string[] } = {}): Promise<ApplyResult> {
    return this.run('apply', options.replace);
  }

  /** `terraform destroy` */
  async destroy(): Promise<ApplyResult> {
    return this.run('destroy');
  }

  private async run(mode: 'apply' | 'destroy', replace?: readonly string[]): Promise<ApplyResult> {
    const result = await terraformApply({
      stackDir: this.stackDir,
      config: await this.readConfig(),
      state: this.state,
      mode,
      replace,
      env: this.env,
      parallelism: this.parallelism,
    });
    this.state = result.state;
    this.history.push(result);
    return result;
  }
}
