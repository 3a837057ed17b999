import { createHash } from 'node:crypto';

/** Capitalised key names COS answers with (Statement and Sid: evidence; others: assumption). */
const KEY_NAMES: Readonly<Record<string, string>> = {
  version: 'Version',
  statement: 'Statement',
  sid: 'Sid',
  effect: 'Effect',
  principal: 'Principal',
  action: 'Action',
  resource: 'Resource',
  condition: 'Condition',
};

const capitalise = (key: string): string =>
  KEY_NAMES[key.toLowerCase()] ?? key.charAt(0).toUpperCase() + key.slice(1);

const asList = (value: unknown): unknown => (Array.isArray(value) ? value : [value]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// A Sid derived from the statement's content: the same on every GET and after a restart,
// different for different statements. COS's own format is unknown; clients must not parse it.
function generatedSid(statement: Record<string, unknown>, taken: Set<string>): string {
  const base = `sid-${createHash('sha1').update(JSON.stringify(statement)).digest('hex').slice(0, 16)}`;
  let sid = base;
  for (let n = 2; taken.has(sid); n++) sid = `${base}-${n}`;
  return sid;
}

function normalizeStatement(statement: Record<string, unknown>, taken: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(statement)) {
    const name = capitalise(key);
    if (name === 'Principal' && isRecord(value)) {
      out.Principal = Object.fromEntries(Object.entries(value).map(([kind, v]) => [kind, asList(v)]));
    } else if (name === 'Action' || name === 'Resource') {
      out[name] = asList(value);
    } else {
      out[name] = value;
    }
  }
  if (typeof out.Sid !== 'string' || out.Sid === '') out.Sid = generatedSid(statement, taken);
  taken.add(out.Sid as string);
  return out;
}

/**
 * A stored (already validated) policy as COS's GET answers it: keys capitalised, every
 * statement with a `Sid` (generated when it had none), principal values, `Action` and
 * `Resource` as lists, `Version` "2.0" when the writer left it out.
 */
export function normalizePolicy(text: string): string {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) out[capitalise(key)] = value;
  if (out.Version === undefined) out.Version = '2.0';
  const statements = Array.isArray(out.Statement) ? (out.Statement as unknown[]) : [];
  const taken = new Set(
    statements
      .filter(isRecord)
      .map((s) => Object.entries(s).find(([k]) => k.toLowerCase() === 'sid')?.[1])
      .filter((sid): sid is string => typeof sid === 'string' && sid !== ''),
  );
  out.Statement = statements.map((s) => (isRecord(s) ? normalizeStatement(s, taken) : s));
  return JSON.stringify(out);
}
