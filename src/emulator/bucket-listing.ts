import { queryValue } from './addressing';
import { CosError, invalidArgument } from './errors';
import { BucketRequest, CosResponse } from './request-context';
import { buildXml } from './xml';

const MAX_KEYS = 1000;

// Keys sort and compare by their UTF-8 bytes, as the store lists them.
const after = (key: string, marker: string): boolean =>
  Buffer.compare(Buffer.from(key), Buffer.from(marker)) > 0;

function encodeIf(encode: boolean, value: string): string {
  return encode ? encodeURIComponent(value) : value;
}

/** GET Bucket (List Objects): prefix, delimiter, marker, max-keys, encoding-type=url. */
export function listObjects(request: BucketRequest): CosResponse {
  const prefix = queryValue(request.query, 'prefix') ?? '';
  const delimiter = queryValue(request.query, 'delimiter') ?? '';
  const marker = queryValue(request.query, 'marker') ?? '';
  const encodingType = queryValue(request.query, 'encoding-type');
  if (encodingType !== undefined && encodingType !== '' && encodingType !== 'url') {
    throw invalidArgument(`encoding-type is ${encodingType}; allowed: url`);
  }
  const encode = encodingType === 'url';
  const maxKeysText = queryValue(request.query, 'max-keys');
  let maxKeys = MAX_KEYS;
  if (maxKeysText !== undefined && maxKeysText !== '') {
    if (!/^\d+$/.test(maxKeysText))
      throw invalidArgument(`max-keys is ${maxKeysText}; allowed: 0 to ${MAX_KEYS}`);
    maxKeys = Math.min(Number(maxKeysText), MAX_KEYS);
  }

  const contents: Record<string, unknown>[] = [];
  const commonPrefixes: string[] = [];
  let isTruncated = false;
  let lastEntry = '';
  for (const object of request.bucket.currentObjects()) {
    if (!object.key.startsWith(prefix) || !after(object.key, marker)) continue;
    let commonPrefix: string | undefined;
    if (delimiter !== '') {
      const at = object.key.indexOf(delimiter, prefix.length);
      if (at !== -1) commonPrefix = object.key.slice(0, at + delimiter.length);
    }
    // A common prefix is reported once: not again on this page, nor on the page its NextMarker starts.
    if (
      commonPrefix !== undefined &&
      (commonPrefixes[commonPrefixes.length - 1] === commonPrefix || commonPrefix === marker)
    ) {
      continue;
    }
    if (contents.length + commonPrefixes.length >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (commonPrefix !== undefined) {
      commonPrefixes.push(commonPrefix);
      lastEntry = commonPrefix;
      continue;
    }
    lastEntry = object.key;
    contents.push({
      Key: encodeIf(encode, object.key),
      LastModified: object.lastModified.toISOString(),
      ETag: `"${object.etag}"`,
      Size: String(object.body.length),
      Owner: { ID: request.bucket.appId, DisplayName: request.bucket.appId },
      StorageClass: object.storageClass,
    });
  }
  if (
    maxKeys === 0 &&
    request.bucket.currentObjects().some((o) => o.key.startsWith(prefix) && after(o.key, marker))
  ) {
    isTruncated = true;
  }

  const result: Record<string, unknown> = {
    Name: request.bucket.bucket,
    Prefix: encodeIf(encode, prefix),
    Marker: encodeIf(encode, marker),
    MaxKeys: String(maxKeys),
  };
  if (delimiter !== '') result.Delimiter = encodeIf(encode, delimiter);
  if (encode) result.EncodingType = 'url';
  result.IsTruncated = isTruncated ? 'true' : 'false';
  if (isTruncated && lastEntry !== '') result.NextMarker = encodeIf(encode, lastEntry);
  if (commonPrefixes.length > 0)
    result.CommonPrefixes = commonPrefixes.map((p) => ({ Prefix: encodeIf(encode, p) }));
  if (contents.length > 0) result.Contents = contents;
  return {
    status: 200,
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml({ ListBucketResult: result }),
  };
}

/** Bucket-level calls without a sub-resource. */
export function handleBucket(request: BucketRequest): CosResponse {
  switch (request.method) {
    case 'GET':
      return listObjects(request);
    case 'HEAD':
      return { status: 200, headers: { 'x-cos-bucket-region': request.bucket.region } };
    case 'DELETE':
      request.store.deleteBucket(request.bucket.bucket, request.bucket.region);
      return { status: 204 };
    default:
      throw new CosError(
        405,
        'MethodNotAllowed',
        `${request.method} on a bucket is not modelled; use PUT, GET (list objects), HEAD or DELETE`,
      );
  }
}
