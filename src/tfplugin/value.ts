/**
 * Terraform values as the provider sees them: JSON-like data plus `unknown`, the value a
 * plan does not know yet. Objects, maps and sets of the schema arrive as plain objects and
 * arrays; `null` is a null value.
 */

/** A value Terraform does not know yet (`(known after apply)`). */
export class UnknownValue {
  private constructor() {}
  /** The one instance; compare with `===` or {@link isUnknown}. */
  public static readonly instance = new UnknownValue();
  public toJSON(): string {
    return '(unknown)';
  }
}

export const UNKNOWN: UnknownValue = UnknownValue.instance;

export type TfValue = null | string | number | boolean | UnknownValue | TfValue[] | TfObject;

export interface TfObject {
  [key: string]: TfValue;
}

export function isUnknown(value: unknown): value is UnknownValue {
  return value === UNKNOWN;
}

export function isObject(value: TfValue | undefined): value is TfObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnknown(value);
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(value: TfValue): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}
