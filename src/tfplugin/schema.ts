/**
 * Schemas of a provider's configuration, data sources and resources, and their protocol form.
 */
import { encodeCtyType, type CtyType } from './cty-type';

export interface AttributeSchema {
  readonly type: CtyType;
  readonly description?: string;
  /** @default false */
  readonly required?: boolean;
  /** @default false */
  readonly optional?: boolean;
  /** Set by the provider (alone, or when the configuration leaves it null with `optional`). @default false */
  readonly computed?: boolean;
  /** @default false */
  readonly sensitive?: boolean;
  /**
   * A change of this attribute replaces the resource: the generic plan reports it in
   * `requires_replace` (managed resources only).
   * @default false
   */
  readonly requiresReplace?: boolean;
}

export type NestingMode = 'single' | 'list' | 'set' | 'map' | 'group';

export interface NestedBlockSchema {
  readonly nesting: NestingMode;
  readonly block: BlockSchema;
  /** @default 0 */
  readonly minItems?: number;
  /** @default 0 (no limit) */
  readonly maxItems?: number;
}

export interface BlockSchema {
  readonly attributes: { readonly [name: string]: AttributeSchema };
  /** @default {} */
  readonly blockTypes?: { readonly [name: string]: NestedBlockSchema };
  readonly description?: string;
}

export interface Schema {
  /** The schema version recorded in state; a change calls the resource's upgrade hook. @default 0 */
  readonly version?: number;
  readonly block: BlockSchema;
}

/** A schema with no attributes (a provider without configuration). */
export const EMPTY_SCHEMA: Schema = { block: { attributes: {} } };

const NESTING_NAMES: Record<NestingMode, string> = {
  single: 'SINGLE',
  list: 'LIST',
  set: 'SET',
  map: 'MAP',
  group: 'GROUP',
};

function blockMessage(block: BlockSchema, version: number): Record<string, unknown> {
  return {
    version,
    description: block.description ?? '',
    description_kind: 'MARKDOWN',
    attributes: Object.entries(block.attributes).map(([name, attribute]) => ({
      name,
      type: encodeCtyType(attribute.type),
      description: attribute.description ?? '',
      description_kind: 'MARKDOWN',
      required: attribute.required === true,
      optional: attribute.optional === true,
      computed: attribute.computed === true,
      sensitive: attribute.sensitive === true,
    })),
    block_types: Object.entries(block.blockTypes ?? {}).map(([name, nested]) => ({
      type_name: name,
      block: blockMessage(nested.block, 0),
      nesting: NESTING_NAMES[nested.nesting],
      min_items: nested.minItems ?? 0,
      max_items: nested.maxItems ?? 0,
    })),
  };
}

/** The `tfplugin6.Schema` message of a schema. */
export function schemaMessage(schema: Schema): Record<string, unknown> {
  const version = schema.version ?? 0;
  return { version, block: blockMessage(schema.block, version) };
}
