/**
 * Terraform's built-in `terraform_data` resource, synthesized exactly as cdktf's `DataResource`.
 *
 * Why not `DataResource` itself: it registers, per instance, a validation that spawns
 * `terraform version` at synth, so a stack of 1000 jobs started Terraform 1000 times (about
 * 50 ms each; see bench/RESULTS.md). This class checks the version once per stack instead.
 */
import {
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  TerraformResource,
  TerraformStack,
  type ITerraformDependable,
} from 'cdktf';
// cdktf's own check (the one DataResource adds), not re-exported from its index.
import { ValidateTerraformVersion } from 'cdktf/lib/validations/validate-terraform-version';
import { Construct } from 'constructs';

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
}

/** Terraform version `terraform_data` needs. */
export const TERRAFORM_DATA_MIN_VERSION = '>=1.4';

const VERSION_CHECKED = Symbol.for('cdktf-cos-inventory.terraform-data-version-check');

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
    });
    this.inputValue = config.input;
    this.triggersReplaceValue = config.triggersReplace;
    requireTerraformDataVersion(TerraformStack.of(this));
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

/** Adds cdktf's `terraform version` validation to the stack, once however many resources. */
function requireTerraformDataVersion(stack: TerraformStack): void {
  const marked = stack as unknown as { [VERSION_CHECKED]?: true };
  if (marked[VERSION_CHECKED]) return;
  Object.defineProperty(stack, VERSION_CHECKED, { value: true });
  stack.node.addValidation(
    new ValidateTerraformVersion(
      TERRAFORM_DATA_MIN_VERSION,
      'cdktf-cos-inventory declares terraform_data resources: they need terraform 1.4 or later',
    ),
  );
}
