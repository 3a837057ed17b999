import { connectionFromEnv, ClientConfigError, createCosClient, type CosClient } from '../cos/client';
import { CredentialChain } from '../credentials/credential-chain';
import { CredentialError } from '../credentials/errors';

/** The `--profile` flag every command talking to COS takes. */
export const PROFILE_FLAG = '--profile <name>';
export const PROFILE_DESCRIPTION =
  "tccli profile to take credentials from (<TENCENTCLOUD_SHARED_CREDENTIALS_DIR or ~/.tccli>/<name>.credential), even when key variables are set; default: the provider's credential chain";

/**
 * A client over the credential chain (the provider's sources and order; `profile` = `--profile`).
 * `secrets` is filled as keys become known, for redacting any error line.
 */
export function createCliClient(
  profile: string | undefined,
  secrets: string[],
  overrides: { readonly timeoutMs?: number } = {},
): Promise<CosClient> {
  const chain = new CredentialChain({ env: process.env, secrets, ...(profile ? { profile } : {}) });
  return createCosClient({
    ...connectionFromEnv(process.env),
    ...overrides,
    credentials: chain.credentials,
    secrets: chain.secrets,
  });
}

/** A problem with the settings or credentials (not a COS failure). */
export function isSetupError(error: unknown): boolean {
  return error instanceof ClientConfigError || (error instanceof CredentialError && error.exitCode === 2);
}
