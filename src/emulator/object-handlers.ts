import { IncomingHttpHeaders } from 'node:http';
import { queryValue } from './addressing';
import { checkContentMd5 } from './content-md5';
import { CosError, invalidArgument } from './errors';
import { BucketRequest, CosResponse } from './request-context';
import { ObjectVersion } from './store';
import { STORAGE_CLASSES } from './storage-classes';

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function readMetadata(headers: IncomingHttpHeaders): Map<string, string> {
  const metadata = new Map<string, string>();
  for (const name of Object.keys(headers).sort()) {
    if (name.startsWith('x-cos-meta-')) metadata.set(name, single(headers, name) ?? '');
  }
  return metadata;
}

// x-cos-tagging is a URL query string: k1=v1&k2=v2.
function readTagging(headers: IncomingHttpHeaders): Map<string, string> {
  const tags = new Map<string, string>();
  const header = single(headers, 'x-cos-tagging');
  if (header === undefined || header === '') return tags;
  for (const part of header.split('&')) {
    const eq = part.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
      value = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      throw invalidArgument(`x-cos-tagging ${header} is not a url-encoded query string`);
    }
    if (key === '' || tags.has(key))
      throw invalidArgument(`x-cos-tagging ${header} has an empty or repeated key`);
    tags.set(key, value);
  }
  if (tags.size > 10) throw invalidArgument(`x-cos-tagging has ${tags.size} tags; at most 10 are allowed`);
  return tags;
}

function objectHeaders(object: ObjectVersion, bucketVersioned: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': object.contentType,
    ETag: `"${object.etag}"`,
    'Last-Modified': object.lastModified.toUTCString(),
    'x-cos-storage-class': object.storageClass,
    'x-cos-hash-crc64ecma': object.crc64,
    'Accept-Ranges': 'bytes',
  };
  if (bucketVersioned) headers['x-cos-version-id'] = object.versionId;
  if (object.tags.size > 0) headers['x-cos-tagging-count'] = String(object.tags.size);
  for (const [name, value] of object.metadata) headers[name] = value;
  return headers;
}

function putObject(request: BucketRequest): CosResponse {
  checkContentMd5(request.headers, request.body, false);
  const storageClass = (single(request.headers, 'x-cos-storage-class') ?? 'STANDARD').toUpperCase();
  if (!(STORAGE_CLASSES as readonly string[]).includes(storageClass)) {
    throw invalidArgument(`x-cos-storage-class is ${storageClass}; allowed: ${STORAGE_CLASSES.join(', ')}`);
  }
  const tags = readTagging(request.headers);
  const version = request.bucket.putObject(request.key, {
    body: request.body,
    storageClass,
    contentType: single(request.headers, 'content-type') ?? 'application/octet-stream',
    metadata: readMetadata(request.headers),
    tags,
  });
  const headers: Record<string, string> = {
    ETag: `"${version.etag}"`,
    'x-cos-hash-crc64ecma': version.crc64,
  };
  if (request.bucket.versioned) headers['x-cos-version-id'] = version.versionId;
  return { status: 200, headers };
}

function findObject(request: BucketRequest): ObjectVersion {
  const versionId = queryValue(request.query, 'versionId');
  const object =
    versionId === undefined
      ? request.bucket.currentObject(request.key)
      : request.bucket.objectVersion(request.key, versionId);
  if (object === undefined || object.isDeleteMarker) {
    throw new CosError(404, 'NoSuchKey', `the object ${request.key} does not exist`);
  }
  return object;
}

/** Parses a single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; undefined for none. */
function parseRange(header: string | undefined, size: number): [number, number] | undefined {
  if (header === undefined || header === '') return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new CosError(
      416,
      'InvalidRange',
      `range ${header} is not satisfiable for an object of ${size} bytes`,
    );
  }
  return [start, end];
}

// HEAD answers go through the same path: the server sends the headers (and the length) only.
function getObject(request: BucketRequest): CosResponse {
  const object = findObject(request);
  const headers = objectHeaders(object, request.bucket.versioned);
  const range = parseRange(single(request.headers, 'range'), object.body.length);
  if (range === undefined) {
    return { status: 200, headers, body: object.body };
  }
  const [start, end] = range;
  return {
    status: 206,
    headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${object.body.length}` },
    body: object.body.subarray(start, end + 1),
  };
}

function deleteObject(request: BucketRequest): CosResponse {
  const versionId = queryValue(request.query, 'versionId');
  if (versionId !== undefined) {
    request.bucket.deleteVersion(request.key, versionId);
    return { status: 204, headers: { 'x-cos-version-id': versionId } };
  }
  const marker = request.bucket.deleteObject(request.key);
  if (marker === undefined) return { status: 204 };
  return { status: 204, headers: { 'x-cos-version-id': marker.versionId, 'x-cos-delete-marker': 'true' } };
}

/** Object calls: PUT, GET (with Range), HEAD, DELETE. */
export function handleObject(request: BucketRequest): CosResponse {
  if (Buffer.byteLength(request.key) > 850) {
    throw new CosError(
      400,
      'KeyTooLong',
      `the object key is ${Buffer.byteLength(request.key)} bytes; at most 850 are allowed`,
    );
  }
  switch (request.method) {
    case 'PUT':
      return putObject(request);
    case 'GET':
    case 'HEAD':
      return getObject(request);
    case 'DELETE':
      return deleteObject(request);
    default:
      throw new CosError(
        405,
        'MethodNotAllowed',
        `${request.method} is not allowed on an object; use PUT, GET, HEAD or DELETE`,
      );
  }
}
