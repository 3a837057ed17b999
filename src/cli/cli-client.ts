import { connectionFromEnv, ClientConfigError, createCosClient, type CosClient } from '../cos/client';
import type { Clock } from '../cos/retry';
import { reportingRetries } from '../cos/retry-notice';
import { CredentialChain } from '../credentials/credential-chain';
import { CredentialError } from '../credentials/errors';

/** The `--profile` flag every command talking to COS takes. */
export const PROFILE_FLAG = '--profile <name>';
export const PROFILE_DESCRIPTION =
  "tccli profile to take credentials from (<TENCENTCLOUD_SHARED_CREDENTIALS_DIR or ~/.tccli>/<name>.credential), even when key variables are set; default: the provider's credential chain";

/** How a command's client is made beyond its credentials. */
export interface CliClientOptions {
  /** Per-request timeout, when the command needs another than the environment's. */
  readonly timeoutMs?: number;
  /** Where the chain and the connection settings are read: the command's `io.env`, never `process.env`. */
  readonly env: NodeJS.ProcessEnv;
  /** What retries wait with and temporary keys are renewed by (`io.clock`). @default the system clock */
  readonly clock?: Clock;
  /** The command (`cos-inventory status`) and the stream each retry is announced on. */
  readonly retries?: { readonly who: string; readonly write: (line: string) => void };
}

/**
 * A client over the credential chain (the provider's sources and order; `profile` = `--profile`).
 * `secrets` is filled as keys become known, for redacting any error line.
 */
export async function createCliClient(
  profile: string | undefined,
  secrets: string[],
  options: CliClientOptions,
): Promise<CosClient> {
  const { env } = options;
  const { clock } = options;
  const chain = new CredentialChain({
    env,
    secrets,
    ...(profile ? { profile } : {}),
    ...(clock ? { now: () => clock.now() } : {}),
  });
  const client = await createCosClient({
    ...connectionFromEnv(env),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    credentials: chain.credentials,
    secrets: chain.secrets,
    ...(clock ? { clock } : {}),
  });
  return options.retries ? reportingRetries(client, options.retries.who, options.retries.write) : client;
}

/** A problem with the settings or credentials (not a COS failure). */
export function isSetupError(error: unknown): boolean {
  return error instanceof ClientConfigError || (error instanceof CredentialError && error.exitCode === 2);
}
