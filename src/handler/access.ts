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

/**
 * The account guard (`allowedAccountIds`): GetCallerIdentity of the process's credential
 * before any write; another account is refused with one line.
 */
export async function checkAccount(chain: CredentialChain, allowed: readonly string[]): Promise<void> {
  const identity = await chain.callerIdentity();
  if (allowed.includes(identity.accountId)) return;
  const credential = await chain.current();
  throw new HandlerError({
    code: 'AccountNotAllowed',
    message: `the credentials of ${credential.source} belong to account ${identity.accountId}, allowedAccountIds allows only ${allowed.join(', ')}: nothing was changed`,
    hint: 'apply with the credentials of an allowed account, or fix allowedAccountIds in the BucketInventory props',
  });
}
