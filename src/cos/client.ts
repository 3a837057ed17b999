import type COS from 'cos-nodejs-sdk-v5';
import { DEFAULT_RETRY_BUDGET_MS, type Clock, type RetryOptions } from './retry';

/** Everything needed to build an SDK client; nothing is read from the environment here. */
export interface CosClientConfig {
  readonly secretId: string;
  readonly secretKey: string;
  readonly securityToken?: string;
  /** `http://HOST:PORT`: send every request there, keeping COS's virtual-host `Host` header. */
  readonly endpoint?: string;
  /** Per-request socket timeout in milliseconds (the SDK's `Timeout`). */
  readonly timeoutMs?: number;
  /** Total time the retry layer may spend on one operation. */
  readonly retryBudgetMs?: number;
  /** What the retry layer waits with; default the system clock. */
  readonly clock?: Clock;
}

/** An SDK client plus the retry policy every wrapper in src/cos applies to it. */
export interface CosClient {
  readonly sdk: COS;
  readonly retry: RetryOptions;
  /** Values that must never be printed (secret key, security token). */
  readonly secrets: readonly string[];
}

export const ENV_SECRET_ID = 'TENCENTCLOUD_SECRET_ID';
export const ENV_SECRET_KEY = 'TENCENTCLOUD_SECRET_KEY';
export const ENV_SECURITY_TOKEN = 'TENCENTCLOUD_SECURITY_TOKEN';
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

/**
 * Reads credentials and connection settings from the environment (Terraform passes the
 * inherited environment to local-exec). Fails before any request when credentials are missing.
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
  const endpoint = env[ENV_ENDPOINT];
  if (endpoint !== undefined && endpoint !== '') parseEndpoint(endpoint, ENV_ENDPOINT);
  const token = env[ENV_SECURITY_TOKEN];
  return {
    secretId,
    secretKey,
    ...(token ? { securityToken: token } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...optional('timeoutMs', positiveInteger(env[ENV_TIMEOUT_MS], ENV_TIMEOUT_MS)),
    ...optional('retryBudgetMs', positiveInteger(env[ENV_RETRY_BUDGET_MS], ENV_RETRY_BUDGET_MS)),
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
  if (config.secretId === '' || config.secretKey === '') {
    throw new ClientConfigError('cos client needs a non-empty secretId and secretKey');
  }
  const endpoint = config.endpoint ? parseEndpoint(config.endpoint) : undefined;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { default: Cos } = await import('cos-nodejs-sdk-v5');
  const sdk = new Cos({
    SecretId: config.secretId,
    SecretKey: config.secretKey,
    ...(config.securityToken ? { SecurityToken: config.securityToken } : {}),
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
    secrets: [config.secretKey, ...(config.securityToken ? [config.securityToken] : [])],
  };
}
