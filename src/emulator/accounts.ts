import { Account, Credentials } from './types';

/** The first account's UIN when none is given: the owner of the documented local key pair. */
export const DEFAULT_UIN = '100000000001';
/** The first account's APPID when none is given (the appid of the README's sample buckets). */
export const DEFAULT_APPID = '1250000000';

/** An account as the endpoint keeps it: one UIN, one APPID, one or more permanent key pairs. */
export interface AccountRecord {
  readonly uin: string;
  readonly appid: string;
  readonly keys: readonly Credentials[];
}

const UIN = /^[1-9][0-9]{4,19}$/;
const APPID = /^[1-9][0-9]{4,19}$/;

/**
 * Builds the accounts: the first holds `firstKeys` (default UIN and APPID), then each of
 * `more`. A UIN, APPID or SecretId used twice is refused, naming both uses.
 */
export function buildAccounts(
  firstKeys: readonly Credentials[],
  more: readonly Account[],
  where: string,
): AccountRecord[] {
  const accounts: AccountRecord[] = [{ uin: DEFAULT_UIN, appid: DEFAULT_APPID, keys: firstKeys }];
  for (const account of more) {
    if (!UIN.test(account.uin)) {
      throw new Error(`${where}: account uin ${JSON.stringify(account.uin)} is not allowed; use 5-20 digits`);
    }
    if (!APPID.test(account.appid)) {
      throw new Error(
        `${where}: account appid ${JSON.stringify(account.appid)} is not allowed; use 5-20 digits`,
      );
    }
    if (account.secretId === '' || account.secretKey === '') {
      throw new Error(`${where}: account ${account.uin} needs a non-empty secretId and secretKey`);
    }
    const clash = accounts.find((a) => a.uin === account.uin || a.appid === account.appid);
    if (clash !== undefined) {
      throw new Error(
        `${where}: account ${account.uin} (appid ${account.appid}) is not allowed; uin ${clash.uin} with appid ${clash.appid} is already an account (the first account is uin ${DEFAULT_UIN}, appid ${DEFAULT_APPID}); use another uin and appid`,
      );
    }
    accounts.push({
      uin: account.uin,
      appid: account.appid,
      keys: [{ secretId: account.secretId, secretKey: account.secretKey }],
    });
  }
  const seen = new Map<string, string>();
  for (const account of accounts) {
    for (const key of account.keys) {
      const owner = seen.get(key.secretId);
      if (owner !== undefined) {
        throw new Error(
          `${where}: secretId ${key.secretId} is given to account ${owner} and account ${account.uin}; use one secretId per key pair`,
        );
      }
      seen.set(key.secretId, account.uin);
    }
  }
  return accounts;
}

/** The APPID of a `name-appid` bucket name. */
export function appidOf(bucket: string): string {
  return bucket.slice(bucket.lastIndexOf('-') + 1);
}

/**
 * The account a bucket belongs to: the one of its APPID; a bucket whose APPID is no account's
 * belongs to the first account (so one-account setups work with any bucket name).
 */
export function ownerOf(accounts: readonly AccountRecord[], bucket: string): AccountRecord {
  const appid = appidOf(bucket);
  return accounts.find((a) => a.appid === appid) ?? accounts[0];
}
