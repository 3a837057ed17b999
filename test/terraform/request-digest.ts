/**
 * What a local COS endpoint saw during one Terraform step, reduced to what the tests assert:
 * which requests (method, sub-resource, bucket, job id, answer), in which order for each
 * remote object, and whether policy edits came before or after each job's requests.
 *
 * The order across independent resources is not asserted: Terraform walks its graph with
 * goroutines, so even with `-parallelism=1` two independent jobs run in either order.
 */

import type { RequestLogEntry } from '../../src/emulator';

export interface RequestDigest {
  /** Every request as `METHOD subresource bucket id -> status`, sorted. */
  readonly multiset: readonly string[];
  /** Per remote object (`subresource bucket id`): its requests in the order they arrived. */
  readonly sequences: Readonly<Record<string, readonly string[]>>;
  /** Per (policy object, job object) pair with requests on both: `policy first`, `job first` or `interleaved`. */
  readonly policyOrder: Readonly<Record<string, string>>;
}

function objectOf(entry: RequestLogEntry): string {
  return [entry.subresource, entry.bucket ?? '-', entry.id ?? entry.key ?? ''].join(' ').trimEnd();
}

function answer(entry: RequestLogEntry): string {
  return `${entry.method} -> ${entry.status}${entry.code ? ` ${entry.code}` : ''}`;
}

export function digestRequests(log: readonly RequestLogEntry[]): RequestDigest {
  const sequences: Record<string, string[]> = {};
  const positions: Record<string, number[]> = {};
  log.forEach((entry, index) => {
    const object = objectOf(entry);
    (sequences[object] ??= []).push(answer(entry));
    (positions[object] ??= []).push(index);
  });
  const objects = Object.keys(sequences).sort();
  const policyOrder: Record<string, string> = {};
  for (const policy of objects.filter((o) => o.startsWith('policy '))) {
    for (const job of objects.filter((o) => o.startsWith('inventory '))) {
      const p = positions[policy];
      const j = positions[job];
      policyOrder[`${policy} | ${job}`] =
        p[p.length - 1] < j[0] ? 'policy first' : j[j.length - 1] < p[0] ? 'job first' : 'interleaved';
    }
  }
  return {
    multiset: log.map((entry) => `${entry.method} ${objectOf(entry)} -> ${entry.status}`).sort(),
    sequences: Object.fromEntries(objects.map((o) => [o, sequences[o]])),
    policyOrder,
  };
}

/** Inventory requests naming a job, as `METHOD id`, in arrival order. */
export function jobRequests(log: readonly RequestLogEntry[]): string[] {
  return log
    .filter((e) => e.subresource === 'inventory' && e.id !== undefined)
    .map((e) => `${e.method} ${e.id}`);
}
