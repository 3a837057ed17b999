import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from './body';
import { DEFAULT_CREDENTIALS } from './credentials';
import { DEFAULT_ROWS_PER_FILE, deliverInventory } from './delivery';
import { FaultInjector } from './faults';
import { createCosServer } from './server';
import { Store } from './store';
import { RequestLog } from './request-log';
import {
  CreateBucketOptions,
  Credentials,
  DeliveryResult,
  FaultRule,
  LocalCosOptions,
  RequestLogEntry,
  RunInventoryOptions,
  SdkOptions,
} from './types';

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;
const BUCKET_SPEC = /^([^@]+)@([^@]+)$/;

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

  private constructor(
    private readonly server: Server,
    readonly host: string,
    readonly port: number,
    private readonly accepted: readonly Credentials[],
    private readonly rowsPerFile: number,
    parts: { store: Store; log: RequestLog; faults: FaultInjector },
  ) {
    this.store = parts.store;
    this.log = parts.log;
    this.faults = parts.faults;
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
    const parts = { store: new Store(), log: new RequestLog(options.onRequest), faults: new FaultInjector() };
    for (const spec of options.buckets ?? []) {
      const { bucket, region } = parseBucketSpec(spec);
      parts.store.createBucket(bucket, region, false);
    }
    const accepted =
      options.credentials && options.credentials.length > 0
        ? [...options.credentials]
        : [DEFAULT_CREDENTIALS];
    const server = createCosServer({
      store: parts.store,
      log: parts.log,
      faults: parts.faults,
      credentials: () => accepted,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      deliver: (source, job) => deliverInventory(parts.store, source, job, { date: new Date(), rowsPerFile }),
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const bound = (server.address() as AddressInfo).port;
    return new LocalCos(server, host, bound, accepted, rowsPerFile, parts);
  }

  /** `http://HOST:PORT` */
  get endpoint(): string {
    return `http://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  /** The first accepted key pair. */
  get credentials(): Credentials {
    return this.accepted[0];
  }

  /** Options for `new COS(...)`: COS's virtual-host `Host` header, socket sent here. */
  sdkOptions(): SdkOptions {
    return {
      SecretId: this.credentials.secretId,
      SecretKey: this.credentials.secretKey,
      Protocol: 'http:',
      Ip: `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`,
    };
  }

  createBucket(bucket: string, region: string, options: CreateBucketOptions = {}): void {
    this.store.createBucket(bucket, region, options.versioned === true);
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

  /** Runs a stored inventory job's delivery now, as COS's scheduler would. */
  runInventory(bucket: string, id: string, options: RunInventoryOptions = {}): DeliveryResult {
    const source = this.store.list().find((b) => b.bucket === bucket);
    if (source === undefined) throw new Error(`runInventory: bucket ${bucket} does not exist`);
    const job = source.inventories.get(id);
    if (job === undefined)
      throw new Error(`runInventory: bucket ${bucket} has no inventory configuration ${id}`);
    return deliverInventory(this.store, source, job, {
      date: options.date ?? new Date(),
      rowsPerFile: this.rowsPerFile,
    });
  }

  /** Stops listening and closes open connections. */
  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}
