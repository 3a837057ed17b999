import { Principal } from './identities';
import { Subresource } from './types';

/**
 * The CAM action (`name/cos:<Action>` in a policy) of a request the endpoint serves, or
 * undefined for requests it does not model (answered 501 anyway).
 */
export function cosAction(
  method: string,
  subresource: Subresource,
  inventoryId: string | undefined,
): string | undefined {
  const byMethod: Partial<Record<Subresource, Readonly<Record<string, string>>>> = {
    inventory: {
      PUT: 'PutBucketInventory',
      GET: inventoryId === undefined ? 'ListBucketInventory' : 'GetBucketInventory',
      DELETE: 'DeleteBucketInventory',
      POST: 'PostBucketInventory',
    },
    policy: { PUT: 'PutBucketPolicy', GET: 'GetBucketPolicy', DELETE: 'DeleteBucketPolicy' },
    object: { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' },
    bucket: { GET: 'GetBucket', HEAD: 'HeadBucket', PUT: 'PutBucket', DELETE: 'DeleteBucket' },
  };
  return byMethod[subresource]?.[method];
}

/** `*` matches any run of characters (also none); everything else literally, case-insensitively. */
function globMatch(pattern: string, value: string): boolean {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

// Policy keys are documented lowercase; COS answers them capitalised: read either.
function field(record: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : record[key];
}

/** The principal strings a policy statement may name the caller by. */
function callerNames(caller: Principal): string[] {
  const uin = caller.account.uin;
  const names = ['*', 'qcs::cam::anyone:anyone', `qcs::cam::uin/${uin}:uin/${uin}`];
  if (caller.role !== undefined) names.push(caller.role.arn);
  return names;
}

function principals(statement: Record<string, unknown>): string[] {
  const principal = field(statement, 'principal');
  if (principal === '*') return ['*'];
  if (typeof principal !== 'object' || principal === null) return [];
  return asList(field(principal as Record<string, unknown>, 'qcs'));
}

/**
 * Whether a bucket policy lets a caller of another account do `action` on `resource`
 * (`qcs::cos:<region>:uid/<appid>:<bucket>/<key>`): an allow statement names the caller's
 * account (or its role, or anyone), the action and the resource, and no deny statement does.
 * Conditions are not evaluated.
 */
export function policyAllows(
  policy: string | undefined,
  caller: Principal,
  action: string,
  resource: string,
): boolean {
  if (policy === undefined) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const names = callerNames(caller);
  let allowed = false;
  for (const item of asStatements(field(parsed as Record<string, unknown>, 'statement'))) {
    const namesCaller = principals(item).some((p) =>
      names.some((n) => n === p || (p.includes('*') && globMatch(p, n))),
    );
    const namesAction = asList(field(item, 'action')).some(
      (a) => a === '*' || globMatch(a, `name/cos:${action}`),
    );
    const namesResource = asList(field(item, 'resource')).some((r) => globMatch(r, resource));
    if (!namesCaller || !namesAction || !namesResource) continue;
    const effect = String(field(item, 'effect') ?? '').toLowerCase();
    if (effect === 'deny') return false;
    if (effect === 'allow') allowed = true;
  }
  return allowed;
}

function asStatements(value: unknown): Record<string, unknown>[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null);
}
