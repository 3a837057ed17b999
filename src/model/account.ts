/**
 * CAM accounts and roles as the construct, the provider and the credential chain name them.
 */

/** An account id (UIN): digits. */
export const ACCOUNT_ID_PATTERN = /^\d{1,20}$/;

/**
 * A role ARN, `qcs::cam::uin/<uin>:roleName/<name>` (the name may carry a path); group 1 is the
 * owning account's UIN.
 */
export const ROLE_ARN_PATTERN = /^qcs::cam::uin\/(\d+):roleName\/[\w+=,.@/-]{1,128}$/;

/** The account (UIN) a role ARN belongs to, or `undefined` for another shape. */
export function roleAccount(roleArn: string): string | undefined {
  return ROLE_ARN_PATTERN.exec(roleArn)?.[1];
}
