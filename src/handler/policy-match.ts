import type { PolicyDocument, PolicyStatement } from '../model/policy';
import { findStatement } from '../model/policy';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether two policy values mean the same. COS may return keys in another casing and a
 * single string where one-element arrays were sent, so both forms are accepted.
 */
export function samePolicyValue(stored: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted) && !Array.isArray(stored))
    return wanted.length === 1 && samePolicyValue(stored, wanted[0]);
  if (Array.isArray(stored) && !Array.isArray(wanted))
    return stored.length === 1 && samePolicyValue(stored[0], wanted);
  if (Array.isArray(stored) && Array.isArray(wanted)) {
    return (
      stored.length === wanted.length && stored.every((item, index) => samePolicyValue(item, wanted[index]))
    );
  }
  if (isRecord(stored) && isRecord(wanted)) {
    const lower = (record: Record<string, unknown>): Map<string, unknown> =>
      new Map(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
    const left = lower(stored);
    const right = lower(wanted);
    if (left.size !== right.size) return false;
    for (const [key, value] of right) {
      if (!left.has(key) || !samePolicyValue(left.get(key), value)) return false;
    }
    return true;
  }
  return stored === wanted;
}

/** Whether the document holds `statement` (found by sid) with the same content. */
export function holdsStatement(
  doc: PolicyDocument | undefined,
  sid: string,
  statement: PolicyStatement,
): boolean {
  const stored = findStatement(doc, sid);
  return stored !== undefined && samePolicyValue(stored, statement);
}
