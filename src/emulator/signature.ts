import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { QueryParam } from './addressing';
import { CosError } from './errors';

/** Query parameters that carry a query-string signature and are never signed themselves. */
const AUTH_PARAMS = new Set([
  'q-sign-algorithm',
  'q-ak',
  'q-sign-time',
  'q-key-time',
  'q-header-list',
  'q-url-param-list',
  'q-signature',
  'x-cos-security-token',
]);

/** `encodeURIComponent` plus `!'()*`, the encoding of COS's signature format. */
export function camSafeUrlEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

interface SignatureFields {
  readonly algorithm: string;
  readonly accessKey: string;
  readonly signTime: string;
  readonly keyTime: string;
  readonly headerList: readonly string[];
  readonly paramList: readonly string[];
  readonly signature: string;
}

function splitList(list: string): string[] {
  return list === '' ? [] : list.split(';');
}

function fieldsFrom(get: (name: string) => string | undefined, where: string): SignatureFields {
  const required = [
    'q-sign-algorithm',
    'q-ak',
    'q-sign-time',
    'q-key-time',
    'q-header-list',
    'q-url-param-list',
    'q-signature',
  ];
  const missing = required.filter((name) => get(name) === undefined);
  if (missing.length > 0) {
    throw new CosError(403, 'AccessDenied', `the ${where} signature lacks ${missing.join(', ')}`);
  }
  const value = (name: string): string => get(name) as string;
  return {
    algorithm: value('q-sign-algorithm'),
    accessKey: value('q-ak'),
    signTime: value('q-sign-time'),
    keyTime: value('q-key-time'),
    headerList: splitList(value('q-header-list')),
    paramList: splitList(value('q-url-param-list')),
    signature: value('q-signature'),
  };
}

/** Reads the signature from the `Authorization` header or, failing that, from the query string. */
function readSignature(
  headers: IncomingHttpHeaders,
  query: readonly QueryParam[],
): SignatureFields | undefined {
  const header = headers.authorization;
  if (header !== undefined && header !== '') {
    const parts = new Map<string, string>();
    for (const part of header.split('&')) {
      const eq = part.indexOf('=');
      if (eq > 0) parts.set(part.slice(0, eq), part.slice(eq + 1));
    }
    return fieldsFrom((name) => parts.get(name), 'authorization header');
  }
  if (query.some((p) => p.name === 'q-signature')) {
    return fieldsFrom((name) => query.find((p) => p.name === name)?.value, 'query-string');
  }
  return undefined;
}

function parseWindow(window: string, field: string): [number, number] {
  const match = /^(\d+);(\d+)$/.exec(window);
  if (!match)
    throw new CosError(403, 'AccessDenied', `${field} ${window} is not <start>;<end> in unix seconds`);
  return [Number(match[1]), Number(match[2])];
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

export interface SignedRequest {
  readonly method: string;
  /** Decoded pathname (`/` for bucket calls, `/<key>` for objects). */
  readonly pathname: string;
  readonly query: readonly QueryParam[];
  readonly headers: IncomingHttpHeaders;
}

/**
 * Verifies COS's q-sign (HMAC-SHA1) signature and returns what `resolve` found for its key.
 * Requires `host` among the signed headers and every non-signature query parameter to be
 * signed, so a signature cannot be replayed against another bucket or sub-resource.
 * `checkKey` runs once the key is known, before the time window is checked (a temporary
 * key's token).
 */
export function verifySignature<T extends { readonly secretKey: string }>(
  request: SignedRequest,
  resolve: (accessKey: string) => T | undefined,
  nowSeconds: number,
  checkKey: (key: T) => void = () => undefined,
): T {
  const fields = readSignature(request.headers, request.query);
  if (fields === undefined) {
    throw new CosError(403, 'AccessDenied', 'the request is not signed: anonymous access is not allowed');
  }
  if (fields.algorithm !== 'sha1') {
    throw new CosError(
      403,
      'AccessDenied',
      `q-sign-algorithm ${fields.algorithm} is not supported, only sha1`,
    );
  }
  const pair = resolve(fields.accessKey);
  if (pair === undefined) {
    throw new CosError(403, 'InvalidAccessKeyId', `the access key id ${fields.accessKey} does not exist`);
  }
  checkKey(pair);
  const [signStart, signEnd] = parseWindow(fields.signTime, 'q-sign-time');
  const [, keyEnd] = parseWindow(fields.keyTime, 'q-key-time');
  if (signStart > signEnd)
    throw new CosError(403, 'AccessDenied', `q-sign-time ${fields.signTime} ends before it starts`);
  if (nowSeconds > signEnd || nowSeconds > keyEnd) {
    throw new CosError(403, 'AccessDenied', 'Request has expired');
  }
  if (!fields.headerList.includes('host')) {
    throw new CosError(
      403,
      'AccessDenied',
      `q-header-list ${fields.headerList.join(';')} does not include host`,
    );
  }

  const headerParts = fields.headerList.map((name) => {
    const value = headerValue(request.headers, name);
    if (value === undefined) {
      throw new CosError(403, 'SignatureDoesNotMatch', `signed header ${name} is not in the request`);
    }
    return `${name}=${camSafeUrlEncode(value)}`;
  });

  const requestParams = new Map<string, string>();
  for (const param of request.query) {
    if (AUTH_PARAMS.has(param.name.toLowerCase())) continue;
    requestParams.set(camSafeUrlEncode(param.name).toLowerCase(), camSafeUrlEncode(param.value));
  }
  const unsigned = [...requestParams.keys()].filter((name) => !fields.paramList.includes(name));
  if (unsigned.length > 0) {
    throw new CosError(
      403,
      'SignatureDoesNotMatch',
      `query parameters ${unsigned.join(', ')} are not signed`,
    );
  }
  const paramParts = fields.paramList.map((name) => {
    const value = requestParams.get(name);
    if (value === undefined) {
      throw new CosError(
        403,
        'SignatureDoesNotMatch',
        `signed query parameter ${name} is not in the request`,
      );
    }
    return `${name}=${value}`;
  });

  const httpString = [
    request.method.toLowerCase(),
    request.pathname,
    paramParts.join('&'),
    headerParts.join('&'),
    '',
  ].join('\n');
  const stringToSign = [
    'sha1',
    fields.signTime,
    createHash('sha1').update(httpString, 'utf8').digest('hex'),
    '',
  ].join('\n');
  const signKey = createHmac('sha1', pair.secretKey).update(fields.keyTime).digest('hex');
  const expected = createHmac('sha1', signKey).update(stringToSign).digest('hex');
  const given = Buffer.from(fields.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    throw new CosError(
      403,
      'SignatureDoesNotMatch',
      'the request signature does not match the one calculated for the request',
    );
  }
  return pair;
}
