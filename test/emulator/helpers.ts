import { createHash } from 'node:crypto';
import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import COS from 'cos-nodejs-sdk-v5';
import type { LocalCos } from '../../src/emulator';
import { startKit, type KitOptions } from '../kit';
import { SEED_BUCKET, SEED_DESTINATION, SEED_REGION, seedSample } from '../fixtures/seed-samples';

/** The seed samples' buckets (test/fixtures/seed-samples.ts). */
export const REGION = SEED_REGION;
export const SOURCE = SEED_BUCKET;
export const TARGET = SEED_DESTINATION;
export const SRC = { Bucket: SOURCE, Region: REGION };

/** A fresh endpoint with the seed samples' source and target buckets. */
export async function startCos(options: KitOptions = {}): Promise<{ local: LocalCos; cos: COS }> {
  const kit = await startKit({ buckets: [`${SOURCE}@${REGION}`, `${TARGET}@${REGION}`], ...options });
  return { local: kit.cos, cos: kit.sdk };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface RawRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/?inventory&id=a`. */
  readonly path: string;
  readonly host: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
}

/** A request the SDK cannot send (malformed bodies, bad hosts, expired signatures). */
export function rawRequest(local: LocalCos, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const outgoing = httpRequest(
      {
        host: local.host,
        port: local.port,
        method: req.method,
        path: req.path,
        headers: { Host: req.host, 'Content-Length': String(body?.length ?? 0), ...req.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Signs a raw request with the SDK's own signer. */
export function sign(
  local: LocalCos,
  options: {
    method: string;
    pathname?: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    keyTime?: string;
    secretKey?: string;
  },
): string {
  return COS.getAuthorization({
    SecretId: local.credentials.secretId,
    SecretKey: options.secretKey ?? local.credentials.secretKey,
    Method: options.method as COS.Method,
    Pathname: options.pathname ?? '/',
    Query: options.query ?? {},
    Headers: options.headers ?? {},
    KeyTime: options.keyTime,
  });
}

export function md5Base64(body: string | Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

/** The COS error code in an `<Error>` body. */
export function errorCode(body: string): string | undefined {
  return /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
}

/** The SDK's rejection, for asserting on `statusCode` and `code`. */
export async function sdkError(
  promise: Promise<unknown>,
): Promise<{ statusCode?: number; code?: string; message?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { statusCode?: number; code?: string; message?: string };
  }
  throw new Error('expected the sdk call to fail');
}

/** Configurations the SDK's types do not describe (Monthly, And, Period) go through as they are. */
export function asSdk(config: object): COS.InventoryConfiguration {
  return config as COS.InventoryConfiguration;
}

/** Sample 2 of the inventory seed document (no encryption), with a chosen id. */
export function sampleConfiguration(id = 'inventory_test'): COS.InventoryConfiguration {
  return asSdk({ ...seedSample(false), Id: id });
}
