import { createHash, createHmac } from 'node:crypto';

/** The algorithm name of Tencent Cloud API 3.0's signature v3. */
export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

/** What goes into a TC3-HMAC-SHA256 signature. */
export interface Tc3Input {
  readonly method: string;
  /** Path of the request, `/` for the API endpoints. */
  readonly canonicalUri: string;
  /** The raw query string (empty for POST). */
  readonly canonicalQueryString: string;
  /** Header names (any case) to values, exactly the signed ones. */
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: Buffer | string;
  /** Unix seconds, the `X-TC-Timestamp` header. */
  readonly timestamp: number;
  /** The product, e.g. `sts`. */
  readonly service: string;
  readonly secretKey: string;
}

const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** `YYYY-MM-DD` (UTC) of a unix timestamp: the date of the credential scope. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/**
 * The signature v3 steps: canonical request (header names and values lower-cased and trimmed,
 * sorted by name), string to sign over the credential scope `<date>/<service>/tc3_request`,
 * then the HMAC chain `TC3<key>` -> date -> service -> `tc3_request`.
 */
export function tc3Signature(input: Tc3Input): { signature: string; signedHeaders: string } {
  const entries = Object.entries(input.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = entries.map(([name]) => name).join(';');
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.canonicalUri,
    input.canonicalQueryString,
    entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    sha256Hex(input.payload),
  ].join('\n');
  const date = tc3Date(input.timestamp);
  const stringToSign = [
    TC3_ALGORITHM,
    String(input.timestamp),
    `${date}/${input.service}/tc3_request`,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const secretDate = hmac(`TC3${input.secretKey}`, date);
  const secretService = hmac(secretDate, input.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  return { signature: createHmac('sha256', secretSigning).update(stringToSign).digest('hex'), signedHeaders };
}

/** The parts of an `Authorization: TC3-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...` header. */
export interface Tc3Authorization {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTHORIZATION =
  /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request,\s*SignedHeaders=([a-z0-9;_-]+),\s*Signature=([0-9a-f]{64})$/;

/** Parses the header; undefined when it is not a TC3 authorization. */
export function parseTc3Authorization(header: string): Tc3Authorization | undefined {
  const match = AUTHORIZATION.exec(header.trim());
  if (!match) return undefined;
  return {
    secretId: match[1],
    date: match[2],
    service: match[3],
    signedHeaders: match[4].split(';'),
    signature: match[5],
  };
}
