import type { CosClient } from './client';
import { toCosError } from './errors';
import { withRetry } from './retry';

/**
 * Runs one SDK call under the client's retry policy, converting every SDK failure into a
 * `CosError` first so retry decisions and messages see one shape.
 */
export function callCos<T>(
  client: CosClient,
  operation: string,
  bucket: string,
  invoke: () => Promise<T>,
): Promise<T> {
  return withRetry(async () => {
    await renewCredentials(client);
    try {
      return await invoke();
    } catch (error) {
      throw toCosError(error, operation, bucket);
    }
  }, client.retry);
}

/**
 * Renews the client's temporary keys when they near expiry, before a request is signed (the
 * SDK's `getAuthorization` hands out the renewed key); a failure is the credential source's
 * own error, not a COS error.
 */
export async function renewCredentials(client: CosClient): Promise<void> {
  if (client.credentials) await client.credentials.current();
}
