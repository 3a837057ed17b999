import type { CredentialChain } from '../credentials/credential-chain';
import { roleAccount } from '../model/account';
import { connectionFromEnv, createCosClient, type CosClient } from './client';
import type { Clock } from './retry';

/** An SDK client whose keys come from the credential chain (renewed before they expire). */
export function createChainClient(
  env: NodeJS.ProcessEnv,
  chain: CredentialChain,
  clock?: Clock,
): Promise<CosClient> {
  return createCosClient({
    ...connectionFromEnv(env),
    credentials: chain.credentials,
    secrets: chain.secrets,
    ...(clock ? { clock } : {}),
  });
}

/** An SDK client acting as `roleArn`, assumed with the chain's credential (another account's bucket). */
export function createRoleClient(
  env: NodeJS.ProcessEnv,
  chain: CredentialChain,
  roleArn: string,
  clock?: Clock,
): Promise<CosClient> {
  return createCosClient({
    ...connectionFromEnv(env),
    credentials: chain.forRole(roleArn),
    secrets: chain.secrets,
    role: { arn: roleArn, account: roleAccount(roleArn) ?? '' },
    ...(clock ? { clock } : {}),
  });
}
