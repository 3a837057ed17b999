import { CosError } from './errors';

const malformed = (message: string): CosError => new CosError(400, 'MalformedPolicy', message);

/**
 * Size limit of one statement: Tencent's "PUT Bucket policy" document (436/8282) says a single
 * statement of the request body may not exceed 4095 bytes. Counted on the statement's compact
 * JSON; the error code is an assumption. The model's `POLICY_STATEMENT_LIMIT_BYTES` is the same.
 */
export const MAX_POLICY_STATEMENT_BYTES = 4095;

/** Reads a key case-insensitively: COS's documents mix `statement` and `Statement`. */
function field(object: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : object[key];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringList(value: unknown, path: string): void {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((item) => typeof item !== 'string' || item === '')) {
    throw malformed(`${path} must be a non-empty string or a non-empty array of non-empty strings`);
  }
}

/**
 * Validates a bucket policy document: JSON object, optional `version` "2.0", a non-empty
 * `statement` array whose entries have `effect` allow/deny, `principal` (object of string
 * lists), `action` and `resource` (string or string list); `condition` and `sid` optional;
 * each statement at most {@link MAX_POLICY_STATEMENT_BYTES}.
 */
export function validatePolicy(text: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw malformed(`the policy is not valid json: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw malformed('the policy must be a json object');
  const version = field(parsed, 'version');
  if (version !== undefined && version !== '2.0') {
    throw malformed(`version is ${JSON.stringify(version)}; allowed: "2.0"`);
  }
  const statements = field(parsed, 'statement');
  if (!Array.isArray(statements) || statements.length === 0) {
    throw malformed('statement must be a non-empty array');
  }
  statements.forEach((statement: unknown, index) => {
    const path = `statement[${index}]`;
    if (!isRecord(statement)) throw malformed(`${path} must be an object`);
    const effect = field(statement, 'effect');
    if (typeof effect !== 'string' || !['allow', 'deny'].includes(effect.toLowerCase())) {
      throw malformed(`${path}.effect is ${JSON.stringify(effect)}; allowed: allow, deny`);
    }
    const principal = field(statement, 'principal');
    if (!isRecord(principal) || Object.keys(principal).length === 0) {
      throw malformed(
        `${path}.principal must be an object such as {"qcs":["qcs::cam::uin/100000000001:uin/100000000001"]}`,
      );
    }
    for (const [kind, value] of Object.entries(principal)) stringList(value, `${path}.principal.${kind}`);
    stringList(field(statement, 'action'), `${path}.action`);
    stringList(field(statement, 'resource'), `${path}.resource`);
    const condition = field(statement, 'condition');
    if (condition !== undefined && !isRecord(condition))
      throw malformed(`${path}.condition must be an object`);
    const sid = field(statement, 'sid');
    if (sid !== undefined && typeof sid !== 'string') throw malformed(`${path}.sid must be a string`);
    const size = Buffer.byteLength(JSON.stringify(statement), 'utf8');
    if (size > MAX_POLICY_STATEMENT_BYTES) {
      throw malformed(
        `${path} is ${size} bytes; at most ${MAX_POLICY_STATEMENT_BYTES} are allowed per statement`,
      );
    }
  });
}
