/**
 * The harness's Terraform state: per resource address what Terraform keeps for a
 * terraform_data instance. Nothing about provisioners is stored, exactly as in Terraform.
 */

import type { JsonValue } from './values';

export interface ResourceInstanceState {
  /** terraform_data's `id` attribute (a UUID). */
  readonly id: string;
  readonly input: JsonValue;
  readonly triggers_replace: JsonValue;
  readonly output: JsonValue;
  /** A create provisioner failed: the next apply replaces the instance. */
  readonly tainted: boolean;
  /** Addresses this instance depended on when it was last applied (for destroy order). */
  readonly dependencies: readonly string[];
  /** Recorded like Terraform does, so a removed resource keeps its replace order. */
  readonly create_before_destroy: boolean;
}

export interface TerraformState {
  readonly resources: Readonly<Record<string, ResourceInstanceState>>;
}

export function emptyState(): TerraformState {
  return { resources: {} };
}

/** The self object a provisioner sees: the instance's attributes. */
export function selfObject(instance: ResourceInstanceState): JsonValue {
  return {
    id: instance.id,
    input: instance.input,
    output: instance.output,
    triggers_replace: instance.triggers_replace,
  };
}
