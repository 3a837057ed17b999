import type { CosClient } from './client';
import type { RetryNotice } from './retry';

/** `<who>: <operation> on <bucket> failed (<code>); retry 3 in 0.8 s (4.1 s of the 60 s budget used)` */
export function describeRetry(who: string, notice: RetryNotice): string {
  const { error } = notice;
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return (
    `${who}: ${error.operation} on ${error.bucket} failed (${error.code}); ` +
    `retry ${notice.retry} in ${seconds(notice.delayMs)} ` +
    `(${seconds(notice.elapsedMs)} of the ${seconds(notice.budgetMs)} budget used)`
  );
}

/** The client, telling `write` one line before each retry (a long outage is not silent). */
export function reportingRetries(client: CosClient, who: string, write: (line: string) => void): CosClient {
  return {
    ...client,
    retry: { ...client.retry, onRetry: (notice) => write(`${describeRetry(who, notice)}\n`) },
  };
}
