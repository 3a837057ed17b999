import type COS from 'cos-nodejs-sdk-v5';
import type { Credential } from '../credentials/credential';
import { ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SECURITY_TOKEN } from '../credentials/variables';
import { DEFAULT_RETRY_BUDGET_MS, type Clock, type RetryOptions } from './retry';

/** A credential kept current (the credential chain, or a role assumed from it). */
export interface CredentialSource {
  /** A credential valid for a while yet, renewed first when due. */
  current(): Promise<Credential>;
  /** The credential last resolved. */
  cached(): Credential | undefined;
}

/** Everything needed to build an SDK client; nothing is read from the environment here. */
export interface CosClientConfig {
  /** A fixed key; not needed when `credentials` is given. */
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly securityToken?: string;
  /** Where keys come from, renewed before they expire; wins over `secretId`/`secretKey`. */
  readonly credentials?: CredentialSource;
  /** Values that must never be printed; the array may grow as keys are renewed. */
  readonly secrets?: readonly string[];
  /** The role these keys act as, when assumed for another account's bucket (for error lines). */
  readonly role?: AssumedRole;
  /** `http://HOST:PORT`: send every request there, keeping COS's virtual-host `Host` header. */
  readonly endpoint?: string;
  /** Per-request socket timeout in milliseconds (the SDK's `Timeout`). */
  readonly timeoutMs?: number;
  /** Total time the retry layer may spend on one operation. */
  readonly retryBudgetMs?: number;
  /** What the retry layer waits with; default the system clock. */
  readonly clock?: Clock;
}

/** A role of another account, assumed for one bucket's policy. */
export interface AssumedRole {
  readonly arn: string;
  /** The UIN of the account owning the role. */
  readonly account: string;
}

/** An SDK client plus the retry policy every wrapper in src/cos applies to it. */
export interface CosClient {
  readonly sdk: COS;
  readonly retry: RetryOptions;
  /** Values that must never be printed (secret key, security token); may grow. */
  readonly secrets: readonly string[];
  /** Renewed before each call when the keys are temporary. */
  readonly credentials?: CredentialSource;
  readonly role?: AssumedRole;
}

// The credential variables have one definition, the credential chain's; the entry re-exports them.
export { ENV_SECRET_ID, ENV_SECRET_KEY, ENV_SECURITY_TOKEN };
export const ENV_ENDPOINT = 'COS_INVENTORY_ENDPOINT';
export const ENV_RETRY_BUDGET_MS = 'COS_INVENTORY_RETRY_BUDGET_MS';
export const ENV_TIMEOUT_MS = 'COS_INVENTORY_TIMEOUT_MS';

/** Default per-request timeout: long enough for a slow COS answer, short enough to fail a hung socket. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/** A configuration or environment problem found before any request is sent. */
export class ClientConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientConfigError';
  }
}

/** The parts of `http://HOST:PORT` the SDK needs: `Protocol` and `Ip`. */
export interface ParsedEndpoint {
  readonly protocol: 'http:';
  readonly hostPort: string;
}

const ENDPOINT_PATTERN = /^http:\/\/((?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})\/?$/;

/** Validates `http://HOST:PORT` (no path, no credentials, port 1-65535). */
export function parseEndpoint(value: string, source = 'endpoint'): ParsedEndpoint {
  const match = ENDPOINT_PATTERN.exec(value);
  const port = match ? Number(match[2]) : 0;
  if (!match || port < 1 || port > 65535) {
    throw new ClientConfigError(
      `${source} must have the form http://HOST:PORT (port 1-65535, no path), received ${JSON.stringify(value)}`,
    );
  }
  return { protocol: 'http:', hostPort: `${match[1]}:${port}` };
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0) {
    throw new ClientConfigError(
      `${name} must be a positive whole number of milliseconds, received ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

/** Where and how to connect, from the environment (no keys). */
export function connectionFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<CosClientConfig, 'endpoint' | 'timeoutMs' | 'retryBudgetMs'> {
  const endpoint = env[ENV_ENDPOINT];
  if (endpoint !== undefined && endpoint !== '') parseEndpoint(endpoint, ENV_ENDPOINT);
  return {
    ...(endpoint ? { endpoint } : {}),
    ...optional('timeoutMs', positiveInteger(env[ENV_TIMEOUT_MS], ENV_TIMEOUT_MS)),
    ...optional('retryBudgetMs', positiveInteger(env[ENV_RETRY_BUDGET_MS], ENV_RETRY_BUDGET_MS)),
  };
}

/**
 * Reads fixed keys and connection settings from the environment (Terraform passes the
 * inherited environment to local-exec). Fails before any request when credentials are missing.
 * The handler and the CLI use the whole credential chain instead (src/credentials).
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): CosClientConfig {
  const secretId = env[ENV_SECRET_ID] ?? '';
  const secretKey = env[ENV_SECRET_KEY] ?? '';
  const missing = [
    ...(secretId === '' ? [ENV_SECRET_ID] : []),
    ...(secretKey === '' ? [ENV_SECRET_KEY] : []),
  ];
  if (missing.length > 0) {
    throw new ClientConfigError(
      `missing credentials: set ${missing.join(' and ')} (and ${ENV_SECURITY_TOKEN} for temporary keys) in the environment Terraform runs in`,
    );
  }
  const connection = connectionFromEnv(env);
  const token = env[ENV_SECURITY_TOKEN];
  return {
    secretId,
    secretKey,
    ...(token ? { securityToken: token } : {}),
    ...connection,
  };
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

/**
 * Creates the SDK client. The SDK module is loaded here, not at import time, so that a
 * handler rejecting its input never pays for loading it.
 */
export async function createCosClient(config: CosClientConfig): Promise<CosClient> {
  const credential = config.credentials ? await config.credentials.current() : undefined;
  const secretId = credential?.secretId ?? config.secretId ?? '';
  const secretKey = credential?.secretKey ?? config.secretKey ?? '';
  const token = credential ? credential.token : config.securityToken;
  if (secretId === '' || secretKey === '') {
    throw new ClientConfigError('cos client needs a non-empty secretId and secretKey');
  }
  const endpoint = config.endpoint ? parseEndpoint(config.endpoint) : undefined;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const source = config.credentials;
  // Keys with an expiry go through getAuthorization: the SDK asks again when fewer than 60 s
  // remain, and callCos renews the source before every call, so the answer is current.
  const keys =
    source && credential?.expiresAtMs !== undefined
      ? {
          getAuthorization: (
            _options: unknown,
            callback: (data: {
              TmpSecretId: string;
              TmpSecretKey: string;
              SecurityToken: string;
              StartTime: number;
              ExpiredTime: number;
            }) => void,
          ) => {
            const current = source.cached() ?? credential;
            callback({
              TmpSecretId: current.secretId,
              TmpSecretKey: current.secretKey,
              SecurityToken: current.token ?? '',
              // The SDK's own clock decides the signature's key time; start it now.
              StartTime: Math.floor(Date.now() / 1000),
              ExpiredTime: Math.floor((current.expiresAtMs ?? 0) / 1000),
            });
          },
        }
      : { SecretId: secretId, SecretKey: secretKey, ...(token ? { SecurityToken: token } : {}) };
  const { default: Cos } = await import('cos-nodejs-sdk-v5');
  const sdk = new Cos({
    ...keys,
    ...(endpoint ? { Protocol: endpoint.protocol, Ip: endpoint.hostPort } : {}),
    Timeout: timeoutMs,
    // Backup-domain switching would leave the endpoint the user chose.
    AutoSwitchHost: false,
    // One short-lived process per call: no idle sockets keeping it alive.
    KeepAlive: false,
  });
  return {
    sdk,
    retry: {
      budgetMs: config.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
      ...(config.clock ? { clock: config.clock } : {}),
    },
    secrets: config.secrets ?? [secretKey, ...(token ? [token] : [])],
    ...(source && credential?.expiresAtMs !== undefined ? { credentials: source } : {}),
    ...(config.role ? { role: config.role } : {}),
  };
}
