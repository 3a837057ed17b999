import { createRoleClient } from '../cos/chain-client';
import type { CosClient } from '../cos/client';
import { systemClock, type Clock } from '../cos/retry';
import { CosError } from '../cos/errors';
import type { CredentialChain } from '../credentials/credential-chain';
import { HandlerError, RoleActionError } from './errors';

/** What a process may need beyond its own client: its clock, and another account's role for one bucket's policy. */
export interface HandlerAccess {
  /** What retries, read-backs and policy edits wait with. */
  readonly clock: Clock;
  /** A client acting as `roleArn` (assumed once per process, chained from the process's own credential). */
  clientForRole(roleArn: string): Promise<CosClient>;
}

/**
 * Access through the credential chain, one client per role; `decorate` is applied to each role
 * client as to the process's own (the retry notices, say).
 */
export function chainAccess(
  env: NodeJS.ProcessEnv,
  chain: CredentialChain,
  decorate: (client: CosClient) => CosClient = (client) => client,
  clock: Clock = systemClock,
): HandlerAccess {
  const clients = new Map<string, Promise<CosClient>>();
  return {
    clock,
    clientForRole(roleArn) {
      let client = clients.get(roleArn);
      if (!client) {
        client = createRoleClient(env, chain, roleArn, clock).then(decorate);
        clients.set(roleArn, client);
      }
      return client;
    },
  };
}

/** Runs `work` with `client`; a COS refusal (403) under an assumed role names that role in the error line. */
export async function asRole<T>(client: CosClient, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (client.role && error instanceof CosError && error.statusCode === 403)
      throw new RoleActionError(client.role, error);
    throw error;
  }
}

/** Whose credential the process runs with: its account (GetCallerIdentity) and its source. */
export interface CallerAccount {
  readonly accountId: string;
  /** Where the credential came from, e.g. `environment (TENCENTCLOUD_SECRET_ID, ...)`. */
  readonly source: string;
}

/** Asks STS whose credential the process's own is (one GetCallerIdentity). */
export async function callerAccount(chain: CredentialChain): Promise<CallerAccount> {
  const identity = await chain.callerIdentity();
  const credential = await chain.current();
  return { accountId: identity.accountId, source: credential.source };
}

/** Which guard refuses, for the error line: the setting's name and how to fix it. */
export interface AccountGuard {
  /** The ids allowed. */
  readonly allowed: readonly string[];
  /** The setting as the user wrote it, e.g. `allowedAccountIds`. */
  readonly setting: string;
  readonly hint: string;
}

/**
 * The account guard (`allowedAccountIds`, `allowed_account_ids`): throws the one-line refusal
 * when `caller` is not an allowed account. Called before any write.
 */
export function checkAccount(caller: CallerAccount, guard: AccountGuard): void {
  if (guard.allowed.includes(caller.accountId)) return;
  throw new HandlerError({
    code: 'AccountNotAllowed',
    message: `the credentials of ${caller.source} belong to account ${caller.accountId}, ${guard.setting} allows only ${guard.allowed.join(', ')}: nothing was changed`,
    hint: guard.hint,
  });
}
