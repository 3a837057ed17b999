import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from './body';
import { DEFAULT_CREDENTIALS } from './credentials';
import { AccountRecord, buildAccounts } from './accounts';
import { DEFAULT_STS_DURATION_SECONDS, Identities, MAX_STS_DURATION_SECONDS, RoleRecord } from './identities';
import { AdminError, handleAdmin } from './admin-route';
import { DataDir } from './data-dir';
import { DEFAULT_ROWS_PER_FILE, deliverInventory } from './delivery';
import { InventoryDocument } from './inventory-document';
import { FaultInjector } from './faults';
import { createCosServer } from './server';
import { BucketState, Store } from './store';
import { RequestLog } from './request-log';
import {
  CreateBucketOptions,
  Credentials,
  DeliveryResult,
  FaultRule,
  LocalCosClock,
  LocalCosOptions,
  RequestLogEntry,
  RunInventoryOptions,
  SdkOptions,
} from './types';

/** Default delay between a one-time run's acknowledgement and its delivery. */
export const DEFAULT_ONE_TIME_DELIVERY_DELAY_MS = 300;

const systemClock: LocalCosClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;
const BUCKET_SPEC = /^([^@]+)@([^@]+)$/;

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`LocalCos.start: ${name} ${value} is not allowed; use a number of milliseconds >= 0`);
  }
  return value;
}

/** Parses `name-appid@region`. */
export function parseBucketSpec(spec: string): { bucket: string; region: string } {
  const match = BUCKET_SPEC.exec(spec);
  if (!match) throw new Error(`bucket ${JSON.stringify(spec)} is not allowed; use <name>-<appid>@<region>`);
  return { bucket: match[1], region: match[2] };
}

/**
 * A local COS endpoint speaking COS's wire protocol on 127.0.0.1, for tests and offline use
 * with the real SDK: `new COS(cos.sdkOptions())`.
 */
export class LocalCos {
  private readonly store: Store;
  private readonly log: RequestLog;
  private readonly faults: FaultInjector;
  private readonly data: DataDir | undefined;
  private readonly timers = new Set<unknown>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly identities: Identities,
    private readonly rowsPerFile: number,
    private readonly oneTimeDelayMs: number,
    private readonly clock: LocalCosClock,
    parts: { store: Store; log: RequestLog; faults: FaultInjector; data: DataDir | undefined },
  ) {
    this.store = parts.store;
    this.log = parts.log;
    this.faults = parts.faults;
    this.data = parts.data;
  }

  /** Starts listening; resolves once the port is bound. */
  static async start(options: LocalCosOptions = {}): Promise<LocalCos> {
    const host = options.host ?? '127.0.0.1';
    if (!LOOPBACK.test(host)) {
      throw new Error(
        `LocalCos.start: host ${host} is not allowed; use a loopback address such as 127.0.0.1`,
      );
    }
    const port = options.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`LocalCos.start: port ${port} is not allowed; use an integer from 0 to 65535`);
    }
    const rowsPerFile = options.rowsPerFile ?? DEFAULT_ROWS_PER_FILE;
    if (!Number.isInteger(rowsPerFile) || rowsPerFile < 1) {
      throw new Error(`LocalCos.start: rowsPerFile ${rowsPerFile} is not allowed; use a positive integer`);
    }
    for (const pair of options.credentials ?? []) {
      if (pair.secretId === '' || pair.secretKey === '') {
        throw new Error('LocalCos.start: credentials need a non-empty secretId and secretKey');
      }
    }
    const lagMs = nonNegative(options.consistencyLagMs ?? 0, 'consistencyLagMs');
    const oneTimeDelayMs = nonNegative(
      options.oneTimeDeliveryDelayMs ?? DEFAULT_ONE_TIME_DELIVERY_DELAY_MS,
      'oneTimeDeliveryDelayMs',
    );
    const clock = options.clock ?? systemClock;
    // One clock for everything time-dependent: signature windows, STS timestamps, credential
    // expiry, the read-after-write lag, delivery delays and fault delays.
    const now = (): number => clock.now();
    const stsDuration = options.stsDurationSeconds ?? DEFAULT_STS_DURATION_SECONDS;
    if (!Number.isInteger(stsDuration) || stsDuration < 1 || stsDuration > MAX_STS_DURATION_SECONDS) {
      throw new Error(
        `LocalCos.start: stsDurationSeconds ${stsDuration} is not allowed; use a whole number from 1 to ${MAX_STS_DURATION_SECONDS}`,
      );
    }
    const accepted =
      options.credentials && options.credentials.length > 0
        ? [...options.credentials]
        : [DEFAULT_CREDENTIALS];
    const accounts = buildAccounts(accepted, options.accounts ?? [], 'LocalCos.start');
    const identities = new Identities(
      accounts,
      options.roles ?? [],
      new Set(options.oidcProviders ?? []),
      stsDuration,
      now,
      'LocalCos.start',
    );
    const cvmRoles = new Map<string, RoleRecord>();
    for (const [name, arn] of Object.entries(options.cvmRoles ?? {})) {
      const role = identities.role(arn);
      if (!/^[\w+=,.@-]{1,128}$/.test(name) || role === undefined) {
        throw new Error(
          `LocalCos.start: cvm role ${name}=${arn} is not allowed; use a name of letters, digits and =,.@_- and the arn of one of the roles`,
        );
      }
      cvmRoles.set(name, role);
    }
    const store = new Store({ consistencyLagMs: lagMs, now });
    // A corrupt data directory throws here, naming the file: never a silent empty start.
    const data = options.dataDir === undefined ? undefined : DataDir.open(options.dataDir, store);
    const parts = { store, log: new RequestLog(options.onRequest), faults: new FaultInjector(), data };
    for (const spec of options.buckets ?? []) {
      const { bucket, region } = parseBucketSpec(spec);
      const existing = store.byName(bucket);
      if (existing !== undefined && existing.region === region && data !== undefined) continue;
      store.createBucket(bucket, region, false);
    }
    data?.flush(store);
    // The server's callbacks reach the instance, which exists once the port is bound.
    const ref: { self?: LocalCos } = {};
    const server = createCosServer({
      store,
      log: parts.log,
      faults: parts.faults,
      identities,
      cvmRoles,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      runOnce: (source, job, date) => (ref.self as LocalCos).scheduleOneTimeRun(source, job, date),
      normalizePolicy: options.normalizePolicy ?? true,
      now,
      delay: (ms) => new Promise((resolve) => clock.setTimeout(resolve, ms)),
      flush: () => data?.flush(store),
      admin: (request) =>
        handleAdmin(request, (bucket, id, date) => (ref.self as LocalCos).runInventory(bucket, id, { date })),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = (server.address() as AddressInfo).port;
    const self = new LocalCos(server, host, bound, identities, rowsPerFile, oneTimeDelayMs, clock, parts);
    // One-time runs acknowledged before a restart are still delivered.
    for (const source of store.list()) {
      for (const run of [...source.pendingRuns]) self.armDelivery(source, run.doc, run.dueAt);
    }
    ref.self = self;
    return self;
  }

  /** `http://HOST:PORT` */
  get endpoint(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** The first account's first key pair. */
  get credentials(): Credentials {
    return this.identities.accounts[0].keys[0];
  }

  /** The accounts, first one first: UIN, APPID and key pairs. */
  get accounts(): readonly AccountRecord[] {
    return this.identities.accounts;
  }

  /**
   * Options for `new COS(...)`: COS's virtual-host `Host` header, socket sent here; signed with
   * the first key pair or the given one (with `token` for a temporary key).
   */
  sdkOptions(keys?: {
    readonly secretId: string;
    readonly secretKey: string;
    readonly token?: string;
  }): SdkOptions {
    const pair = keys ?? this.credentials;
    return {
      SecretId: pair.secretId,
      SecretKey: pair.secretKey,
      ...(keys?.token === undefined ? {} : { SecurityToken: keys.token }),
      Protocol: 'http:',
      Ip: `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`,
    };
  }

  createBucket(bucket: string, region: string, options: CreateBucketOptions = {}): void {
    this.store.createBucket(bucket, region, options.versioned === true);
    this.data?.flush(this.store);
  }

  /** Every bucket served (those given, created through the API, or read from the data directory), by name. */
  listBuckets(): { bucket: string; region: string }[] {
    return this.store
      .list()
      .map(({ bucket, region }) => ({ bucket, region }))
      .sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
  }

  get requestLog(): readonly RequestLogEntry[] {
    return this.log.all;
  }

  clearRequestLog(): void {
    this.log.clear();
  }

  injectFault(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Runs a stored inventory job's delivery now, as COS's scheduler would; `date` backdates it
   * (names the `YYYYMMDD` folder). A disabled job (`IsEnabled` false) delivers nothing: COS
   * generates no report for it, so this throws rather than pretend a delivery happened.
   */
  runInventory(bucket: string, id: string, options: RunInventoryOptions = {}): DeliveryResult {
    const source = this.store.byName(bucket);
    if (source === undefined) throw new AdminError(404, `runInventory: bucket ${bucket} does not exist`);
    const job = source.inventory(id);
    if (job === undefined)
      throw new AdminError(404, `runInventory: bucket ${bucket} has no inventory configuration ${id}`);
    if (job.isEnabled === 'false') {
      throw new AdminError(
        409,
        `runInventory: inventory configuration ${id} of bucket ${bucket} is disabled (IsEnabled false); cos delivers no report for it`,
      );
    }
    const result = deliverInventory(this.store, source, job, {
      date: options.date ?? new Date(this.clock.now()),
      rowsPerFile: this.rowsPerFile,
    });
    this.data?.flush(this.store);
    return result;
  }

  /** Resolves once every accepted one-time run has been delivered (or dropped). */
  async deliveriesSettled(): Promise<void> {
    while (this.timers.size > 0 && !this.closed) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  /** A one-time run just acknowledged: delivered after the configured delay, under its own id. */
  private scheduleOneTimeRun(source: BucketState, job: InventoryDocument, date: Date): void {
    if (this.oneTimeDelayMs === 0) {
      this.deliverOneTime(source, job, date);
      return;
    }
    const dueAt = this.clock.now() + this.oneTimeDelayMs;
    source.pendingRuns.push({ doc: job, date, dueAt });
    source.dirty.add('inventory');
    this.armDelivery(source, job, dueAt);
  }

  private armDelivery(source: BucketState, job: InventoryDocument, dueAt: number): void {
    const timer = this.clock.setTimeout(
      () => {
        this.timers.delete(timer);
        const index = source.pendingRuns.findIndex((run) => run.doc === job);
        if (index === -1) return;
        const [run] = source.pendingRuns.splice(index, 1);
        source.dirty.add('inventory');
        this.deliverOneTime(source, job, run.date);
        this.data?.flush(this.store);
      },
      Math.max(0, dueAt - this.clock.now()),
    );
    this.timers.add(timer);
  }

  // COS reports nothing when a delivery fails (source or destination gone): neither do we.
  private deliverOneTime(source: BucketState, job: InventoryDocument, date: Date): void {
    if (this.store.byName(source.bucket) !== source) return;
    try {
      deliverInventory(this.store, source, job, { date, rowsPerFile: this.rowsPerFile });
    } catch {
      // destination bucket deleted meanwhile: no report, as in COS
    }
  }

  /** Stops listening and closes open connections. */
  async close(): Promise<void> {
    // Pending one-time runs stay recorded (and, with a data directory, are delivered after a restart).
    this.closed = true;
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}
