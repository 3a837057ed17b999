import type { HttpExchange, HttpRequester } from '../../src/credentials/http';
import { tc3Authorization } from '../../src/credentials/tc3-signer';

/** One key STS knows: its account, and whether it is a temporary key with a token. */
interface Key {
  readonly secretKey: string;
  readonly account: string;
  readonly token?: string;
  readonly expiresAtMs?: number;
}

/**
 * An in-process STS and metadata service for the chain's unit tests: checks TC3 signatures and
 * tokens, issues keys that expire by the injected clock, records every call.
 */
export class FakeSts {
  readonly calls: { action: string; params: Record<string, unknown>; caller?: string; url: string }[] = [];
  readonly keys = new Map<string, Key>();
  /** roleArn -> accounts trusted to assume it. */
  readonly trust = new Map<string, string[]>();
  readonly cvmRoles = new Map<string, string>();
  durationS = 7200;
  private issued = 0;

  constructor(readonly now: () => number) {}

  addKey(secretId: string, secretKey: string, account: string): void {
    this.keys.set(secretId, { secretKey, account });
  }

  readonly requester: HttpRequester = async (exchange) => this.answer(exchange);

  private issue(account: string): Record<string, unknown> {
    this.issued += 1;
    const secretId = `AKIDtmp${this.issued}`;
    const secretKey = `tmpsecretkey-${this.issued}-xxxxxxxx`;
    const token = `tmptoken-${this.issued}-xxxxxxxxxxxx`;
    const expiresAtMs = this.now() + this.durationS * 1000;
    this.keys.set(secretId, { secretKey, account, token, expiresAtMs });
    return {
      Credentials: { TmpSecretId: secretId, TmpSecretKey: secretKey, Token: token },
      ExpiredTime: Math.floor(expiresAtMs / 1000),
      Expiration: new Date(expiresAtMs).toISOString(),
    };
  }

  private error(code: string, message: string): { status: number; body: string } {
    return {
      status: 200,
      body: JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: 'r1' } }),
    };
  }

  private answer(exchange: HttpExchange): { status: number; body: string } {
    const url = new URL(exchange.url);
    if (exchange.method === 'GET') {
      const role = decodeURIComponent(url.pathname.split('/').pop() ?? '');
      const roleArn = this.cvmRoles.get(role);
      this.calls.push({ action: 'metadata', params: { role }, url: exchange.url });
      if (!roleArn) return { status: 404, body: 'not found' };
      const issued = this.issue(roleArn.split('/')[1].split(':')[0]);
      const credentials = issued.Credentials as Record<string, string>;
      return {
        status: 200,
        body: JSON.stringify({ ...credentials, ExpiredTime: issued.ExpiredTime, Code: 'Success' }),
      };
    }
    const action = exchange.headers['X-TC-Action'];
    const params = JSON.parse(exchange.body ?? '{}') as Record<string, unknown>;
    const authorization = exchange.headers.Authorization;
    let caller: Key | undefined;
    let callerId: string | undefined;
    if (authorization !== 'SKIP') {
      callerId = /Credential=([^/]+)\//.exec(authorization)?.[1] ?? '';
      caller = this.keys.get(callerId);
      if (!caller) return this.error('AuthFailure.SecretIdNotFound', 'unknown key');
      const expected = tc3Authorization({
        secretId: callerId,
        secretKey: caller.secretKey,
        service: 'sts',
        host: exchange.headers.Host,
        contentType: exchange.headers['Content-Type'],
        payload: exchange.body ?? '',
        timestamp: Number(exchange.headers['X-TC-Timestamp']),
      });
      if (expected !== authorization) return this.error('AuthFailure.SignatureFailure', 'bad signature');
      if (caller.token !== exchange.headers['X-TC-Token'])
        return this.error('AuthFailure.TokenFailure', 'bad token');
      if (caller.expiresAtMs !== undefined && this.now() >= caller.expiresAtMs) {
        return this.error('AuthFailure.TokenFailure', 'token expired');
      }
    }
    this.calls.push({ action, params, caller: callerId, url: exchange.url });
    if (action === 'GetCallerIdentity') {
      return {
        status: 200,
        body: JSON.stringify({
          Response: { AccountId: caller?.account, Arn: 'arn', UserId: 'u', RequestId: 'r' },
        }),
      };
    }
    const roleArn = String(params.RoleArn);
    const roleAccountId = /uin\/(\d+):/.exec(roleArn)?.[1] ?? '';
    if (action === 'AssumeRole') {
      const trusted = this.trust.get(roleArn) ?? [];
      if (!caller || !trusted.includes(caller.account)) {
        return this.error(
          'InternalError.GetRoleError',
          `account ${caller?.account} may not assume ${roleArn}`,
        );
      }
      return {
        status: 200,
        body: JSON.stringify({ Response: { ...this.issue(roleAccountId), RequestId: 'r' } }),
      };
    }
    if (action === 'AssumeRoleWithWebIdentity') {
      if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(String(params.WebIdentityToken))) {
        return this.error('InvalidParameter.WebIdentityTokenError', 'malformed token');
      }
      return {
        status: 200,
        body: JSON.stringify({ Response: { ...this.issue(roleAccountId), RequestId: 'r' } }),
      };
    }
    return this.error('InvalidAction', action);
  }
}
