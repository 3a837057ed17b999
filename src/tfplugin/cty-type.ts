/**
 * Attribute types in the JSON form Terraform's schema carries them (cty's type JSON):
 * `"string"`, `["list", "string"]`, `["object", {"a": "number"}]`. `"dynamic"` is left out on
 * purpose: its values travel as a [type, value] pair that this module does not encode.
 */
export type CtyPrimitive = 'string' | 'number' | 'bool';

export type CtyType =
  | CtyPrimitive
  | readonly ['list' | 'set' | 'map', CtyType]
  | readonly ['object', { readonly [name: string]: CtyType }]
  | readonly ['tuple', readonly CtyType[]];

export const ctyString: CtyType = 'string';
export const ctyNumber: CtyType = 'number';
export const ctyBool: CtyType = 'bool';
export const listOf = (element: CtyType): CtyType => ['list', element];
export const setOf = (element: CtyType): CtyType => ['set', element];
export const mapOf = (element: CtyType): CtyType => ['map', element];
export const objectOf = (attributes: { readonly [name: string]: CtyType }): CtyType => ['object', attributes];

/** The bytes of the schema's `type` field. */
export function encodeCtyType(type: CtyType): Buffer {
  return Buffer.from(JSON.stringify(type), 'utf8');
}
