import { queryValue } from './addressing';
import { checkContentMd5 } from './content-md5';
import { CosError } from './errors';
import { InventoryDocument } from './inventory-document';
import { checkQueryId, validateInventory } from './inventory-validation';
import { inventoryListXml, inventoryXml } from './inventory-xml';
import { BucketRequest, CosResponse } from './request-context';
import { parseXml } from './xml';

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
  const inventories = request.bucket.inventories;
  if (!inventories.has(doc.id) && inventories.size >= MAX_INVENTORY_CONFIGURATIONS) {
    throw new CosError(
      400,
      'InventoryFull',
      `bucket ${request.bucket.bucket} already has ${MAX_INVENTORY_CONFIGURATIONS} inventory configurations, the most allowed`,
    );
  }
  inventories.set(doc.id, doc);
  return { status: 200 };
}

function getInventory(request: BucketRequest, id: string): CosResponse {
  const doc = request.bucket.inventories.get(checkQueryId(id));
  if (doc === undefined) throw notFound(id, request.bucket.bucket);
  return { status: 200, headers: XML_HEADERS, body: inventoryXml(doc) };
}

// The continuation token is the last id of the previous page, base64url-encoded: opaque to
// clients, stable while configurations are added or removed between pages.
function listInventories(request: BucketRequest): CosResponse {
  const token = queryValue(request.query, 'continuation-token');
  let after = '';
  if (token !== undefined && token !== '') {
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (after === '' || Buffer.from(after).toString('base64url') !== token) {
      throw new CosError(
        400,
        'InvalidArgument',
        `continuation-token ${token} was not issued by this endpoint`,
      );
    }
  }
  const ids = [...request.bucket.inventories.keys()].sort().filter((id) => id > after);
  const pageIds = ids.slice(0, INVENTORY_PAGE_SIZE);
  const isTruncated = ids.length > INVENTORY_PAGE_SIZE;
  const configurations = pageIds.map((id) => request.bucket.inventories.get(id) as InventoryDocument);
  return {
    status: 200,
    headers: XML_HEADERS,
    body: inventoryListXml({
      configurations,
      isTruncated,
      continuationToken: token === '' ? undefined : token,
      nextContinuationToken: isTruncated
        ? Buffer.from(pageIds[pageIds.length - 1]).toString('base64url')
        : undefined,
    }),
  };
}

function deleteInventory(request: BucketRequest): CosResponse {
  const id = checkQueryId(queryValue(request.query, 'id'));
  if (!request.bucket.inventories.delete(id)) throw notFound(id, request.bucket.bucket);
  return { status: 204 };
}

// One-time run: COS's POST with the configuration minus IsEnabled and Schedule. The job is
// delivered immediately and not stored.
function runInventory(request: BucketRequest): CosResponse {
  const doc = readDocument(request, 'run');
  request.deliver(request.bucket, doc);
  return { status: 200 };
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
