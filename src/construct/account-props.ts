/**
 * The account props of BucketInventory: the account guard (`allowedAccountIds`, each job's and
 * grant's `allowed_account_ids`) and the destination roles (`policyRoleArns`, a grant's
 * `role_arn`).
 */
import { ACCOUNT_ID_PATTERN, ROLE_ARN_PATTERN } from '../model/account';
import { isValidBucketName } from '../model/bucket';

export interface AccountProps {
  readonly allowedAccountIds?: readonly string[];
  readonly policyRoleArns?: Readonly<Record<string, string>>;
}

type Report = (field: string, value: unknown, message: string) => void;

/** Whether the guard is set and every id is well-formed (else validation fails the synth). */
export function guardIsValid(props: AccountProps): boolean {
  const ids = props.allowedAccountIds;
  return ids !== undefined && ids.length > 0 && ids.every((id) => ACCOUNT_ID_PATTERN.test(id));
}

/** Problems of the guard's ids and of each role ARN (and its key, a bucket name). */
export function accountProblems(props: AccountProps, problem: Report): void {
  const ids = props.allowedAccountIds;
  if (ids !== undefined) {
    if (ids.length === 0) problem('allowedAccountIds', ids, 'must list at least one account id (uin digits)');
    ids.forEach((id, index) => {
      if (typeof id !== 'string' || !ACCOUNT_ID_PATTERN.test(id)) {
        problem(`allowedAccountIds[${index}]`, id, 'must be a literal account id (uin digits)');
      }
    });
  }
  for (const [bucket, arn] of Object.entries(props.policyRoleArns ?? {})) {
    if (!isValidBucketName(bucket)) {
      problem(
        `policyRoleArns[${JSON.stringify(bucket)}]`,
        bucket,
        'must be keyed by a destination bucket <name>-<appid>',
      );
    }
    if (typeof arn !== 'string' || !ROLE_ARN_PATTERN.test(arn)) {
      problem(
        `policyRoleArns[${JSON.stringify(bucket)}]`,
        arn,
        'must be a role arn qcs::cam::uin/<uin>:roleName/<name>',
      );
    }
  }
}
