import type { Credential } from './credential';
import { STS_HOST, type ServiceEndpoints } from './endpoints';
import { networkReason, type HttpRequester } from './http';
import { tc3Authorization } from './tc3-signer';
import { ENV_STS_ENDPOINT } from './variables';

export const STS_VERSION = '2018-08-13';
const CONTENT_TYPE = 'application/json; charset=utf-8';
const STS_TIMEOUT_MS = 10_000;

/** What the STS calls need besides their parameters. */
export interface StsContext {
  readonly endpoints: ServiceEndpoints;
  readonly requester: HttpRequester;
  /** Milliseconds since the epoch (the signature's timestamp). */
  readonly now: () => number;
  /** `X-TC-Region`. */
  readonly region: string;
}

/** STS answered with `Response.Error`, or could not be reached (`code` is then the socket error). */
export class StsError extends Error {
  readonly code: string;
  readonly action: string;
  readonly requestId?: string;

  constructor(action: string, code: string, message: string, requestId?: string) {
    super(message);
    this.name = 'StsError';
    this.action = action;
    this.code = code;
    this.requestId = requestId;
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One STS call. `caller` signs it (TC3-HMAC-SHA256, its token in `X-TC-Token`); without one it
 * is sent unsigned (`Authorization: SKIP`), as AssumeRoleWithWebIdentity is.
 */
export async function callSts(
  context: StsContext,
  action: string,
  params: Json,
  caller: Credential | undefined,
): Promise<Json> {
  const payload = JSON.stringify(params);
  const timestamp = Math.floor(context.now() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPE,
    Host: STS_HOST,
    'X-TC-Action': action,
    'X-TC-Version': STS_VERSION,
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Region': context.region,
    Authorization: caller
      ? tc3Authorization({
          secretId: caller.secretId,
          secretKey: caller.secretKey,
          service: 'sts',
          host: STS_HOST,
          contentType: CONTENT_TYPE,
          payload,
          timestamp,
        })
      : 'SKIP',
    ...(caller?.token ? { 'X-TC-Token': caller.token } : {}),
  };
  let answer;
  try {
    answer = await context.requester({
      url: `${context.endpoints.sts}/`,
      method: 'POST',
      headers,
      body: payload,
      timeoutMs: STS_TIMEOUT_MS,
    });
  } catch (error) {
    throw new StsError(
      action,
      networkReason(error),
      `sts at ${context.endpoints.sts} could not be reached (check the network, or ${ENV_STS_ENDPOINT} if set)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    parsed = undefined;
  }
  const response = isObject(parsed) && isObject(parsed.Response) ? parsed.Response : undefined;
  if (!response) {
    throw new StsError(
      action,
      `HTTP${answer.status}`,
      `sts answered ${answer.status} without a json Response`,
    );
  }
  const requestId = typeof response.RequestId === 'string' ? response.RequestId : undefined;
  if (isObject(response.Error)) {
    const code = typeof response.Error.Code === 'string' ? response.Error.Code : 'UnknownError';
    const message = typeof response.Error.Message === 'string' ? response.Error.Message : '';
    throw new StsError(action, code, message, requestId);
  }
  return response;
}

/** Reads `Credentials` and `ExpiredTime` of an AssumeRole* answer. */
function temporaryCredential(action: string, response: Json, source: string): Credential {
  const credentials = isObject(response.Credentials) ? response.Credentials : {};
  const { TmpSecretId: id, TmpSecretKey: key, Token: token } = credentials;
  const expired = response.ExpiredTime;
  if (
    typeof id !== 'string' ||
    typeof key !== 'string' ||
    typeof token !== 'string' ||
    typeof expired !== 'number'
  ) {
    throw new StsError(
      action,
      'InvalidResponse',
      'sts answered without Credentials.TmpSecretId, TmpSecretKey, Token and ExpiredTime',
    );
  }
  return { secretId: id, secretKey: key, token, expiresAtMs: expired * 1000, source };
}

export interface AssumeRoleInput {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationS: number;
  readonly externalId?: string;
  readonly sourceIdentity?: string;
}

/** `AssumeRole`, signed by `caller`. */
export async function assumeRole(
  context: StsContext,
  caller: Credential,
  input: AssumeRoleInput,
  source: string,
): Promise<Credential> {
  const response = await callSts(
    context,
    'AssumeRole',
    {
      RoleArn: input.roleArn,
      RoleSessionName: input.sessionName,
      DurationSeconds: input.durationS,
      ...(input.externalId ? { ExternalId: input.externalId } : {}),
      ...(input.sourceIdentity ? { SourceIdentity: input.sourceIdentity } : {}),
    },
    caller,
  );
  return temporaryCredential('AssumeRole', response, source);
}

export interface WebIdentityInput {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationS: number;
  readonly token: string;
  readonly providerId: string;
}

/** `AssumeRoleWithWebIdentity`, unsigned: the OIDC token is the proof. */
export async function assumeRoleWithWebIdentity(
  context: StsContext,
  input: WebIdentityInput,
  source: string,
): Promise<Credential> {
  const response = await callSts(
    context,
    'AssumeRoleWithWebIdentity',
    {
      ProviderId: input.providerId,
      WebIdentityToken: input.token,
      RoleArn: input.roleArn,
      RoleSessionName: input.sessionName,
      DurationSeconds: input.durationS,
    },
    undefined,
  );
  return temporaryCredential('AssumeRoleWithWebIdentity', response, source);
}

/** Who a key belongs to: `AccountId` is the owner account's UIN. */
export interface CallerIdentity {
  readonly accountId: string;
  readonly arn: string;
  readonly userId: string;
}

/** `GetCallerIdentity`, signed by `caller`. */
export async function getCallerIdentity(context: StsContext, caller: Credential): Promise<CallerIdentity> {
  const response = await callSts(context, 'GetCallerIdentity', {}, caller);
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const accountId = text(response.AccountId);
  if (accountId === '')
    throw new StsError('GetCallerIdentity', 'InvalidResponse', 'sts answered without AccountId');
  return { accountId, arn: text(response.Arn), userId: text(response.UserId) };
}
