import { IncomingHttpHeaders } from 'node:http';
import {
  DEFAULT_STS_DURATION_SECONDS,
  Identities,
  IssuedCredential,
  MAX_STS_DURATION_SECONDS,
  Principal,
  ResolvedKey,
  RoleRecord,
} from './identities';
import { parseTc3Authorization, tc3Date, tc3Signature } from './tc3';

/** The STS API version this endpoint answers. */
export const STS_VERSION = '2018-08-13';
/** How far `X-TC-Timestamp` may be from the endpoint's clock (Tencent's signature v3 doc: 5 minutes). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

const STS_HOST = /^sts(?:\.[a-z0-9-]+)?\.tencentcloudapi\.com$/;

/** Whether a request is for STS: its host is STS's, or it carries `X-TC-Action`. */
export function isStsRequest(headers: IncomingHttpHeaders): boolean {
  const host = (headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  return STS_HOST.test(host) || headers['x-tc-action'] !== undefined;
}

/** An API 3.0 error: answered as `{"Response":{"Error":{Code,Message},RequestId}}`. */
export class StsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface StsRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly requestId: string;
}

export interface StsAnswer {
  readonly action: string;
  /** Present on errors. */
  readonly code?: string;
  readonly body: { readonly Response: Record<string, unknown> };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

// The signature v3 check: the caller's key signed this very request, within the clock skew.
function authenticate(request: StsRequest, identities: Identities, nowSeconds: number): ResolvedKey {
  const authorization = header(request.headers, 'authorization');
  if (authorization === undefined || authorization === '' || authorization === 'SKIP') {
    throw new StsError(
      'AuthFailure.InvalidAuthorization',
      'the request has no TC3-HMAC-SHA256 Authorization header',
    );
  }
  const parsed = parseTc3Authorization(authorization);
  if (parsed === undefined) {
    throw new StsError(
      'AuthFailure.InvalidAuthorization',
      'the Authorization header is not TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=..., Signature=...',
    );
  }
  const timestampText = header(request.headers, 'x-tc-timestamp');
  if (timestampText === undefined || !/^[0-9]{1,12}$/.test(timestampText)) {
    throw new StsError(
      'MissingParameter',
      'the X-TC-Timestamp header (unix seconds) is missing or not a number',
    );
  }
  const timestamp = Number(timestampText);
  if (Math.abs(nowSeconds - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
    throw new StsError(
      'AuthFailure.SignatureExpire',
      `X-TC-Timestamp ${timestamp} is more than ${MAX_CLOCK_SKEW_SECONDS} s from the server time ${nowSeconds}`,
    );
  }
  if (parsed.service !== 'sts' || parsed.date !== tc3Date(timestamp)) {
    throw new StsError(
      'AuthFailure.SignatureFailure',
      `the credential scope ${parsed.date}/${parsed.service}/tc3_request is not ${tc3Date(timestamp)}/sts/tc3_request`,
    );
  }
  for (const required of ['content-type', 'host']) {
    if (!parsed.signedHeaders.includes(required)) {
      throw new StsError(
        'AuthFailure.SignatureFailure',
        `SignedHeaders ${parsed.signedHeaders.join(';')} lacks ${required}`,
      );
    }
  }
  const key = identities.resolve(parsed.secretId);
  if (key === undefined) {
    throw new StsError('AuthFailure.SecretIdNotFound', `the SecretId ${parsed.secretId} does not exist`);
  }
  if (key.issued !== undefined) {
    const token = header(request.headers, 'x-tc-token');
    if (token === undefined || token !== key.issued.token) {
      throw new StsError(
        'AuthFailure.TokenFailure',
        `the temporary SecretId ${parsed.secretId} needs its token in X-TC-Token`,
      );
    }
    if (key.issued.expiresAt <= nowSeconds * 1000) {
      throw new StsError('AuthFailure.TokenFailure', `the temporary SecretId ${parsed.secretId} has expired`);
    }
  }
  const signed: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = header(request.headers, name);
    if (value === undefined) {
      throw new StsError('AuthFailure.SignatureFailure', `signed header ${name} is not in the request`);
    }
    signed[name] = value;
  }
  const queryAt = request.url.indexOf('?');
  const { signature } = tc3Signature({
    method: request.method,
    canonicalUri: queryAt === -1 ? request.url : request.url.slice(0, queryAt),
    canonicalQueryString: queryAt === -1 ? '' : request.url.slice(queryAt + 1),
    headers: signed,
    payload: request.body,
    timestamp,
    service: 'sts',
    secretKey: key.secretKey,
  });
  if (signature !== parsed.signature) {
    throw new StsError(
      'AuthFailure.SignatureFailure',
      'the request signature does not match the one calculated for the request',
    );
  }
  return key;
}

type Params = Readonly<Record<string, unknown>>;

function requiredString(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === null || value === '') {
    throw new StsError('MissingParameter', `the parameter ${name} is missing`);
  }
  if (typeof value !== 'string') {
    throw new StsError('InvalidParameter.ParamError', `the parameter ${name} must be a string`);
  }
  return value;
}

function sessionName(params: Params): string {
  const name = requiredString(params, 'RoleSessionName');
  if (!/^[\w+=,.@-]{2,128}$/.test(name)) {
    throw new StsError(
      'InvalidParameter.ParamError',
      `RoleSessionName ${JSON.stringify(name)} is not allowed; use 2-128 letters, digits and =,.@_-`,
    );
  }
  return name;
}

// The SDKs send DurationSeconds as a number; Tencent's own examples send a numeric string.
function durationSeconds(params: Params): number {
  const value = params.DurationSeconds;
  if (value === undefined || value === null) return DEFAULT_STS_DURATION_SECONDS;
  const number = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
    throw new StsError(
      'InvalidParameter.ParamError',
      `DurationSeconds ${JSON.stringify(value)} is not a whole number of seconds`,
    );
  }
  if (number > MAX_STS_DURATION_SECONDS) {
    throw new StsError(
      'InvalidParameter.OverTimeError',
      `DurationSeconds ${number} is more than the allowed ${MAX_STS_DURATION_SECONDS}`,
    );
  }
  return number === 0 ? DEFAULT_STS_DURATION_SECONDS : number;
}

function roleOf(identities: Identities, params: Params): RoleRecord {
  const arn = requiredString(params, 'RoleArn');
  const role = identities.role(arn);
  if (role === undefined)
    throw new StsError('ResourceNotFound.RoleNotFound', `the role ${arn} does not exist`);
  return role;
}

function credentialsAnswer(credential: IssuedCredential): Record<string, unknown> {
  return {
    Credentials: {
      Token: credential.token,
      TmpSecretId: credential.secretId,
      TmpSecretKey: credential.secretKey,
    },
    ExpiredTime: Math.floor(credential.expiresAt / 1000),
    Expiration: new Date(credential.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
}

function assumeRole(identities: Identities, caller: Principal, params: Params): Record<string, unknown> {
  const role = roleOf(identities, params);
  const name = sessionName(params);
  const duration = durationSeconds(params);
  if (params.ExternalId !== undefined && typeof params.ExternalId !== 'string') {
    throw new StsError('InvalidParameter.ParamError', 'the parameter ExternalId must be a string');
  }
  checkPolicy(params.Policy);
  if (!role.trusted.has(caller.account.uin)) {
    throw new StsError(
      'UnauthorizedOperation',
      `uin ${caller.account.uin} is not trusted by the role ${role.arn} (trusted: ${[...role.trusted].join(', ')})`,
    );
  }
  return credentialsAnswer(identities.issue(role, name, duration, caller.account.uin));
}

// The session policy is URL-encoded JSON; the endpoint checks its form, not its effect.
function checkPolicy(policy: unknown): void {
  if (policy === undefined || policy === null || policy === '') return;
  let parsed: unknown;
  try {
    parsed = typeof policy === 'string' ? JSON.parse(decodeURIComponent(policy)) : undefined;
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StsError(
      'InvalidParameter.StrategyFormatError',
      'Policy is not a URL-encoded JSON policy document',
    );
  }
}

/** A JWT's form: three base64url parts, the first two JSON objects. The signature is not checked. */
export function isWellFormedJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return false;
  return parts.slice(0, 2).every((part) => {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
      return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded);
    } catch {
      return false;
    }
  });
}

function assumeRoleWithWebIdentity(identities: Identities, params: Params): Record<string, unknown> {
  const provider = requiredString(params, 'ProviderId');
  const token = requiredString(params, 'WebIdentityToken');
  const role = roleOf(identities, params);
  const name = sessionName(params);
  const duration = durationSeconds(params);
  if (!identities.oidcProviders.has(provider)) {
    throw new StsError('InvalidParameter.ParamError', `the identity provider ${provider} does not exist`);
  }
  if (!isWellFormedJwt(token)) {
    throw new StsError(
      'InvalidParameter.ParamError',
      'WebIdentityToken is not a JWT (three base64url parts, the first two JSON objects)',
    );
  }
  return credentialsAnswer(identities.issue(role, name, duration, provider));
}

function callerIdentity(caller: Principal): Record<string, unknown> {
  const uin = caller.account.uin;
  if (caller.kind === 'role' && caller.role !== undefined) {
    return {
      Arn: `qcs::sts:${uin}:assumed-role/${caller.role.id}`,
      AccountId: uin,
      UserId: `${caller.role.id}:${caller.sessionName ?? ''}`,
      PrincipalId: caller.assumedBy ?? uin,
      Type: 'CAMRole',
    };
  }
  return {
    Arn: `qcs::cam::uin/${uin}:uin/${uin}`,
    AccountId: uin,
    UserId: uin,
    PrincipalId: uin,
    Type: 'CAMUser',
  };
}

function parseBody(body: Buffer): Params {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new StsError('InvalidParameter', 'the request body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new StsError('InvalidParameter', 'the request body is not a JSON object');
  }
  return parsed as Params;
}

/**
 * Answers one STS request (Tencent Cloud API 3.0: POST JSON, action in `X-TC-Action`).
 * API 3.0 answers errors with HTTP 200 and `Response.Error`.
 */
export function handleSts(request: StsRequest, identities: Identities, nowMs: number): StsAnswer {
  const action = header(request.headers, 'x-tc-action') ?? '';
  try {
    if (action === '') throw new StsError('MissingParameter', 'the X-TC-Action header is missing');
    const version = header(request.headers, 'x-tc-version');
    if (version === undefined) throw new StsError('MissingParameter', 'the X-TC-Version header is missing');
    if (version !== STS_VERSION) {
      throw new StsError(
        'NoSuchVersion',
        `X-TC-Version ${version} is not allowed; sts answers ${STS_VERSION}`,
      );
    }
    const contentType = (header(request.headers, 'content-type') ?? '').toLowerCase();
    if (request.method !== 'POST' || !contentType.startsWith('application/json')) {
      throw new StsError(
        'InvalidParameter',
        `${request.method} with content type ${contentType || 'none'} is not served; the local sts endpoint takes POST application/json`,
      );
    }
    const params = parseBody(request.body);
    let result: Record<string, unknown>;
    switch (action) {
      case 'AssumeRoleWithWebIdentity':
        // Unsigned by design: the web identity token is the proof.
        result = assumeRoleWithWebIdentity(identities, params);
        break;
      case 'AssumeRole':
        result = assumeRole(
          identities,
          authenticate(request, identities, Math.floor(nowMs / 1000)).principal,
          params,
        );
        break;
      case 'GetCallerIdentity':
        result = callerIdentity(authenticate(request, identities, Math.floor(nowMs / 1000)).principal);
        break;
      default:
        throw new StsError(
          'InvalidAction',
          `the action ${action} is not served; the local sts endpoint answers AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity`,
        );
    }
    return { action, body: { Response: { ...result, RequestId: request.requestId } } };
  } catch (error) {
    if (!(error instanceof StsError)) throw error;
    return {
      action,
      code: error.code,
      body: {
        Response: { Error: { Code: error.code, Message: error.message }, RequestId: request.requestId },
      },
    };
  }
}
