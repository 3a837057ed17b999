import { createHash, randomBytes } from 'node:crypto';
import { crc64ecma } from './crc64';
import { CosError } from './errors';
import { InventoryDocument } from './inventory-document';

/** One version of an object (or a delete marker in a versioned bucket). */
export interface ObjectVersion {
  readonly key: string;
  /** `null` in buckets without versioning, as COS reports it. */
  readonly versionId: string;
  readonly isDeleteMarker: boolean;
  readonly body: Buffer;
  /** MD5 hex of the body, without quotes. */
  readonly etag: string;
  readonly crc64: string;
  readonly lastModified: Date;
  readonly storageClass: string;
  readonly contentType: string;
  /** `x-cos-meta-*` headers, names lower case with the prefix. */
  readonly metadata: ReadonlyMap<string, string>;
  readonly tags: ReadonlyMap<string, string>;
}

export interface NewObject {
  readonly body: Buffer;
  readonly storageClass: string;
  readonly contentType: string;
  readonly metadata: ReadonlyMap<string, string>;
  readonly tags: ReadonlyMap<string, string>;
  readonly lastModified?: Date;
}

/** A stored inventory configuration with its creation number (list order). */
export interface InventoryEntry {
  readonly doc: InventoryDocument;
  readonly seq: number;
}

/** A one-time run accepted but not yet delivered. */
export interface PendingRun {
  readonly doc: InventoryDocument;
  /** The run's date (names the manifest folder). */
  readonly date: Date;
  /** When the delivery is due (epoch ms). */
  readonly dueAt: number;
}

/** Which persisted part of a bucket changed since the last flush. */
export type BucketPart = 'inventory' | 'policy' | 'objects';

/** Settings every bucket reads (shared, so the owner can change them). */
export interface StoreSettings {
  /** Read-after-write lag of inventory configurations and policies, in ms. */
  consistencyLagMs: number;
  /** Clock, replaceable for tests of the lag. */
  now: () => number;
}

/**
 * What readers see during the read-after-write lag: after a write, until `until`, reads
 * return the state from just before that write (deterministic, so tests can rely on it).
 */
class Lagged<T> {
  private previous: T | undefined;
  private until = 0;

  beforeWrite(current: T, settings: StoreSettings): void {
    if (settings.consistencyLagMs <= 0) return;
    this.previous = current;
    this.until = settings.now() + settings.consistencyLagMs;
  }

  read(current: T, settings: StoreSettings): T {
    return settings.now() < this.until ? (this.previous as T) : current;
  }
}

/** A bucket: its inventory jobs, its policy document and its objects. */
export class BucketState {
  /** Insertion order is creation order (an overwrite keeps its place), as COS lists. */
  private readonly inventoryEntries = new Map<string, InventoryEntry>();
  private nextSeq = 1;
  private policyText: string | undefined;
  private readonly laggedInventories = new Lagged<readonly InventoryEntry[]>();
  private readonly laggedPolicy = new Lagged<string | undefined>();
  /** One-time run ids by the UTC day (YYYYMMDD) they last ran on. */
  readonly oneTimeRuns = new Map<string, string>();
  readonly pendingRuns: PendingRun[] = [];
  /** Parts changed since the last flush to the data directory. */
  readonly dirty = new Set<BucketPart>();
  /** Versions per key, oldest first; unversioned buckets keep exactly one. */
  private readonly objects = new Map<string, ObjectVersion[]>();

  constructor(
    /** `name-appid` */
    readonly bucket: string,
    readonly region: string,
    readonly versioned: boolean,
    private readonly settings: StoreSettings = { consistencyLagMs: 0, now: Date.now },
  ) {}

  /** The stored configuration (the truth, not the lagged view). */
  inventory(id: string): InventoryDocument | undefined {
    return this.inventoryEntries.get(id)?.doc;
  }

  get inventoryCount(): number {
    return this.inventoryEntries.size;
  }

  /** Stored configurations in creation order (the truth). */
  inventories(): readonly InventoryEntry[] {
    return [...this.inventoryEntries.values()];
  }

  /** What a GET or list sees now: the previous state during the read-after-write lag. */
  visibleInventories(): readonly InventoryEntry[] {
    return this.laggedInventories.read(this.inventories(), this.settings);
  }

  putInventory(doc: InventoryDocument): void {
    this.laggedInventories.beforeWrite(this.inventories(), this.settings);
    const existing = this.inventoryEntries.get(doc.id);
    this.inventoryEntries.set(doc.id, { doc, seq: existing?.seq ?? this.nextSeq++ });
    this.dirty.add('inventory');
  }

  deleteInventory(id: string): boolean {
    if (!this.inventoryEntries.has(id)) return false;
    this.laggedInventories.beforeWrite(this.inventories(), this.settings);
    this.inventoryEntries.delete(id);
    this.dirty.add('inventory');
    return true;
  }

  /** Restores a persisted configuration with its creation number. */
  restoreInventory(entry: InventoryEntry): void {
    this.inventoryEntries.set(entry.doc.id, entry);
    this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
  }

  /** The stored policy text as written (the truth). */
  get policy(): string | undefined {
    return this.policyText;
  }

  set policy(text: string | undefined) {
    this.laggedPolicy.beforeWrite(this.policyText, this.settings);
    this.policyText = text;
    this.dirty.add('policy');
  }

  /** What a GET sees now: the previous policy during the read-after-write lag. */
  visiblePolicy(): string | undefined {
    return this.laggedPolicy.read(this.policyText, this.settings);
  }

  /** Restores a persisted policy without starting a lag window. */
  restorePolicy(text: string | undefined): void {
    this.policyText = text;
  }

  /** Whether the bucket holds any object version (COS refuses to delete it then). */
  get isEmpty(): boolean {
    return this.objects.size === 0;
  }

  /** Every version of every key, oldest first per key, keys in insertion order (persistence). */
  storedVersions(): ObjectVersion[] {
    return [...this.objects.values()].flat();
  }

  /** Restores a persisted version at the end of its key's history. */
  restoreVersion(version: ObjectVersion): void {
    const versions = this.objects.get(version.key) ?? [];
    versions.push(version);
    this.objects.set(version.key, versions);
  }

  get name(): string {
    return this.bucket.slice(0, this.bucket.lastIndexOf('-'));
  }

  get appId(): string {
    return this.bucket.slice(this.bucket.lastIndexOf('-') + 1);
  }

  putObject(key: string, object: NewObject): ObjectVersion {
    const version: ObjectVersion = {
      key,
      versionId: this.versioned ? newVersionId() : 'null',
      isDeleteMarker: false,
      body: object.body,
      etag: createHash('md5').update(object.body).digest('hex'),
      crc64: crc64ecma(object.body),
      lastModified: object.lastModified ?? new Date(),
      storageClass: object.storageClass,
      contentType: object.contentType,
      metadata: object.metadata,
      tags: object.tags,
    };
    this.append(key, version);
    this.dirty.add('objects');
    return version;
  }

  /** Removes the object; a versioned bucket gets a delete marker instead. Returns the marker. */
  deleteObject(key: string): ObjectVersion | undefined {
    if (!this.versioned) {
      if (this.objects.delete(key)) this.dirty.add('objects');
      return undefined;
    }
    const current = this.currentObject(key);
    if (current === undefined) return undefined;
    const marker: ObjectVersion = {
      key,
      versionId: newVersionId(),
      isDeleteMarker: true,
      body: Buffer.alloc(0),
      etag: '',
      crc64: '',
      lastModified: new Date(),
      storageClass: current.storageClass,
      contentType: '',
      metadata: new Map(),
      tags: new Map(),
    };
    this.append(key, marker);
    this.dirty.add('objects');
    return marker;
  }

  /** Removes one version permanently. */
  deleteVersion(key: string, versionId: string): boolean {
    const versions = this.objects.get(key);
    if (versions === undefined) return false;
    const index = versions.findIndex((v) => v.versionId === versionId);
    if (index === -1) return false;
    versions.splice(index, 1);
    if (versions.length === 0) this.objects.delete(key);
    this.dirty.add('objects');
    return true;
  }

  /** The latest version unless it is a delete marker. */
  currentObject(key: string): ObjectVersion | undefined {
    const versions = this.objects.get(key);
    const latest = versions?.[versions.length - 1];
    return latest === undefined || latest.isDeleteMarker ? undefined : latest;
  }

  objectVersion(key: string, versionId: string): ObjectVersion | undefined {
    return this.objects.get(key)?.find((v) => v.versionId === versionId);
  }

  /** Current objects sorted by key (binary order of UTF-8, as COS lists). */
  currentObjects(): ObjectVersion[] {
    const result: ObjectVersion[] = [];
    for (const key of this.sortedKeys()) {
      const current = this.currentObject(key);
      if (current !== undefined) result.push(current);
    }
    return result;
  }

  /** Every version, keys sorted, newest version first within a key, with its latest flag. */
  allVersions(): { version: ObjectVersion; isLatest: boolean }[] {
    const result: { version: ObjectVersion; isLatest: boolean }[] = [];
    for (const key of this.sortedKeys()) {
      const versions = this.objects.get(key) ?? [];
      for (let i = versions.length - 1; i >= 0; i--) {
        result.push({ version: versions[i], isLatest: i === versions.length - 1 });
      }
    }
    return result;
  }

  private sortedKeys(): string[] {
    return [...this.objects.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  }

  private append(key: string, version: ObjectVersion): void {
    if (!this.versioned) {
      this.objects.set(key, [version]);
      return;
    }
    const versions = this.objects.get(key) ?? [];
    versions.push(version);
    this.objects.set(key, versions);
  }
}

function newVersionId(): string {
  return randomBytes(16).toString('base64url');
}

const BUCKET_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?-[0-9]+$/;
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** All buckets. Bucket names are global: one `name-appid` lives in exactly one region. */
export class Store {
  private readonly buckets = new Map<string, BucketState>();
  /** Buckets created or deleted since the last flush to the data directory. */
  readonly createdSinceFlush = new Set<string>();
  readonly deletedSinceFlush = new Set<string>();

  constructor(readonly settings: StoreSettings = { consistencyLagMs: 0, now: Date.now }) {}

  /**
   * Adds a bucket. An existing name is `409 BucketAlreadyOwnedByYou` when `ownedByCaller`
   * (a PUT Bucket of the same account: in COS a name-appid belongs to one account), else
   * `409 BucketAlreadyExists`.
   */
  createBucket(bucket: string, region: string, versioned: boolean, ownedByCaller = false): BucketState {
    if (!BUCKET_NAME.test(bucket) || bucket.length > 60 || bucket.includes('--')) {
      throw new CosError(
        400,
        'InvalidBucketName',
        `bucket ${bucket} is not <name>-<appid> (lower-case letters, digits and hyphens, then -digits)`,
      );
    }
    if (!REGION.test(region)) {
      throw new CosError(
        400,
        'InvalidArgument',
        `region ${region} is not a region name such as ap-guangzhou`,
      );
    }
    const existing = this.buckets.get(bucket);
    if (existing !== undefined) {
      throw ownedByCaller
        ? new CosError(
            409,
            'BucketAlreadyOwnedByYou',
            `bucket ${bucket} already exists in ${existing.region} and is yours`,
          )
        : new CosError(409, 'BucketAlreadyExists', `bucket ${bucket} already exists in ${existing.region}`);
    }
    const state = new BucketState(bucket, region, versioned, this.settings);
    this.buckets.set(bucket, state);
    this.createdSinceFlush.add(bucket);
    return state;
  }

  /** Adds a bucket read back from the data directory. */
  restoreBucket(bucket: string, region: string, versioned: boolean): BucketState {
    const state = new BucketState(bucket, region, versioned, this.settings);
    this.buckets.set(bucket, state);
    return state;
  }

  /** Removes an empty bucket with its jobs and policy; `409 BucketNotEmpty` when objects remain. */
  deleteBucket(bucket: string, region: string): void {
    const state = this.require(bucket, region);
    if (!state.isEmpty) {
      throw new CosError(
        409,
        'BucketNotEmpty',
        `bucket ${bucket} still holds objects; delete them (and every version) first`,
      );
    }
    this.buckets.delete(bucket);
    this.createdSinceFlush.delete(bucket);
    this.deletedSinceFlush.add(bucket);
  }

  /** The bucket, or undefined when the name is unknown or lives in another region. */
  find(bucket: string, region: string): BucketState | undefined {
    const state = this.buckets.get(bucket);
    return state !== undefined && state.region === region ? state : undefined;
  }

  /** The bucket by name alone (names are global). */
  byName(bucket: string): BucketState | undefined {
    return this.buckets.get(bucket);
  }

  require(bucket: string, region: string): BucketState {
    const state = this.find(bucket, region);
    if (state === undefined) {
      throw new CosError(404, 'NoSuchBucket', `the bucket ${bucket} does not exist in ${region}`);
    }
    return state;
  }

  list(): BucketState[] {
    return [...this.buckets.values()];
  }
}
