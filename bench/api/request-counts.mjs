/** Groups the emulator's request log into the operations the API-call figure counts. */

/** The name of one logged request: `put`, `get`, `list`, `delete` (inventory), `policy <METHOD>`, or other. */
export function operationOf(entry) {
  if (entry.subresource === 'inventory') {
    if (entry.method === 'PUT') return 'put';
    if (entry.method === 'DELETE') return 'delete';
    if (entry.method === 'GET') return entry.id === undefined ? 'list' : 'get';
    return `inventory ${entry.method}`;
  }
  if (entry.subresource === 'policy') return `policy ${entry.method}`;
  return `${entry.subresource} ${entry.method}`;
}

/** `{ put, get, list, delete, policy, other, total, errors }` of a request log. */
export function countRequests(log) {
  const counts = { put: 0, get: 0, list: 0, delete: 0, policy: 0, other: 0, total: log.length, errors: [] };
  for (const entry of log) {
    const operation = operationOf(entry);
    if (operation in counts && operation !== 'total' && operation !== 'errors') counts[operation]++;
    else if (operation.startsWith('policy ')) counts.policy++;
    else counts.other++;
    if (entry.status >= 400 || entry.status === 0) {
      counts.errors.push(
        `${entry.method} ${entry.subresource}${entry.id ? ` ${entry.id}` : ''}: ${entry.status} ${entry.code ?? ''}`,
      );
    }
  }
  return counts;
}

/**
 * Compares counts with what is expected; a field of `expected` that is a number must match
 * exactly, `{ max }` must not be exceeded. Returns one message per difference.
 */
export function compareCounts(scenario, counts, expected) {
  const problems = [];
  for (const [field, want] of Object.entries(expected)) {
    const got = counts[field];
    if (typeof want === 'number' && got !== want) {
      problems.push(`${scenario}: ${field} requests: expected ${want}, counted ${got}`);
    } else if (typeof want === 'object' && got > want.max) {
      problems.push(`${scenario}: ${field} requests: expected at most ${want.max}, counted ${got}`);
    }
  }
  return problems;
}
