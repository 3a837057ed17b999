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

/** A bucket: its inventory jobs, its policy document and its objects. */
export class BucketState {
  readonly inventories = new Map<string, InventoryDocument>();
  policy: string | undefined;
  /** Versions per key, oldest first; unversioned buckets keep exactly one. */
  private readonly objects = new Map<string, ObjectVersion[]>();

  constructor(
    /** `name-appid` */
    readonly bucket: string,
    readonly region: string,
    readonly versioned: boolean,
  ) {}

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
    return version;
  }

  /** Removes the object; a versioned bucket gets a delete marker instead. Returns the marker. */
  deleteObject(key: string): ObjectVersion | undefined {
    if (!this.versioned) {
      this.objects.delete(key);
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

  createBucket(bucket: string, region: string, versioned: boolean): BucketState {
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
      throw new CosError(409, 'BucketAlreadyExists', `bucket ${bucket} already exists in ${existing.region}`);
    }
    const state = new BucketState(bucket, region, versioned);
    this.buckets.set(bucket, state);
    return state;
  }

  /** The bucket, or undefined when the name is unknown or lives in another region. */
  find(bucket: string, region: string): BucketState | undefined {
    const state = this.buckets.get(bucket);
    return state !== undefined && state.region === region ? state : undefined;
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
