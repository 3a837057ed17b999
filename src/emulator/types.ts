/** Public types of the local COS endpoint. */

/** A key pair the endpoint accepts in request signatures. */
export interface Credentials {
  readonly secretId: string;
  readonly secretKey: string;
}

/** An account: its UIN (owner id), its APPID (the suffix of its buckets' names) and one key pair. */
export interface Account {
  readonly uin: string;
  readonly appid: string;
  readonly secretId: string;
  readonly secretKey: string;
}

/** A CAM role STS lets callers assume. */
export interface Role {
  /** `qcs::cam::uin/<uin>:roleName/<name>` or `qcs::cam::uin/<uin>:role/<id>`; `<uin>` must be an account's. */
  readonly arn: string;
  /**
   * UINs of the accounts whose credentials may assume the role.
   * @default - the role's own account
   */
  readonly trustedUins?: readonly string[];
}

/**
 * Which part of the endpoint a request addressed: a part of COS's API, or STS (`sts`) or the
 * CVM metadata service (`metadata`) served on the same port.
 */
export type Subresource =
  'service' | 'bucket' | 'object' | 'inventory' | 'policy' | 'versions' | 'sts' | 'metadata' | 'unknown';

/** One answered (or dropped) request, in arrival order. */
export interface RequestLogEntry {
  readonly method: string;
  /** `name-appid`, absent for service-level or unaddressable requests. */
  readonly bucket?: string;
  readonly region?: string;
  readonly subresource: Subresource;
  /** Object key for object requests. */
  readonly key?: string;
  /** The `id` query parameter of inventory requests. */
  readonly id?: string;
  /** The STS action (`X-TC-Action`) or the metadata role name. */
  readonly action?: string;
  /** HTTP status sent; 0 when the connection was dropped by a fault. */
  readonly status: number;
  /** COS error code when the answer was an error. */
  readonly code?: string;
  readonly requestId: string;
}

/**
 * A fault rule: requests matching every given selector are answered with `status`/`code`,
 * delayed by `delayMs`, or have their connection destroyed (`drop`), `times` times (default 1).
 */
export interface FaultRule {
  readonly method?: string;
  readonly subresource?: Subresource;
  readonly bucket?: string;
  readonly key?: string;
  readonly id?: string;
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  readonly times?: number;
  readonly delayMs?: number;
  readonly drop?: boolean;
}

export interface LocalCosOptions {
  /** Interface to listen on; only loopback addresses are accepted. Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 0 (any free port). */
  readonly port?: number;
  /** Key pairs of the first account (UIN `DEFAULT_UIN`, APPID `DEFAULT_APPID`); default `[DEFAULT_CREDENTIALS]`. */
  readonly credentials?: readonly Credentials[];
  /**
   * More accounts. A bucket belongs to the account of its APPID (the first account when no
   * account has it); a key acts on its own account's buckets, and on another account's only
   * where that bucket's policy allows its account.
   * @default - only the first account
   */
  readonly accounts?: readonly Account[];
  /** Roles STS's `AssumeRole` and `AssumeRoleWithWebIdentity` hand out credentials for. */
  readonly roles?: readonly Role[];
  /** OIDC provider ids `AssumeRoleWithWebIdentity` accepts (with any well-formed JWT). */
  readonly oidcProviders?: readonly string[];
  /** CVM role names served by the metadata route, each the ARN of one of `roles`. */
  readonly cvmRoles?: Readonly<Record<string, string>>;
  /**
   * The longest life of a temporary credential STS or the metadata route issues, in seconds:
   * each lives the smaller of this and the `DurationSeconds` asked for.
   * @default 7200
   */
  readonly stsDurationSeconds?: number;
  /** Buckets to create, as `name-appid@region`. */
  readonly buckets?: readonly string[];
  /** Largest request body accepted, in bytes (default 64 MiB). */
  readonly maxBodyBytes?: number;
  /** Rows per delivered data file before a new file is started (default 100000). */
  readonly rowsPerFile?: number;
  /** Called with each request-log entry as it is recorded (e.g. to print a live log). */
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /**
   * Read-after-write lag, in ms: after a PUT or DELETE of an inventory configuration or a
   * policy, GET and list answer the state from just before that write until this time has
   * passed (COS's own tests wait 3-4 s before reading back).
   * @default 0
   */
  readonly consistencyLagMs?: number;
  /**
   * Delay between acknowledging a one-time run (`POST ?inventory`) and writing its report.
   * 0 delivers before the POST is answered.
   * @default 300
   */
  readonly oneTimeDeliveryDelayMs?: number;
  /**
   * GET ?policy answers COS's normalised form (capitalised keys, a `Sid` on every statement,
   * lists for single strings) rather than the bytes written.
   * @default true
   */
  readonly normalizePolicy?: boolean;
  /**
   * Keep buckets, jobs, policies and objects in this directory (created when missing) across
   * restarts; every acknowledged write is on disk before it is answered.
   * @default - in memory only
   */
  readonly dataDir?: string;
  /**
   * The endpoint's one clock: request signature windows, STS timestamps, temporary-credential
   * expiry, the read-after-write lag, the one-time delivery delay and faults' `delayMs` all
   * read it. Tests pass a clock they advance instead of waiting (the SDK signs with the wall
   * clock, so a test moving it more than a signature's life past the wall clock sees COS's
   * `Request has expired`, as a skewed client would).
   * @default the system clock
   */
  readonly clock?: LocalCosClock;
}

/** Reads the time and schedules a callback, like `Date.now` and `setTimeout`. */
export interface LocalCosClock {
  now(): number;
  /** Calls `callback` once `ms` have passed; returns what `clearTimeout` cancels. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CreateBucketOptions {
  /** Keep previous versions and write delete markers, like a versioning-enabled bucket. */
  readonly versioned?: boolean;
}

export interface RunInventoryOptions {
  /** The scan date; names the `YYYYMMDD` manifest folder. Default now. */
  readonly date?: Date;
}

/** What one inventory run wrote into the destination bucket. */
export interface DeliveryResult {
  readonly destinationBucket: string;
  readonly destinationRegion: string;
  readonly manifestKey: string;
  readonly checksumKey: string;
  readonly dataKeys: readonly string[];
  readonly rowCount: number;
  readonly fileSchema: readonly string[];
}

/** Options for `new COS(...)` of `cos-nodejs-sdk-v5` that reach this endpoint. */
export interface SdkOptions {
  readonly SecretId: string;
  readonly SecretKey: string;
  /** A temporary key's token (sent as `x-cos-security-token`). */
  readonly SecurityToken?: string;
  readonly Protocol: 'http:';
  readonly Ip: string;
}
