/**
 * Terraform's built-in `terraform_data` resource, synthesized exactly as cdktf's `DataResource`.
 *
 * Why not `DataResource` itself: it registers, per instance, a validation that spawns
 * `terraform version` at synth, so a stack of 1000 jobs started Terraform 1000 times (about
 * 50 ms each; see bench/RESULTS.md), and it fails the synth where Terraform is not installed.
 * This class records its version need once per stack instead (./terraform-version.ts).
 */
import {
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  TerraformResource,
  TerraformStack,
  type ITerraformDependable,
  type TerraformResourceLifecycle,
} from 'cdktf';
import { Construct } from 'constructs';
import { requireTerraformVersion, TERRAFORM_DATA_VERSION } from './terraform-version';

/** Configuration of a {@link TerraformData} resource. */
export interface TerraformDataConfig {
  /**
   * Stored in state; a change is an in-place update.
   * @default - none
   */
  readonly input?: { readonly [key: string]: unknown };
  /**
   * Stored in state; a change replaces the instance (and so runs its provisioners).
   * @default - none
   */
  readonly triggersReplace?: { readonly [key: string]: unknown };
  /**
   * Explicit dependencies.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * Terraform's `lifecycle` block (e.g. `createBeforeDestroy`).
   * @default - none
   */
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** A `terraform_data` resource (Terraform >= 1.4, built in: no provider). */
export class TerraformData extends TerraformResource {
  public static readonly tfResourceType = 'terraform_data';

  private readonly inputValue?: TerraformDataConfig['input'];
  private readonly triggersReplaceValue?: TerraformDataConfig['triggersReplace'];

  public constructor(scope: Construct, id: string, config: TerraformDataConfig = {}) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'terraform' },
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.inputValue = config.input;
    this.triggersReplaceValue = config.triggersReplace;
    requireTerraformVersion(TerraformStack.of(this), TERRAFORM_DATA_VERSION, 'terraform_data resources');
  }

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapper(anyToTerraform)(this.inputValue),
      triggers_replace: hashMapper(anyToTerraform)(this.triggersReplaceValue),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    return {
      input: hashMapperHcl(anyToHclTerraform)(this.inputValue),
      triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplaceValue),
    };
  }
}
