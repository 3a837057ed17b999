import { queryValue } from './addressing';
import { checkContentMd5 } from './content-md5';
import { CosError } from './errors';
import { checkQueryId, validateInventory } from './inventory-validation';
import { inventoryListXml, inventoryXml } from './inventory-xml';
import { BucketRequest, CosResponse } from './request-context';
import { buildXml, parseXml } from './xml';
import { yyyymmdd } from './delivery';
import { InventoryDocument } from './inventory-document';

/** COS's limit of inventory jobs per bucket. */
export const MAX_INVENTORY_CONFIGURATIONS = 1000;
/** Configurations per list page. */
export const INVENTORY_PAGE_SIZE = 100;

const XML_HEADERS = { 'Content-Type': 'application/xml' };

function notFound(id: string, bucket: string): CosError {
  return new CosError(
    404,
    'InventoryConfigurationNotFoundError',
    `inventory configuration ${id} does not exist in bucket ${bucket}`,
  );
}

function readDocument(request: BucketRequest, mode: 'put' | 'run'): InventoryDocument {
  const queryId = checkQueryId(queryValue(request.query, 'id'));
  checkContentMd5(request.headers, request.body, mode === 'put');
  return validateInventory(parseXml(request.body), {
    mode,
    queryId,
    sourceRegion: request.bucket.region,
    bucketExists: (bucket, region) => request.store.find(bucket, region) !== undefined,
  });
}

function putInventory(request: BucketRequest): CosResponse {
  const doc = readDocument(request, 'put');
  const bucket = request.bucket;
  if (bucket.inventory(doc.id) === undefined && bucket.inventoryCount >= MAX_INVENTORY_CONFIGURATIONS) {
    throw new CosError(
      400,
      'InventoryFull',
      `bucket ${bucket.bucket} already has ${MAX_INVENTORY_CONFIGURATIONS} inventory configurations, the most allowed`,
    );
  }
  bucket.putInventory(doc);
  return { status: 200 };
}

// Reads see the lagged view: just after a write, the state before it.
function getInventory(request: BucketRequest, id: string): CosResponse {
  const wanted = checkQueryId(id);
  const entry = request.bucket.visibleInventories().find((e) => e.doc.id === wanted);
  if (entry === undefined) throw notFound(id, request.bucket.bucket);
  return { status: 200, headers: XML_HEADERS, body: inventoryXml(entry.doc) };
}

// Creation order, as COS lists (the Python SDK's live test asserts it across pages). The
// continuation token is the creation number of the previous page's last entry, base64url:
// opaque to clients, stable while configurations are added or removed between pages.
function listInventories(request: BucketRequest): CosResponse {
  const token = queryValue(request.query, 'continuation-token');
  let after = 0;
  if (token !== undefined && token !== '') {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (!/^[1-9]\d{0,15}$/.test(decoded) || Buffer.from(decoded).toString('base64url') !== token) {
      throw new CosError(
        400,
        'InvalidArgument',
        `continuation-token ${token} was not issued by this endpoint`,
      );
    }
    after = Number(decoded);
  }
  const entries = request.bucket.visibleInventories().filter((e) => e.seq > after);
  const page = entries.slice(0, INVENTORY_PAGE_SIZE);
  const isTruncated = entries.length > INVENTORY_PAGE_SIZE;
  return {
    status: 200,
    headers: XML_HEADERS,
    body: inventoryListXml({
      configurations: page.map((e) => e.doc),
      isTruncated,
      continuationToken: token === '' ? undefined : token,
      nextContinuationToken: isTruncated
        ? Buffer.from(String(page[page.length - 1].seq)).toString('base64url')
        : undefined,
    }),
  };
}

function deleteInventory(request: BucketRequest): CosResponse {
  const id = checkQueryId(queryValue(request.query, 'id'));
  if (!request.bucket.deleteInventory(id)) throw notFound(id, request.bucket.bucket);
  return { status: 204 };
}

function duplicate(message: string): CosError {
  // The code is the one the Python SDK's live test expects; the status is an assumption.
  return new CosError(409, 'DuplicateInventoryId', message);
}

// One-time run: COS's POST with the configuration minus IsEnabled and Schedule. The id must be
// neither a stored job's nor one already run this (UTC) day; the job is not stored and its
// report is delivered later, under this id.
function runInventory(request: BucketRequest): CosResponse {
  const doc = readDocument(request, 'run');
  const bucket = request.bucket;
  if (bucket.inventory(doc.id) !== undefined) {
    throw duplicate(
      `${doc.id} is the id of an inventory configuration of bucket ${bucket.bucket}; a one-time run needs an id of its own`,
    );
  }
  const date = new Date(request.now());
  const day = yyyymmdd(date);
  if (bucket.oneTimeRuns.get(doc.id) === day) {
    throw duplicate(`a one-time inventory ${doc.id} already ran today (${day}, utc); use another id`);
  }
  for (const [id, ranOn] of bucket.oneTimeRuns) if (ranOn !== day) bucket.oneTimeRuns.delete(id);
  bucket.oneTimeRuns.set(doc.id, day);
  bucket.dirty.add('inventory');
  request.runOnce(bucket, doc, date);
  return {
    status: 200,
    headers: XML_HEADERS,
    body: buildXml({ PostInventoryResult: { JobId: doc.id } }),
  };
}

/** `?inventory` on a bucket. */
export function handleInventory(request: BucketRequest): CosResponse {
  switch (request.method) {
    case 'PUT':
      return putInventory(request);
    case 'GET': {
      const id = queryValue(request.query, 'id');
      return id === undefined ? listInventories(request) : getInventory(request, id);
    }
    case 'DELETE':
      return deleteInventory(request);
    case 'POST':
      return runInventory(request);
    default:
      throw new CosError(
        405,
        'MethodNotAllowed',
        `${request.method} is not allowed on ?inventory; use PUT, GET, DELETE or POST`,
      );
  }
}
