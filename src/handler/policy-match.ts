import type { PolicyDocument, PolicyStatement } from '../model/policy';
import { findStatement } from '../model/policy';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether two policy values mean the same: statements are matched by meaning, never by bytes.
 * COS answers a policy GET with capitalised keys (`Statement`, `Sid`: Tencent's Terraform
 * provider reads them so) and, we assume, one-element lists where single strings were sent
 * (and the other way round), so key case is ignored, a single string equals a one-element
 * list, and the `effect` keyword is compared without case. Values (principals, actions,
 * resources, conditions) are compared exactly, lists in order.
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
      if (!left.has(key)) return false;
      const stored = left.get(key);
      // `allow` and `Allow` both appear in COS's docs; the effect is a keyword, not data.
      if (key === 'effect' && typeof stored === 'string' && typeof value === 'string') {
        if (stored.toLowerCase() !== value.toLowerCase()) return false;
      } else if (!samePolicyValue(stored, value)) return false;
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
