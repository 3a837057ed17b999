/**
 * The shape cdktf's HCL renderer (`cdktf synth --hcl`) reads from `synthesizeHclAttributes`,
 * as its generated provider bindings write it; unset attributes are left out.
 */
import { listMapperHcl, stringToHclTerraform } from 'cdktf';

/** One attribute for the HCL renderer. */
export interface HclAttribute {
  readonly value: unknown;
  readonly type: 'simple' | 'list' | 'map';
  readonly storageClassType: 'string' | 'boolean' | 'stringList' | 'stringMap';
}

/** `attributes` without the unset ones, each marked as no block. */
export function hclAttributes(attributes: Readonly<Record<string, HclAttribute>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, attribute]) => attribute.value !== undefined)
      .map(([name, attribute]) => [name, { ...attribute, isBlock: false }]),
  );
}

/** A string attribute. */
export function hclString(value: string | undefined): HclAttribute {
  return { value: stringToHclTerraform(value), type: 'simple', storageClassType: 'string' };
}

/** A list-of-strings attribute. */
export function hclStringList(value: readonly string[] | undefined): HclAttribute {
  return {
    value: listMapperHcl(stringToHclTerraform, false)(value),
    type: 'list',
    storageClassType: 'stringList',
  };
}
