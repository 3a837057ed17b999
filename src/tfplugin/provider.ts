/**
 * What a provider built on this module implements: schemas and hooks. The plugin server
 * ({@link servePlugin}) and the provider service do the protocol; hooks see decoded values
 * and answer values and diagnostics.
 */
import type { Diagnostic, AttributePath } from './diagnostics';
import type { Schema } from './schema';
import type { TfObject } from './value';

/** What every hook answers besides its value. */
export interface HookResult {
  /** @default [] */
  readonly diagnostics?: readonly Diagnostic[];
}

export interface DataSourceDefinition {
  readonly schema: Schema;
  /** Checks a configuration that may still hold unknown values. */
  validate?(config: TfObject): readonly Diagnostic[] | Promise<readonly Diagnostic[]>;
  /** Reads the data source; `state` is the configuration with computed attributes filled. */
  read(config: TfObject): Promise<HookResult & { readonly state?: TfObject }>;
}

/** The generic plan of a managed resource, which a `plan` hook may refine. */
export interface PlannedChange {
  readonly plannedState: TfObject | null;
  readonly requiresReplace: readonly AttributePath[];
  /** Opaque bytes carried from plan to apply. @default empty */
  readonly plannedPrivate?: Buffer;
}

export interface PlanRequest {
  readonly priorState: TfObject | null;
  readonly proposedNewState: TfObject | null;
  readonly config: TfObject | null;
  readonly priorPrivate: Buffer;
  /** What the generic plan proposes: computed attributes unknown on create, replacements flagged. */
  readonly generic: PlannedChange;
}

export interface ApplyRequest {
  readonly priorState: TfObject | null;
  readonly plannedState: TfObject;
  readonly config: TfObject | null;
  readonly plannedPrivate: Buffer;
}

/** A resource of another type (and maybe another provider) being moved to this type (`moved` block). */
export interface MoveRequest {
  /** E.g. `terraform.io/builtin/terraform` for `terraform_data`. */
  readonly sourceProviderAddress: string;
  readonly sourceTypeName: string;
  readonly sourceSchemaVersion: number;
  /** The source's stored state, JSON-decoded as the state file holds it. */
  readonly sourceState: TfObject;
  readonly sourcePrivate: Buffer;
}

export interface ResourceDefinition {
  readonly schema: Schema;
  validate?(config: TfObject): readonly Diagnostic[] | Promise<readonly Diagnostic[]>;
  /**
   * Moves a state written under an older schema `version` to the current schema. Without it
   * the stored state is taken as is (attributes the schema no longer has are dropped).
   */
  upgradeState?(state: TfObject, version: number): Promise<HookResult & { readonly state?: TfObject }>;
  /** Refines the generic plan (for example known values, extra replacements). */
  plan?(request: PlanRequest): Promise<HookResult & { readonly change?: PlannedChange }>;
  create(
    request: ApplyRequest,
  ): Promise<HookResult & { readonly state?: TfObject; readonly private?: Buffer }>;
  update(
    request: ApplyRequest,
  ): Promise<HookResult & { readonly state?: TfObject; readonly private?: Buffer }>;
  delete(priorState: TfObject, priorPrivate: Buffer): Promise<HookResult>;
  /** Refreshes the state; `state: null` means the remote object is gone. */
  read(
    state: TfObject,
    currentPrivate: Buffer,
  ): Promise<HookResult & { readonly state?: TfObject | null; readonly private?: Buffer }>;
  /** The state of an existing remote object named by an import id. */
  importState?(id: string): Promise<HookResult & { readonly state?: TfObject; readonly private?: Buffer }>;
  /**
   * This type's state for a resource of another type moved to it (`moved { from, to }`).
   * Defining it announces the `move_resource_state` capability.
   */
  moveState?(
    request: MoveRequest,
  ): Promise<HookResult & { readonly state?: TfObject; readonly private?: Buffer }>;
}

export interface ProviderDefinition {
  /** The provider block's schema. @default no attributes */
  readonly schema?: Schema;
  readonly dataSources?: { readonly [typeName: string]: DataSourceDefinition };
  readonly resources?: { readonly [typeName: string]: ResourceDefinition };
  validateConfig?(config: TfObject): readonly Diagnostic[] | Promise<readonly Diagnostic[]>;
  configure?(
    config: TfObject,
    terraformVersion: string,
  ): readonly Diagnostic[] | Promise<readonly Diagnostic[]>;
  /** Terraform asks running operations to stop (Ctrl-C). */
  stop?(): void | Promise<void>;
}
