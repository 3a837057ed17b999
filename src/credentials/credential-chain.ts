import { roleAccount } from '../model/account';
import { runChain, stsFailure } from './chain';
import type { Credential } from './credential';
import { serviceEndpoints, type ServiceEndpoints } from './endpoints';
import { nodeFileReader, type FileReader } from './files';
import { nodeRequester, type HttpRequester } from './http';
import { RefreshingCredentials } from './refreshing-credentials';
import { assumeRole, getCallerIdentity, type CallerIdentity, type StsContext } from './sts-client';
import {
  DEFAULT_REGION,
  DEFAULT_SESSION_DURATION_S,
  ENV_REGION,
  ENV_SECRET_KEY,
  ENV_WEB_IDENTITY_TOKEN,
  TOKEN_VARIABLES,
} from './variables';

/** The secret values of the environment, known before the chain runs (for early error lines). */
export function environmentSecrets(env: NodeJS.ProcessEnv): string[] {
  return [ENV_SECRET_KEY, ...TOKEN_VARIABLES, ENV_WEB_IDENTITY_TOKEN]
    .map((name) => (env[name] ?? '').trim())
    .filter((value) => value !== '');
}

/** Where the chain reads from; every part injectable for tests. */
export interface CredentialChainOptions {
  readonly env: NodeJS.ProcessEnv;
  /** `--profile` of the CLI. */
  readonly profile?: string;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  readonly requester?: HttpRequester;
  readonly readFile?: FileReader;
  /** The list secrets are added to (so an error line written later is redacted). */
  readonly secrets?: string[];
}

/**
 * The credential chain of our provider and the CLI: the Tencent provider's sources and order
 * (`runChain`), renewed before expiry, plus roles assumed from it (cross-account policy
 * edits) and the caller's identity (the account guard). `secrets` grows with every secret
 * value seen, so an error printed later is redacted of temporary keys too.
 */
export class CredentialChain {
  public readonly secrets: string[];
  public readonly endpoints: ServiceEndpoints;
  private readonly now: () => number;
  private readonly requester: HttpRequester;
  private readonly base: RefreshingCredentials;
  private readonly roles = new Map<string, RefreshingCredentials>();
  private readonly region: string;

  constructor(options: CredentialChainOptions) {
    this.secrets = options.secrets ?? environmentSecrets(options.env);
    this.endpoints = serviceEndpoints(options.env);
    this.now = options.now ?? Date.now;
    this.requester = options.requester ?? nodeRequester;
    this.region = (options.env[ENV_REGION] ?? '').trim() || DEFAULT_REGION;
    const readFile = options.readFile ?? nodeFileReader;
    this.base = new RefreshingCredentials(
      () =>
        runChain({
          env: options.env,
          profile: options.profile,
          endpoints: this.endpoints,
          requester: this.requester,
          readFile,
          now: this.now,
          onSecret: (value) => this.addSecret(value),
        }),
      this.now,
    );
  }

  /** The chain's credential, renewed when due. */
  public current(): Promise<Credential> {
    return this.base.current();
  }

  /** The chain's own credentials, renewable. */
  public get credentials(): RefreshingCredentials {
    return this.base;
  }

  /** A role assumed with the chain's credential (renewed, each renewal signed by a current one). */
  public forRole(roleArn: string, sessionName = 'cos-inventory-policy'): RefreshingCredentials {
    const existing = this.roles.get(roleArn);
    if (existing) return existing;
    const account = roleAccount(roleArn);
    const source = `role ${roleArn}${account ? ` of account ${account}` : ''}`;
    const role = new RefreshingCredentials(async () => {
      const caller = await this.base.current();
      try {
        const credential = await assumeRole(
          this.sts(),
          caller,
          { roleArn, sessionName, durationS: DEFAULT_SESSION_DURATION_S },
          source,
        );
        this.addSecret(credential.secretKey);
        this.addSecret(credential.token ?? '');
        return credential;
      } catch (error) {
        throw stsFailure(
          error,
          source,
          `let role ${roleArn} trust the account of ${caller.source} for sts:AssumeRole, or fix policyRoleArns`,
        );
      }
    }, this.now);
    this.roles.set(roleArn, role);
    return role;
  }

  /** `GetCallerIdentity` of the chain's credential (or of `credentials`). */
  public async callerIdentity(credentials: RefreshingCredentials = this.base): Promise<CallerIdentity> {
    const credential = await credentials.current();
    try {
      return await getCallerIdentity(this.sts(), credential);
    } catch (error) {
      throw stsFailure(error, credential.source, 'check the credentials: sts could not tell whose they are');
    }
  }

  private sts(): StsContext {
    return { endpoints: this.endpoints, requester: this.requester, now: this.now, region: this.region };
  }

  private addSecret(value: string): void {
    if (value !== '' && !this.secrets.includes(value)) this.secrets.push(value);
  }
}
