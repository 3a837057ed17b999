/**
 * The account guard `allowed_account_ids`, like the Tencent provider's argument of that name:
 * the provider block's (for every write of the process) and each resource's (for that
 * resource's writes). A guard on the resource outlives its configuration: a resource deleted
 * from the code is deleted under the guard its state holds, through the one default provider
 * block, where a provider alias carrying the guard would have gone with the code.
 */
import { ACCOUNT_ID_PATTERN } from '../model/account';
import { ctyString, listOf } from '../tfplugin/cty-type';
import { errorDiagnostic, type Diagnostic } from '../tfplugin/diagnostics';
import type { AttributeSchema } from '../tfplugin/schema';
import { isUnknown, type TfValue } from '../tfplugin/value';

/** The attribute's name, in the provider block and in each resource. */
export const ALLOWED_ACCOUNT_IDS = 'allowed_account_ids';

/** The resources' attribute: optional, changed in place (a guard change writes nothing to COS). */
export const RESOURCE_GUARD_ATTRIBUTE: AttributeSchema = {
  type: listOf(ctyString),
  optional: true,
  description:
    'Accounts (UINs) whose credentials may create, update or delete this resource: the credential is checked with GetCallerIdentity (once per provider process) before each write; a delete is checked against the value in state. A change writes nothing to COS.',
};

/** The ids of a guard value; `undefined` when unset. */
export function guardIds(value: TfValue | undefined): string[] | undefined {
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : undefined;
}

/** One error per entry that is not a uin (unknown entries wait for apply). */
export function guardProblems(value: TfValue | undefined, summary: string): Diagnostic[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((id) => !isUnknown(id) && (typeof id !== 'string' || !ACCOUNT_ID_PATTERN.test(id)))
    .map((id) =>
      errorDiagnostic(
        summary,
        `${ALLOWED_ACCOUNT_IDS}: each entry must be an account uin (digits), received ${JSON.stringify(id)}`,
      ),
    );
}
