import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse, createServer, Server } from 'node:http';
import { Address, hasQuery, parseHost, parseTarget, queryValue, RequestTarget } from './addressing';
import { readBody } from './body';
import { handleBucket } from './bucket-listing';
import { errorXml } from './error-xml';
import { CosError } from './errors';
import { FaultInjector } from './faults';
import { handleInventory } from './inventory-handlers';
import { InventoryDocument } from './inventory-document';
import { handleObject } from './object-handlers';
import { handlePolicy } from './policy-handlers';
import { BucketRequest, CosResponse } from './request-context';
import { RequestLog } from './request-log';
import { verifySignature } from './signature';
import { BucketState, Store } from './store';
import { AdminRequest, AdminResponse, ADMIN_PREFIX } from './admin-route';
import { Credentials, Subresource } from './types';
import { buildXml } from './xml';

/** Sub-resources of real COS this endpoint does not model: answered 501 NotImplemented. */
const UNMODELLED_SUBRESOURCES = [
  'acl',
  'cors',
  'tagging',
  'lifecycle',
  'versioning',
  'website',
  'referer',
  'logging',
  'domain',
  'origin',
  'replication',
  'encryption',
  'accelerate',
  'uploads',
  'uploadId',
  'restore',
  'select',
  'append',
  'intelligenttiering',
  'object-lock',
  'delete',
  'location',
  'versions',
];

export interface ServerDependencies {
  readonly store: Store;
  readonly log: RequestLog;
  readonly faults: FaultInjector;
  readonly credentials: () => readonly Credentials[];
  readonly maxBodyBytes: number;
  readonly runOnce: (source: BucketState, job: InventoryDocument, date: Date) => void;
  readonly normalizePolicy: boolean;
  readonly now: () => number;
  /** Waits out a fault's `delayMs` (on LocalCos's clock). */
  readonly delay: (ms: number) => Promise<void>;
  /** Persists every change before an answer is sent (no-op without a data directory). */
  readonly flush: () => void;
  /** The local admin route (`/_localcos/...` on a non-COS host): not part of COS's API. */
  readonly admin: (request: AdminRequest) => AdminResponse;
}

interface Classified {
  readonly subresource: Subresource;
  readonly key?: string;
  readonly id?: string;
}

function classify(address: Address | undefined, target: RequestTarget | undefined): Classified {
  if (address === undefined || target === undefined) return { subresource: 'unknown' };
  if (address.kind === 'service') return { subresource: target.pathname === '/' ? 'service' : 'unknown' };
  const key = target.pathname === '/' ? undefined : target.pathname.slice(1);
  if (key === undefined && hasQuery(target.query, 'inventory')) {
    return { subresource: 'inventory', id: queryValue(target.query, 'id') };
  }
  if (key === undefined && hasQuery(target.query, 'policy')) return { subresource: 'policy' };
  if (UNMODELLED_SUBRESOURCES.some((name) => hasQuery(target.query, name)))
    return { subresource: 'unknown', key };
  return key === undefined ? { subresource: 'bucket' } : { subresource: 'object', key };
}

function dispatch(subresource: Subresource, request: BucketRequest): CosResponse {
  switch (subresource) {
    case 'inventory':
      return handleInventory(request);
    case 'policy':
      return handlePolicy(request);
    case 'object':
      return handleObject(request);
    case 'bucket':
      return handleBucket(request);
    default:
      throw new CosError(
        501,
        'NotImplemented',
        'this sub-resource is not modelled by the local cos endpoint',
      );
  }
}

function listBuckets(store: Store, owner: Credentials): CosResponse {
  const buckets = store
    .list()
    .map((b) => ({ Name: b.bucket, Location: b.region, CreationDate: new Date(0).toISOString() }));
  const result: Record<string, unknown> = { Owner: { ID: owner.secretId, DisplayName: owner.secretId } };
  result.Buckets = buckets.length > 0 ? { Bucket: buckets } : '';
  return {
    status: 200,
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml({ ListAllMyBucketsResult: result }),
  };
}

/** The HTTP server: addressing, faults, body, signature, dispatch, error bodies, request log. */
export function createCosServer(deps: ServerDependencies): Server {
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(12).toString('hex');
    const method = (req.method ?? 'GET').toUpperCase();
    let address: Address | undefined;
    let target: RequestTarget | undefined;
    let addressError: CosError | undefined;
    try {
      target = parseTarget(req.url);
      address = parseHost(req.headers.host);
    } catch (error) {
      addressError = error as CosError;
    }
    if (address === undefined && target !== undefined && target.pathname.startsWith(ADMIN_PREFIX)) {
      req.resume();
      const answer = deps.admin({ method, pathname: target.pathname, query: target.query });
      const payload = Buffer.from(JSON.stringify(answer.body));
      res.writeHead(answer.status, {
        'Content-Type': 'application/json',
        'Content-Length': String(payload.length),
      });
      res.end(payload);
      return;
    }
    const classified = classify(address, target);
    const bucket = address?.kind === 'bucket' ? address.bucket : undefined;
    const region = address?.kind === 'bucket' ? address.region : undefined;
    const logBase = { method, bucket, region, ...classified, requestId };

    // HEAD answers carry the length of the body they would have had, and no body.
    const send = (response: CosResponse): void => {
      const payload = response.body === undefined ? Buffer.alloc(0) : Buffer.from(response.body);
      res.writeHead(response.status, {
        'x-cos-request-id': requestId,
        Server: 'tencent-cos',
        ...response.headers,
        'Content-Length': String(payload.length),
      });
      res.end(method === 'HEAD' ? undefined : payload);
    };
    const sendError = (error: CosError): void => {
      deps.log.add({ ...logBase, status: error.status, code: error.code });
      const resource = `${req.headers.host ?? ''}${target?.pathname ?? ''}`;
      send({
        status: error.status,
        headers: { 'Content-Type': 'application/xml' },
        body: errorXml(error, resource, requestId),
      });
    };

    const fault = deps.faults.take({
      method,
      subresource: classified.subresource,
      bucket,
      key: classified.key,
      id: classified.id,
    });
    if (fault !== undefined) {
      if (fault.delayMs > 0) await deps.delay(fault.delayMs);
      if (req.socket.destroyed) {
        deps.log.add({ ...logBase, status: 0, code: 'ClientClosed' });
        return;
      }
      if (fault.drop) {
        deps.log.add({ ...logBase, status: 0, code: 'ConnectionDropped' });
        req.socket.destroy();
        return;
      }
      if (fault.error !== undefined) {
        req.resume();
        sendError(new CosError(fault.error.status, fault.error.code, fault.error.message));
        return;
      }
    }

    let body: Buffer;
    try {
      body = await readBody(req, deps.maxBodyBytes);
    } catch (error) {
      if (error instanceof CosError) {
        res.setHeader('Connection', 'close');
        sendError(error);
      } else {
        deps.log.add({ ...logBase, status: 0, code: 'ClientClosed' });
        req.socket.destroy();
      }
      return;
    }

    try {
      if (addressError !== undefined || address === undefined || target === undefined) {
        throw addressError ?? new CosError(400, 'InvalidURI', 'the request could not be addressed');
      }
      const signed = { method, pathname: target.pathname, query: target.query, headers: req.headers };
      if (address.kind === 'service') {
        const owner = verifySignature(signed, deps.credentials(), Math.floor(Date.now() / 1000));
        if (classified.subresource !== 'service' || method !== 'GET') {
          throw new CosError(
            405,
            'MethodNotAllowed',
            `${method} ${target.pathname} is not allowed on the service endpoint; use GET /`,
          );
        }
        const response = listBuckets(deps.store, owner);
        deps.log.add({ ...logBase, status: response.status });
        send(response);
        return;
      }
      let response: CosResponse;
      if (classified.subresource === 'bucket' && method === 'PUT') {
        // PUT Bucket: the region is the virtual host's; the body (CreateBucketConfiguration) is ignored.
        verifySignature(signed, deps.credentials(), Math.floor(Date.now() / 1000));
        deps.store.createBucket(address.bucket, address.region, false, true);
        response = { status: 200 };
      } else {
        const state = deps.store.require(address.bucket, address.region);
        verifySignature(signed, deps.credentials(), Math.floor(Date.now() / 1000));
        response = dispatch(classified.subresource, {
          method,
          bucket: state,
          key: classified.key ?? '',
          query: target.query,
          headers: req.headers,
          body,
          store: deps.store,
          runOnce: deps.runOnce,
          normalizePolicy: deps.normalizePolicy,
          now: deps.now,
        });
      }
      // Acknowledged writes are on disk before the answer leaves.
      deps.flush();
      deps.log.add({ ...logBase, status: response.status });
      send(response);
    } catch (error) {
      if (error instanceof CosError) {
        sendError(error);
        return;
      }
      sendError(new CosError(500, 'InternalError', `the local endpoint failed: ${(error as Error).message}`));
    }
  }

  const server = createServer((req, res) => {
    serve(req, res).catch(() => {
      // A failure while writing (client gone) must never take the server down.
      if (!res.headersSent) res.destroy();
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
