import { createHash, createHmac } from 'node:crypto';

/** What TC3-HMAC-SHA256 signs of a Tencent Cloud API 3.0 POST request. */
export interface Tc3Request {
  readonly secretId: string;
  readonly secretKey: string;
  /** The product, e.g. `sts`: the first label of its host. */
  readonly service: string;
  readonly host: string;
  readonly contentType: string;
  readonly payload: string;
  /** Unix seconds: the `X-TC-Timestamp` header. */
  readonly timestamp: number;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

/**
 * The `Authorization` header of a POST to `/` with the headers `content-type` and `host`
 * signed (Tencent Cloud API 3.0, "Signature v3"). The date is the UTC day of the timestamp.
 */
export function tc3Authorization(request: Tc3Request): string {
  const date = new Date(request.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${request.contentType.toLowerCase()}\nhost:${request.host.toLowerCase()}\n`,
    signedHeaders,
    sha256Hex(request.payload),
  ].join('\n');
  const scope = `${date}/${request.service}/tc3_request`;
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(request.timestamp),
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(`TC3${request.secretKey}`, date), request.service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `TC3-HMAC-SHA256 Credential=${request.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}
