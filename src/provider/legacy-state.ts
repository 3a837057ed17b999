/**
 * Reading the state 0.1.0 of this library left: each job and each destination policy was a
 * `terraform_data` whose `triggers_replace` held the data. `triggers_replace` is a dynamic
 * attribute, which Terraform's state JSON stores as `{ "value": ..., "type": ... }`.
 */
import { isObject, type TfObject, type TfValue } from '../tfplugin/value';
import type { MoveRequest } from '../tfplugin/provider';

/** The only resource type a move is accepted from. */
export const LEGACY_SOURCE_TYPE = 'terraform_data';

function unwrapDynamic(value: TfValue | undefined): TfValue | undefined {
  if (isObject(value) && 'value' in value && 'type' in value && Object.keys(value).length === 2) {
    return value.value;
  }
  return value;
}

/**
 * The `triggers_replace` object of a moved `terraform_data`; throws a message naming what was
 * received and what is accepted.
 */
export function legacyTriggers(request: MoveRequest, targetType: string, expected: string): TfObject {
  if (request.sourceTypeName !== LEGACY_SOURCE_TYPE) {
    throw new Error(
      `cannot move a ${JSON.stringify(request.sourceTypeName)} resource to ${targetType}: only terraform_data resources written by cdktf-cos-inventory 0.1.0 can be moved`,
    );
  }
  const triggers = unwrapDynamic(request.sourceState.triggers_replace);
  if (!isObject(triggers)) {
    throw new Error(
      `cannot move this terraform_data to ${targetType}: its triggers_replace is ${JSON.stringify(triggers ?? null)}, expected the object 0.1.0 wrote (${expected})`,
    );
  }
  return triggers;
}

/** A string member of the legacy triggers, or an error naming it. */
export function legacyString(triggers: TfObject, name: string, targetType: string): string {
  const value = triggers[name];
  if (typeof value !== 'string' || value === '') {
    throw new Error(
      `cannot move this terraform_data to ${targetType}: triggers_replace.${name} is ${JSON.stringify(value ?? null)}, expected a non-empty string`,
    );
  }
  return value;
}
