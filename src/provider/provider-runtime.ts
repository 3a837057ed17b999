/**
 * What every resource of one provider process shares: the COS client over the credential
 * chain (the handler's and the CLI's sources and order, from the environment Terraform
 * passes on), the clock, the account guard, the bound on concurrent writes, and the shared
 * reads (one job listing per bucket, one policy read per destination).
 */
import { createChainClient } from '../cos/chain-client';
import { connectionFromEnv, type CosClient } from '../cos/client';
import { isNoSuchBucket, listAllInventories } from '../cos/inventory';
import { getPolicy } from '../cos/policy';
import { systemClock, type Clock } from '../cos/retry';
import { CredentialChain, environmentSecrets } from '../credentials/credential-chain';
import type { HttpRequester } from '../credentials/http';
import {
  callerAccount,
  chainAccess,
  checkAccount,
  type AccountGuard,
  type CallerAccount,
  type HandlerAccess,
} from '../handler/access';
import { formatErrorLine } from '../handler/errors';
import { readBackOptions, type ReadBackOptions } from '../handler/read-back';
import { normalizeRemoteConfiguration } from '../model/compare';
import type { InventoryConfiguration } from '../model/configuration';
import type { PolicyDocument } from '../model/policy';
import { errorDiagnostic, type Diagnostic } from '../tfplugin/diagnostics';
import { SharedReads } from './shared-reads';
import { MAX_CONCURRENT_WRITES, WriteLimit } from './write-limit';

/** A bucket's jobs from one paged listing; `exists` false when the bucket is gone. */
export interface JobListing {
  readonly exists: boolean;
  readonly jobs: ReadonlyMap<string, InventoryConfiguration>;
}

export interface ProviderRuntimeOptions {
  /** The environment the provider process inherited from Terraform. */
  readonly env: NodeJS.ProcessEnv;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Sends the credential chain's STS and metadata requests. @default node:http/https */
  readonly requester?: HttpRequester;
  /** @default MAX_CONCURRENT_WRITES */
  readonly maxConcurrentWrites?: number;
}

/** `<region>/<bucket>`: the key of a bucket's shared reads and serialized policy edits. */
export function bucketKey(region: string, bucket: string): string {
  return `${region}/${bucket}`;
}

function splitKey(key: string): { region: string; bucket: string } {
  const slash = key.indexOf('/');
  return { region: key.slice(0, slash), bucket: key.slice(slash + 1) };
}

export class ProviderRuntime {
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  /** Values never shown in a diagnostic; grows as temporary keys are obtained. */
  readonly secrets: string[];
  readonly writes: WriteLimit;
  /** One listing per bucket per process, keyed by {@link bucketKey}. */
  readonly listings: SharedReads<JobListing>;
  /** One policy read per destination per process, keyed by `<role arn>|<region>/<bucket>`. */
  readonly policies: SharedReads<PolicyDocument | undefined>;
  private readonly chain: CredentialChain;
  private readonly access: HandlerAccess;
  private clientPromise: Promise<CosClient> | undefined;
  private caller: Promise<CallerAccount> | undefined;
  private allowedAccountIds: readonly string[] | undefined;
  private readBackSettings: ReadBackOptions | undefined;

  constructor(options: ProviderRuntimeOptions) {
    this.env = options.env;
    this.clock = options.clock ?? systemClock;
    this.secrets = environmentSecrets(options.env);
    this.writes = new WriteLimit(options.maxConcurrentWrites ?? MAX_CONCURRENT_WRITES);
    this.chain = new CredentialChain({
      env: options.env,
      secrets: this.secrets,
      now: () => this.clock.now(),
      ...(options.requester ? { requester: options.requester } : {}),
    });
    this.access = chainAccess(options.env, this.chain, (client) => client, this.clock);
    this.listings = new SharedReads(this.clock, async (key) => {
      const target = splitKey(key);
      const client = await this.client();
      try {
        const listing = await listAllInventories(client, target);
        const jobs = new Map<string, InventoryConfiguration>();
        for (const raw of listing.configurations) {
          const job = normalizeRemoteConfiguration(raw);
          jobs.set(job.Id, job);
        }
        return { exists: true, jobs };
      } catch (error) {
        if (isNoSuchBucket(error)) return { exists: false, jobs: new Map() };
        throw error;
      }
    });
    this.policies = new SharedReads(this.clock, async (key) => {
      const bar = key.indexOf('|');
      const client = await this.policyClient(key.slice(0, bar) || null);
      return getPolicy(client, splitKey(key.slice(bar + 1)));
    });
  }

  /**
   * Checks the settings read from the environment (endpoint, timeouts, read-back window) and
   * takes the provider block's account guard. Credentials are resolved at the first request.
   */
  configure(allowedAccountIds: readonly string[] | undefined): void {
    connectionFromEnv(this.env);
    this.readBackSettings = readBackOptions(this.env, this.clock);
    this.allowedAccountIds = allowedAccountIds;
  }

  /** How long after a write a refresh may wait for it to show (COS_INVENTORY_READBACK_MS). */
  get readBack(): ReadBackOptions {
    if (this.readBackSettings === undefined) this.readBackSettings = readBackOptions(this.env, this.clock);
    return this.readBackSettings;
  }

  /** The client of the provider's own credential (created once, at first use). */
  client(): Promise<CosClient> {
    if (this.clientPromise === undefined) {
      this.clientPromise = createChainClient(this.env, this.chain, this.clock);
      this.clientPromise.catch(() => {
        this.clientPromise = undefined;
      });
    }
    return this.clientPromise;
  }

  /** The client editing a destination's policy: the assumed role's when `roleArn` is given. */
  policyClient(roleArn: string | null): Promise<CosClient> {
    return roleArn ? this.access.clientForRole(roleArn) : this.client();
  }

  /** The account of the provider's own credential: one GetCallerIdentity per process (retried after a failure). */
  callerAccount(): Promise<CallerAccount> {
    if (this.caller === undefined) {
      this.caller = callerAccount(this.chain);
      this.caller.catch(() => {
        this.caller = undefined;
      });
    }
    return this.caller;
  }

  /**
   * The account guards of one write: the provider block's and the resource's own
   * (`allowed_account_ids` of `resourceType`; for a delete, the value in state). Both apply
   * when both are set. Throws the one-line refusal; asks STS only when a guard is set.
   */
  async checkAccount(resourceAllowed: readonly string[] | undefined, resourceType: string): Promise<void> {
    const guards: AccountGuard[] = [];
    const block = this.allowedAccountIds;
    if (block !== undefined && block.length > 0) {
      guards.push({
        allowed: block,
        setting: 'allowed_account_ids of the provider "cosinventory" block',
        hint: 'apply with the credentials of an allowed account, or fix allowed_account_ids in the provider "cosinventory" block',
      });
    }
    if (resourceAllowed !== undefined && resourceAllowed.length > 0) {
      guards.push({
        allowed: resourceAllowed,
        setting: `allowed_account_ids of this ${resourceType}`,
        hint: 'apply with the credentials of an allowed account, or fix allowedAccountIds in the BucketInventory props (allowed_account_ids of the resource)',
      });
    }
    if (guards.length === 0) return;
    const caller = await this.callerAccount();
    for (const guard of guards) checkAccount(caller, guard);
  }

  /** Runs one write: after the provider block's account guard, within the write bound. */
  async write<T>(work: () => Promise<T>): Promise<T> {
    await this.checkAccount(undefined, '');
    return this.writes.run(work);
  }

  /** A failure as Terraform shows it: the handler's one error line (code, request id, hint), redacted. */
  failure(summary: string, error: unknown, where: { verb: string; bucket: string; id: string }): Diagnostic {
    return errorDiagnostic(summary, formatErrorLine(where, error, this.secrets));
  }
}
