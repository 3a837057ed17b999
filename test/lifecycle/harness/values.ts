/**
 * Values as Terraform sees them in this harness: JSON values (cty's object/tuple/string/
 * number/bool/null are enough for terraform_data and the external data source), plus an
 * "unknown" marker for plan-time values that only exist after apply.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A value known only after apply (a reference to a resource with pending changes). */
export class Unknown {
  constructor(readonly reason: string) {}
}

export type Value = JsonValue | Unknown;

export function isObject(value: Value | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** Terraform's type name for a value, used in error messages. */
export function typeName(value: Value): string {
  if (value instanceof Unknown) return 'unknown';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'tuple';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/**
 * `jsonencode` as Terraform implements it: object attributes in lexical order (cty objects
 * have no insertion order), no whitespace, and `<`, `>`, `&`, U+2028, U+2029 escaped as
 * Go's encoding/json does.
 */
export function jsonencode(value: JsonValue): string {
  return encode(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function encode(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(encode).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort(compareBytes);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Go sorts strings bytewise; compare UTF-8 encodings to match for non-ASCII keys too. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
