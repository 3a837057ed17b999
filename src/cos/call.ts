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
    // Renews temporary keys before they expire; a failure is the credential source's own error.
    if (client.credentials) await client.credentials.current();
    try {
      return await invoke();
    } catch (error) {
      throw toCosError(error, operation, bucket);
    }
  }, client.retry);
}
