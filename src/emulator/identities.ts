import { createHash, randomBytes } from 'node:crypto';
import { AccountRecord, ownerOf } from './accounts';
import { Role } from './types';

/** The longest `DurationSeconds` STS accepts (AssumeRole, AssumeRoleWithWebIdentity). */
export const MAX_STS_DURATION_SECONDS = 43200;
/** STS's default `DurationSeconds`. */
export const DEFAULT_STS_DURATION_SECONDS = 7200;

/** A role as the endpoint keeps it. */
export interface RoleRecord {
  readonly arn: string;
  readonly account: AccountRecord;
  /** The role's name (`roleName/<name>`) or id (`role/<id>`) as the ARN spells it. */
  readonly name: string;
  /** A numeric role id, as CAM gives every role (derived from the ARN when it names the role). */
  readonly id: string;
  readonly trusted: ReadonlySet<string>;
}

/** Who signed a request. */
export interface Principal {
  readonly account: AccountRecord;
  /** A permanent key of the account, or a role session's temporary key. */
  readonly kind: 'user' | 'role';
  readonly role?: RoleRecord;
  readonly sessionName?: string;
  /** The UIN (or OIDC provider) whose credential started the role session. */
  readonly assumedBy?: string;
}

/** A temporary key pair and token STS or the metadata route issued. */
export interface IssuedCredential {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly principal: Principal;
}

/** What a SecretId in a signature stands for. */
export interface ResolvedKey {
  readonly secretKey: string;
  readonly principal: Principal;
  /** Set for temporary keys: the request must carry its token, before it expires. */
  readonly issued?: IssuedCredential;
}

const ROLE_ARN = /^qcs::cam::uin\/([0-9]+):(roleName|role)\/([\w+=,.@-]{1,128})$/;
// Issued keys expired longer ago than this are forgotten (then refused as unknown keys).
const FORGET_AFTER_MS = 24 * 3600 * 1000;

const randomText = (bytes: number): string => randomBytes(bytes).toString('base64url');

function roleId(arn: string, kind: string, name: string): string {
  if (kind === 'role' && /^[0-9]+$/.test(name)) return name;
  // CAM role ids are 19 digits starting 4611686018; a stable one per ARN.
  const digits = BigInt(`0x${createHash('sha256').update(arn).digest('hex').slice(0, 12)}`) % 1_000_000_000n;
  return `4611686018${digits.toString().padStart(9, '0')}`;
}

/** Accounts, roles and the temporary credentials issued for them. */
export class Identities {
  private readonly keys = new Map<string, { secretKey: string; account: AccountRecord }>();
  private readonly roles = new Map<string, RoleRecord>();
  private readonly issued = new Map<string, IssuedCredential>();

  constructor(
    readonly accounts: readonly AccountRecord[],
    roles: readonly Role[],
    readonly oidcProviders: ReadonlySet<string>,
    readonly maxDurationSeconds: number,
    private readonly now: () => number,
    where: string,
  ) {
    for (const account of accounts) {
      for (const key of account.keys) this.keys.set(key.secretId, { secretKey: key.secretKey, account });
    }
    for (const role of roles) {
      const match = ROLE_ARN.exec(role.arn);
      if (!match) {
        throw new Error(
          `${where}: role ${JSON.stringify(role.arn)} is not allowed; use qcs::cam::uin/<uin>:roleName/<name> or qcs::cam::uin/<uin>:role/<id>`,
        );
      }
      const account = accounts.find((a) => a.uin === match[1]);
      if (account === undefined) {
        throw new Error(
          `${where}: role ${role.arn} belongs to uin ${match[1]}, which is no account; accounts are ${accounts.map((a) => a.uin).join(', ')}`,
        );
      }
      const trusted = role.trustedUins ?? [account.uin];
      for (const uin of trusted) {
        if (!accounts.some((a) => a.uin === uin)) {
          throw new Error(
            `${where}: role ${role.arn} trusts uin ${uin}, which is no account; accounts are ${accounts.map((a) => a.uin).join(', ')}`,
          );
        }
      }
      if (this.roles.has(role.arn))
        throw new Error(`${where}: role ${role.arn} is given twice; give each role once`);
      this.roles.set(role.arn, {
        arn: role.arn,
        account,
        name: match[3],
        id: roleId(role.arn, match[2], match[3]),
        trusted: new Set(trusted),
      });
    }
  }

  role(arn: string): RoleRecord | undefined {
    return this.roles.get(arn);
  }

  /** The account a bucket belongs to. */
  ownerOf(bucket: string): AccountRecord {
    return ownerOf(this.accounts, bucket);
  }

  /** The key pair (permanent or issued) a SecretId names, or undefined. */
  resolve(secretId: string): ResolvedKey | undefined {
    const permanent = this.keys.get(secretId);
    if (permanent !== undefined) {
      return { secretKey: permanent.secretKey, principal: { account: permanent.account, kind: 'user' } };
    }
    const issued = this.issued.get(secretId);
    if (issued === undefined) return undefined;
    return { secretKey: issued.secretKey, principal: issued.principal, issued };
  }

  /** Issues a temporary credential of a role session, living at most `maxDurationSeconds`. */
  issue(role: RoleRecord, sessionName: string, durationSeconds: number, assumedBy: string): IssuedCredential {
    const now = this.now();
    for (const [id, old] of this.issued) {
      if (old.expiresAt + FORGET_AFTER_MS < now) this.issued.delete(id);
    }
    const seconds = Math.min(durationSeconds, this.maxDurationSeconds);
    const credential: IssuedCredential = {
      secretId: `AKID${randomBytes(16).toString('hex').toUpperCase()}`,
      secretKey: randomText(24),
      token: randomText(96),
      expiresAt: (Math.floor(now / 1000) + seconds) * 1000,
      principal: { account: role.account, kind: 'role', role, sessionName, assumedBy },
    };
    this.issued.set(credential.secretId, credential);
    return credential;
  }
}
