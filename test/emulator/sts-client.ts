/**
 * A minimal Tencent Cloud API 3.0 client for the STS tests: it signs independently of the
 * endpoint's verifier (its own canonical request), so a verifier bug cannot cancel out.
 */
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';

export interface StsCall {
  readonly action: string;
  readonly params?: Record<string, unknown>;
  /** Signing key; omitted: `Authorization: SKIP` (AssumeRoleWithWebIdentity). */
  readonly secretId?: string;
  readonly secretKey?: string;
  /** Sent as `X-TC-Token`. */
  readonly token?: string;
  /** Unix seconds; default the real clock. */
  readonly timestamp?: number;
  readonly host?: string;
  /** Extra or replacing headers, after signing. */
  readonly headers?: Record<string, string>;
  /** Replaces the body after signing. */
  readonly tamperBody?: string;
  /** Also sign `x-tc-action` (as the newer SDKs do). */
  readonly signAction?: boolean;
}

export interface StsReply {
  readonly status: number;
  readonly response: Record<string, unknown> & {
    readonly Error?: { readonly Code: string; readonly Message: string };
    readonly RequestId: string;
  };
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');

/** The `Authorization` header for a POST JSON call signing content-type and host. */
export function signTc3(options: {
  secretId: string;
  secretKey: string;
  service: string;
  host: string;
  contentType: string;
  payload: string;
  timestamp: number;
  /** Signs `x-tc-action` too, its value lower-cased as signature v3 asks. */
  action?: string;
}): string {
  const date = new Date(options.timestamp * 1000).toISOString().slice(0, 10);
  const actionLine = options.action === undefined ? '' : `x-tc-action:${options.action.toLowerCase()}\n`;
  const signedHeaders = options.action === undefined ? 'content-type;host' : 'content-type;host;x-tc-action';
  const canonical = `POST\n/\n\ncontent-type:${options.contentType}\nhost:${options.host}\n${actionLine}\n${signedHeaders}\n${sha256(options.payload)}`;
  const scope = `${date}/${options.service}/tc3_request`;
  const toSign = `TC3-HMAC-SHA256\n${options.timestamp}\n${scope}\n${sha256(canonical)}`;
  const key = hmac(hmac(hmac(`TC3${options.secretKey}`, date), options.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${options.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** Sends one STS call to the endpoint, as the SDKs do (Host `sts.tencentcloudapi.com`). */
export function callSts(
  local: { readonly host: string; readonly port: number },
  call: StsCall,
): Promise<StsReply> {
  const host = call.host ?? 'sts.tencentcloudapi.com';
  const payload = JSON.stringify(call.params ?? {});
  const timestamp = call.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = 'application/json; charset=utf-8';
  const headers: Record<string, string> = {
    Host: host,
    'Content-Type': contentType,
    'X-TC-Action': call.action,
    'X-TC-Version': '2018-08-13',
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Region': 'ap-guangzhou',
    Authorization:
      call.secretId === undefined || call.secretKey === undefined
        ? 'SKIP'
        : signTc3({
            secretId: call.secretId,
            secretKey: call.secretKey,
            service: 'sts',
            host,
            contentType,
            payload,
            timestamp,
            action: call.signAction === true ? call.action : undefined,
          }),
    ...(call.token === undefined ? {} : { 'X-TC-Token': call.token }),
    ...call.headers,
  };
  const body = Buffer.from(call.tamperBody ?? payload);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: local.host,
        port: local.port,
        method: 'POST',
        path: '/',
        headers: { ...headers, 'Content-Length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            Response: StsReply['response'];
          };
          resolve({ status: res.statusCode ?? 0, response: parsed.Response });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The credentials of a successful AssumeRole / AssumeRoleWithWebIdentity answer. */
export function issued(reply: StsReply): {
  secretId: string;
  secretKey: string;
  token: string;
  expiredTime: number;
} {
  if (reply.response.Error !== undefined) {
    throw new Error(`sts refused: ${reply.response.Error.Code} ${reply.response.Error.Message}`);
  }
  const credentials = reply.response.Credentials as {
    TmpSecretId: string;
    TmpSecretKey: string;
    Token: string;
  };
  return {
    secretId: credentials.TmpSecretId,
    secretKey: credentials.TmpSecretKey,
    token: credentials.Token,
    expiredTime: reply.response.ExpiredTime as number,
  };
}
