import { randomBytes, randomUUID } from 'node:crypto';
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
import { cosAction, policyAllows } from './access';
import { appidOf } from './accounts';
import { Identities, Principal, ResolvedKey, RoleRecord } from './identities';
import { handleMetadata, isMetadataRequest } from './metadata-route';
import { handleSts, isStsRequest } from './sts-route';
import { Subresource } from './types';
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
  /** Accounts, roles and issued temporary credentials: who may sign, and for which account. */
  readonly identities: Identities;
  /** CVM role names the metadata route serves. */
  readonly cvmRoles: ReadonlyMap<string, RoleRecord>;
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

// A caller lists its own account's buckets only.
function listBuckets(store: Store, identities: Identities, caller: Principal): CosResponse {
  const uin = caller.account.uin;
  const buckets = store
    .list()
    .filter((b) => identities.ownerOf(b.bucket) === caller.account)
    .map((b) => ({ Name: b.bucket, Location: b.region, CreationDate: new Date(0).toISOString() }));
  const result: Record<string, unknown> = {
    Owner: { ID: `qcs::cam::uin/${uin}:uin/${uin}`, DisplayName: uin },
  };
  result.Buckets = buckets.length > 0 ? { Bucket: buckets } : '';
  return {
    status: 200,
    headers: { 'Content-Type': 'application/xml' },
    body: buildXml({ ListAllMyBucketsResult: result }),
  };
}

function headerOrQuery(
  headers: IncomingMessage['headers'],
  query: RequestTarget['query'],
  name: string,
): string | undefined {
  const value = headers[name];
  if (typeof value === 'string') return value;
  return queryValue(query, name);
}

/** A temporary key needs its own token, before it expires; a permanent key's token header is ignored. */
function checkToken(key: ResolvedKey, token: string | undefined, nowMs: number): void {
  if (key.issued === undefined) return;
  if (token === undefined || token !== key.issued.token) {
    throw new CosError(
      400,
      'InvalidToken',
      'the temporary key needs the x-cos-security-token it was issued with',
    );
  }
  if (key.issued.expiresAt <= nowMs) {
    throw new CosError(400, 'ExpiredToken', 'the provided token has expired');
  }
}

/** A key acts on its own account's buckets, and on another's only where that bucket's policy allows it. */
function checkAccess(
  identities: Identities,
  caller: Principal,
  bucket: BucketState,
  method: string,
  classified: Classified,
): void {
  const owner = identities.ownerOf(bucket.bucket);
  if (owner === caller.account) return;
  const action = cosAction(method, classified.subresource, classified.id);
  if (action === undefined) return;
  const resource = `qcs::cos:${bucket.region}:uid/${appidOf(bucket.bucket)}:${bucket.bucket}/${classified.key ?? ''}`;
  if (policyAllows(bucket.policy, caller, action, resource)) return;
  const who = caller.role === undefined ? `uin ${caller.account.uin}` : `role ${caller.role.arn}`;
  throw new CosError(
    403,
    'AccessDenied',
    `Access Denied. ${who} may not ${action} on bucket ${bucket.bucket} of uin ${owner.uin}: no statement of its policy allows it`,
  );
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
    if (isStsRequest(req.headers)) {
      await serveSts(req, res, method, requestId);
      return;
    }
    if (
      address === undefined &&
      target !== undefined &&
      isMetadataRequest(req.headers.host, target.pathname)
    ) {
      req.resume();
      const answer = handleMetadata(method, target.pathname, deps.cvmRoles, deps.identities);
      const payload = Buffer.from(answer.body);
      deps.log.add({
        method,
        subresource: 'metadata',
        action: answer.name,
        status: answer.status,
        requestId,
      });
      res.writeHead(answer.status, {
        'Content-Type': answer.contentType,
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
      const token = headerOrQuery(req.headers, target.query, 'x-cos-security-token');
      const nowMs = deps.now();
      const verify = (): Principal =>
        verifySignature(
          signed,
          (id) => deps.identities.resolve(id),
          Math.floor(nowMs / 1000),
          (key) => checkToken(key, token, nowMs),
        ).principal;
      if (address.kind === 'service') {
        const caller = verify();
        if (classified.subresource !== 'service' || method !== 'GET') {
          throw new CosError(
            405,
            'MethodNotAllowed',
            `${method} ${target.pathname} is not allowed on the service endpoint; use GET /`,
          );
        }
        const response = listBuckets(deps.store, deps.identities, caller);
        deps.log.add({ ...logBase, status: response.status });
        send(response);
        return;
      }
      let response: CosResponse;
      if (classified.subresource === 'bucket' && method === 'PUT') {
        // PUT Bucket: the region is the virtual host's; the body (CreateBucketConfiguration) is ignored.
        const caller = verify();
        const owner = deps.identities.ownerOf(address.bucket);
        if (owner !== caller.account) {
          throw new CosError(
            403,
            'AccessDenied',
            `Access Denied. uin ${caller.account.uin} may not create bucket ${address.bucket}: appid ${appidOf(address.bucket)} is account ${owner.uin}'s`,
          );
        }
        deps.store.createBucket(address.bucket, address.region, false, true);
        response = { status: 200 };
      } else {
        const state = deps.store.require(address.bucket, address.region);
        checkAccess(deps.identities, verify(), state, method, classified);
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

  // STS on the same port: JSON in, JSON out, errors with HTTP 200 as API 3.0 answers them.
  async function serveSts(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    requestId: string,
  ): Promise<void> {
    const action = typeof req.headers['x-tc-action'] === 'string' ? req.headers['x-tc-action'] : undefined;
    const reply = (body: unknown, code?: string): void => {
      deps.log.add({ method, subresource: 'sts', action, status: 200, code, requestId });
      const payload = Buffer.from(JSON.stringify(body));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) });
      res.end(payload);
    };
    const apiRequestId = randomUUID();
    const fault = deps.faults.take({ method, subresource: 'sts', id: action });
    if (fault !== undefined) {
      if (fault.delayMs > 0) await deps.delay(fault.delayMs);
      if (fault.drop || req.socket.destroyed) {
        deps.log.add({ method, subresource: 'sts', action, status: 0, code: 'ConnectionDropped', requestId });
        req.socket.destroy();
        return;
      }
      if (fault.error !== undefined) {
        req.resume();
        const { code, message } = fault.error;
        reply({ Response: { Error: { Code: code, Message: message }, RequestId: apiRequestId } }, code);
        return;
      }
    }
    let body: Buffer;
    try {
      body = await readBody(req, deps.maxBodyBytes);
    } catch {
      deps.log.add({ method, subresource: 'sts', action, status: 0, code: 'ClientClosed', requestId });
      req.socket.destroy();
      return;
    }
    const answer = handleSts(
      { method, url: req.url ?? '/', headers: req.headers, body, requestId: apiRequestId },
      deps.identities,
      deps.now(),
    );
    reply(answer.body, answer.code);
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
