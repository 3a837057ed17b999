import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { InventoryDocument } from './inventory-document';
import { validateInventory } from './inventory-validation';
import { inventoryXml } from './inventory-xml';
import { BucketState, ObjectVersion, Store } from './store';
import { parseXml } from './xml';

/**
 * The emulator's state on disk, so a local dev loop survives restarts:
 *
 * ```
 * DIR/localcos.json                      format marker
 * DIR/buckets/<bucket>/bucket.json       region, versioning
 * DIR/buckets/<bucket>/inventory.json    configurations (as COS XML) in creation order, one-time runs
 * DIR/buckets/<bucket>/policy.json       the policy as written
 * DIR/buckets/<bucket>/objects.json      every object version's metadata and body hash
 * DIR/blobs/<sha256>                     object bodies
 * ```
 *
 * Every file is replaced atomically (temp file, fsync, rename, fsync of the folder), bodies
 * before the index naming them, a new bucket's folder is renamed into place complete, and a
 * deleted one is renamed away before removal: a kill at any moment leaves a loadable state.
 */
export class DataDir {
  private readonly knownBlobs = new Set<string>();
  private readonly blobNames = new WeakMap<Buffer, string>();

  private constructor(readonly dir: string) {}

  /** Opens (creating when missing) a data directory and loads it into the store. */
  static open(dir: string, store: Store): DataDir {
    const data = new DataDir(dir);
    mkdirSync(join(dir, 'buckets'), { recursive: true });
    mkdirSync(join(dir, 'blobs'), { recursive: true });
    const marker = join(dir, 'localcos.json');
    if (existsSync(marker)) {
      const parsed = readJson(marker);
      if (!isRecord(parsed) || parsed.format !== FORMAT) {
        fail(marker, `expected {"format":"${FORMAT}"}`);
      }
    } else {
      const entries = readdirSync(dir).filter((name) => !['buckets', 'blobs'].includes(name));
      if (entries.length > 0) {
        throw new Error(
          `local cos data directory ${dir} is not empty and has no localcos.json; use an empty or a local cos data directory`,
        );
      }
      writeAtomic(marker, JSON.stringify({ format: FORMAT }));
    }
    data.load(store);
    return data;
  }

  /** Writes everything changed since the last flush; called before a write is acknowledged. */
  flush(store: Store): void {
    for (const bucket of store.deletedSinceFlush) {
      const folder = this.bucketDir(bucket);
      if (existsSync(folder)) {
        const trash = join(this.dir, 'buckets', `.deleted-${bucket}-${randomBytes(4).toString('hex')}`);
        renameSync(folder, trash);
        fsyncDir(join(this.dir, 'buckets'));
        rmSync(trash, { recursive: true, force: true });
      }
    }
    store.deletedSinceFlush.clear();
    for (const bucket of store.createdSinceFlush) {
      const state = store.byName(bucket);
      if (state === undefined) continue;
      const staging = join(this.dir, 'buckets', `.new-${bucket}-${randomBytes(4).toString('hex')}`);
      mkdirSync(staging);
      this.writeParts(state, staging, ['inventory', 'policy', 'objects']);
      writeAtomic(
        join(staging, 'bucket.json'),
        JSON.stringify({ bucket: state.bucket, region: state.region, versioned: state.versioned }),
      );
      renameSync(staging, this.bucketDir(bucket));
      fsyncDir(join(this.dir, 'buckets'));
      state.dirty.clear();
    }
    store.createdSinceFlush.clear();
    for (const state of store.list()) {
      if (state.dirty.size === 0) continue;
      this.writeParts(state, this.bucketDir(state.bucket), [...state.dirty]);
      state.dirty.clear();
    }
  }

  private bucketDir(bucket: string): string {
    return join(this.dir, 'buckets', bucket);
  }

  private writeParts(state: BucketState, folder: string, parts: readonly string[]): void {
    if (parts.includes('objects')) {
      const versions = state.storedVersions().map((v) => this.versionRecord(v));
      writeAtomic(join(folder, 'objects.json'), JSON.stringify({ versions }));
    }
    if (parts.includes('inventory')) {
      const record = {
        configurations: state.inventories().map((e) => ({ seq: e.seq, xml: inventoryXml(e.doc) })),
        oneTimeRuns: Object.fromEntries(state.oneTimeRuns),
        pendingRuns: state.pendingRuns.map((run) => ({
          xml: inventoryXml(run.doc),
          date: run.date.toISOString(),
          dueAt: run.dueAt,
        })),
      };
      writeAtomic(join(folder, 'inventory.json'), JSON.stringify(record));
    }
    if (parts.includes('policy')) {
      writeAtomic(join(folder, 'policy.json'), JSON.stringify({ policy: state.policy ?? null }));
    }
  }

  // Bodies are content-addressed and written before the index that names them.
  private versionRecord(version: ObjectVersion): Record<string, unknown> {
    let blob = this.blobNames.get(version.body);
    if (blob === undefined) {
      blob = createHash('sha256').update(version.body).digest('hex');
      this.blobNames.set(version.body, blob);
    }
    if (!this.knownBlobs.has(blob)) {
      writeAtomic(join(this.dir, 'blobs', blob), version.body);
      this.knownBlobs.add(blob);
    }
    return {
      key: version.key,
      versionId: version.versionId,
      isDeleteMarker: version.isDeleteMarker,
      blob,
      etag: version.etag,
      crc64: version.crc64,
      lastModified: version.lastModified.toISOString(),
      storageClass: version.storageClass,
      contentType: version.contentType,
      metadata: [...version.metadata],
      tags: [...version.tags],
    };
  }

  private load(store: Store): void {
    const blobsDir = join(this.dir, 'blobs');
    for (const name of readdirSync(blobsDir)) {
      if (name.includes('.tmp-')) unlinkSync(join(blobsDir, name));
      else this.knownBlobs.add(name);
    }
    const bucketsDir = join(this.dir, 'buckets');
    const referenced = new Set<string>();
    const pending: { state: BucketState; file: string; raw: unknown }[] = [];
    for (const name of readdirSync(bucketsDir).sort()) {
      const folder = join(bucketsDir, name);
      if (name.startsWith('.')) {
        // An interrupted creation or deletion: neither was acknowledged as done.
        rmSync(folder, { recursive: true, force: true });
        continue;
      }
      for (const file of readdirSync(folder)) {
        if (file.includes('.tmp-')) unlinkSync(join(folder, file));
      }
      const metaFile = join(folder, 'bucket.json');
      const meta = readJson(metaFile);
      if (
        !isRecord(meta) ||
        meta.bucket !== name ||
        typeof meta.region !== 'string' ||
        typeof meta.versioned !== 'boolean'
      ) {
        fail(metaFile, `expected {"bucket":"${name}","region":"...","versioned":true|false}`);
      }
      const state = store.restoreBucket(name, meta.region, meta.versioned);
      this.loadObjects(state, join(folder, 'objects.json'), referenced);
      const policyFile = join(folder, 'policy.json');
      const policy = readJson(policyFile);
      if (!isRecord(policy) || !(policy.policy === null || typeof policy.policy === 'string')) {
        fail(policyFile, 'expected {"policy": string or null}');
      }
      state.restorePolicy(policy.policy ?? undefined);
      const inventoryFile = join(folder, 'inventory.json');
      pending.push({ state, file: inventoryFile, raw: readJson(inventoryFile) });
    }
    // Configurations are loaded once every bucket exists (destinations are checked).
    for (const { state, file, raw } of pending) loadInventory(store, state, file, raw);
    for (const blob of this.knownBlobs) {
      if (!referenced.has(blob)) {
        unlinkSync(join(blobsDir, blob));
        this.knownBlobs.delete(blob);
      }
    }
  }

  private loadObjects(state: BucketState, file: string, referenced: Set<string>): void {
    const raw = readJson(file);
    if (!isRecord(raw) || !Array.isArray(raw.versions)) fail(file, 'expected {"versions": [...]}');
    raw.versions.forEach((item: unknown, index: number) => {
      const where = `versions[${index}]`;
      if (
        !isRecord(item) ||
        typeof item.key !== 'string' ||
        typeof item.versionId !== 'string' ||
        typeof item.isDeleteMarker !== 'boolean' ||
        typeof item.blob !== 'string' ||
        !/^[0-9a-f]{64}$/.test(item.blob) ||
        typeof item.etag !== 'string' ||
        typeof item.crc64 !== 'string' ||
        typeof item.lastModified !== 'string' ||
        Number.isNaN(Date.parse(item.lastModified)) ||
        typeof item.storageClass !== 'string' ||
        typeof item.contentType !== 'string' ||
        !isPairs(item.metadata) ||
        !isPairs(item.tags)
      ) {
        fail(file, `${where} is not an object version record`);
      }
      if (!this.knownBlobs.has(item.blob)) {
        fail(
          file,
          `${where} (${item.key}) names the body ${join(this.dir, 'blobs', item.blob)}, which is missing`,
        );
      }
      const body = readFileSync(join(this.dir, 'blobs', item.blob));
      this.blobNames.set(body, item.blob);
      referenced.add(item.blob);
      state.restoreVersion({
        key: item.key,
        versionId: item.versionId,
        isDeleteMarker: item.isDeleteMarker,
        body,
        etag: item.etag,
        crc64: item.crc64,
        lastModified: new Date(item.lastModified),
        storageClass: item.storageClass,
        contentType: item.contentType,
        metadata: new Map(item.metadata),
        tags: new Map(item.tags),
      });
    });
  }
}

const FORMAT = 'localcos-data-1';

function loadInventory(store: Store, state: BucketState, file: string, raw: unknown): void {
  if (
    !isRecord(raw) ||
    !Array.isArray(raw.configurations) ||
    !isRecord(raw.oneTimeRuns) ||
    !Array.isArray(raw.pendingRuns)
  ) {
    fail(file, 'expected {"configurations": [...], "oneTimeRuns": {...}, "pendingRuns": [...]}');
  }
  const parse = (xml: unknown, mode: 'put' | 'run', where: string): InventoryDocument => {
    if (typeof xml !== 'string') fail(file, `${where}.xml is not a string`);
    const id = /<Id>([^<]*)<\/Id>/.exec(xml)?.[1];
    try {
      return validateInventory(parseXml(Buffer.from(xml, 'utf8')), {
        mode,
        queryId: id,
        sourceRegion: state.region,
        bucketExists: (bucket, region) => store.find(bucket, region) !== undefined,
      });
    } catch (error) {
      return fail(file, `${where} is not a valid configuration: ${(error as Error).message}`);
    }
  };
  raw.configurations.forEach((item: unknown, index: number) => {
    const where = `configurations[${index}]`;
    if (!isRecord(item) || !Number.isSafeInteger(item.seq) || (item.seq as number) < 1) {
      fail(file, `${where} needs a positive integer seq`);
    }
    state.restoreInventory({ seq: item.seq as number, doc: parse(item.xml, 'put', where) });
  });
  for (const [id, day] of Object.entries(raw.oneTimeRuns)) {
    if (typeof day !== 'string' || !/^\d{8}$/.test(day))
      fail(file, `oneTimeRuns.${id} is not a YYYYMMDD day`);
    state.oneTimeRuns.set(id, day);
  }
  raw.pendingRuns.forEach((item: unknown, index: number) => {
    const where = `pendingRuns[${index}]`;
    if (
      !isRecord(item) ||
      typeof item.date !== 'string' ||
      Number.isNaN(Date.parse(item.date)) ||
      typeof item.dueAt !== 'number'
    ) {
      fail(file, `${where} needs a date and a dueAt`);
    }
    state.pendingRuns.push({
      doc: parse(item.xml, 'run', where),
      date: new Date(item.date),
      dueAt: item.dueAt,
    });
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isPairs(value: unknown): value is [string, string][] {
  return (
    Array.isArray(value) &&
    value.every(
      (pair) => Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string'),
    )
  );
}

function fail(file: string, problem: string): never {
  throw new Error(`local cos data file ${file} is corrupt: ${problem}`);
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(
      file,
      `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    return fail(file, `not valid json (${(error as Error).message})`);
  }
}

function writeAtomic(file: string, content: string | Buffer): void {
  const temp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  const fd = openSync(temp, 'w');
  try {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  fsyncDir(join(file, '..'));
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
