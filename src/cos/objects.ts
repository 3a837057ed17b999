import { PassThrough, type Readable } from 'node:stream';
import { callCos, renewCredentials } from './call';
import type { CosClient } from './client';
import { CosError, toCosError } from './errors';
import { withRetry } from './retry';

/** Where an object call goes. */
export interface ObjectTarget {
  readonly bucket: string;
  readonly region: string;
  readonly key: string;
}

/** One entry of a bucket listing. */
export interface ObjectSummary {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string;
  readonly storageClass: string;
}

/** One page of a listing: objects and, when a delimiter was given, the grouped prefixes. */
export interface ObjectListingPage {
  readonly objects: readonly ObjectSummary[];
  readonly commonPrefixes: readonly string[];
}

export interface ListObjectsOptions {
  readonly bucket: string;
  readonly region: string;
  readonly prefix?: string;
  readonly delimiter?: string;
  /** Page size (COS allows 1-1000). */
  readonly maxKeys?: number;
}

/** Metadata of one object. */
export interface ObjectHead {
  readonly size: number;
  readonly etag: string;
  readonly lastModified: string | undefined;
}

function toArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/**
 * Lists every page under a prefix, following `NextMarker` (or the last key or prefix of a
 * page when COS omits it) until `IsTruncated` is false.
 */
export async function* listObjectPages(
  client: CosClient,
  options: ListObjectsOptions,
): AsyncGenerator<ObjectListingPage> {
  let marker: string | undefined;
  let lastPrefix: string | undefined;
  for (;;) {
    const page = await callCos(client, 'getBucket', options.bucket, () =>
      client.sdk.getBucket({
        Bucket: options.bucket,
        Region: options.region,
        Prefix: options.prefix ?? '',
        ...(options.delimiter === undefined ? {} : { Delimiter: options.delimiter }),
        ...(marker === undefined ? {} : { Marker: marker }),
        ...(options.maxKeys === undefined ? {} : { MaxKeys: options.maxKeys }),
      }),
    );
    const objects = toArray(page.Contents).map((raw): ObjectSummary => {
      const item = raw as Record<string, unknown>;
      return {
        key: text(item.Key),
        size: Number(text(item.Size) || '0'),
        etag: text(item.ETag),
        lastModified: text(item.LastModified),
        storageClass: text(item.StorageClass),
      };
    });
    // A page may start with the prefix the previous one ended on (marker = that prefix):
    // listings are sorted, so skipping the last prefix seen removes the repeat.
    const pagePrefixes = toArray(page.CommonPrefixes)
      .map((raw) => text((raw as Record<string, unknown>).Prefix))
      .filter((prefix) => prefix !== '');
    const commonPrefixes = pagePrefixes.filter((prefix) => prefix !== lastPrefix);
    lastPrefix = commonPrefixes.length > 0 ? commonPrefixes[commonPrefixes.length - 1] : lastPrefix;
    yield { objects, commonPrefixes };
    if (text(page.IsTruncated) !== 'true') return;
    const record = page as unknown as Record<string, unknown>;
    const lastSeen = [...objects.map((object) => object.key), ...pagePrefixes].sort().pop();
    const next = text(record.NextMarker) || lastSeen;
    if (next === undefined || next === '' || next === marker) {
      throw new CosError({
        code: 'InvalidListing',
        message: `object listing is truncated but gives no new marker (received ${JSON.stringify(next)})`,
        statusCode: page.statusCode,
        operation: 'getBucket',
        bucket: options.bucket,
      });
    }
    marker = next;
  }
}

/** Every object under a prefix, page after page. */
export async function* listAllObjects(
  client: CosClient,
  options: ListObjectsOptions,
): AsyncGenerator<ObjectSummary> {
  for await (const page of listObjectPages(client, options)) yield* page.objects;
}

/** The object's size and ETag, or `undefined` when it does not exist. */
export async function headObject(client: CosClient, target: ObjectTarget): Promise<ObjectHead | undefined> {
  try {
    const result = await callCos(client, 'headObject', target.bucket, () =>
      client.sdk.headObject({ Bucket: target.bucket, Region: target.region, Key: target.key }),
    );
    const headers = (result.headers ?? {}) as Record<string, unknown>;
    return {
      size: Number(text(headers['content-length']) || '0'),
      etag: text(result.ETag),
      lastModified: text(headers['last-modified']) || undefined,
    };
  } catch (error) {
    if (error instanceof CosError && error.statusCode === 404) return undefined;
    throw error;
  }
}

/** The whole object in memory: for small objects such as manifests. */
export async function getObjectBuffer(client: CosClient, target: ObjectTarget): Promise<Buffer> {
  const result = await callCos(client, 'getObject', target.bucket, () =>
    client.sdk.getObject({ Bucket: target.bucket, Region: target.region, Key: target.key }),
  );
  return Buffer.isBuffer(result.Body) ? result.Body : Buffer.from(result.Body ?? '');
}

/** The event the SDK's request object (a fork of `request`) emits once the status is known. */
interface ResponseEmitter {
  once(event: 'response', listener: (response: { statusCode?: number }) => void): unknown;
}

function isResponseEmitter(value: unknown): value is ResponseEmitter {
  return typeof value === 'object' && value !== null && typeof (value as ResponseEmitter).once === 'function';
}

/**
 * Opens one download without buffering it. The SDK pipes the raw HTTP body into the output
 * stream whatever the status, and reports failures only when the body has ended; so the body
 * is passed on only after a 2xx status line, and an error answer rejects with a `CosError`
 * carrying COS's code instead of leaking its XML into the caller's stream. The SDK does not
 * retry streamed downloads; opening is retried here under the client's policy (nothing has
 * been delivered by then), a failure after the body started destroys the stream.
 */
export function getObjectStream(client: CosClient, target: ObjectTarget): Promise<Readable> {
  return withRetry(async () => {
    await renewCredentials(client);
    return openObjectStream(client, target);
  }, client.retry);
}

function openObjectStream(client: CosClient, target: ObjectTarget): Promise<Readable> {
  return new Promise<Readable>((resolve, reject) => {
    const sink = new PassThrough();
    const body = new PassThrough();
    let opened = false;
    let settled = false;
    const fail = (error: CosError): void => {
      if (!settled) {
        settled = true;
        reject(error);
      } else if (!body.destroyed) {
        body.destroy(error);
      }
    };
    sink.on('pipe', (source: unknown) => {
      if (!isResponseEmitter(source)) return;
      source.once('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status >= 300 || settled) return;
        opened = true;
        settled = true;
        sink.pipe(body);
        resolve(body);
      });
    });
    // Without an error listener the SDK's `emit('error')` on a failed download would throw.
    sink.on('error', () => undefined);
    // A consumer that stops reading early must not leave the HTTP response hanging.
    // (destroying with an error makes the SDK abort the request).
    body.on('close', () => {
      if (!sink.writableFinished) sink.destroy(new Error('download cancelled by the reader'));
    });
    client.sdk
      .getObject({ Bucket: target.bucket, Region: target.region, Key: target.key, Output: sink })
      .then(
        () => {
          if (!opened) {
            fail(
              new CosError({
                code: 'InvalidResponse',
                message: 'download ended without a success status',
                operation: 'getObject',
                bucket: target.bucket,
              }),
            );
          }
        },
        (error: unknown) => fail(toCosError(error, 'getObject', target.bucket)),
      );
  });
}
