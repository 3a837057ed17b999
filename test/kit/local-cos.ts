/**
 * The one fixture for tests against LocalCos: an endpoint on 127.0.0.1 port 0 with buckets,
 * the real SDK pointed at it, our client, the environment a user sets, the seed samples' bucket
 * names, and the job ids a bucket holds.
 */
import COS from 'cos-nodejs-sdk-v5';
import { createCosClient, type CosClient } from '../../src/cos/client';
import { LocalCos, type LocalCosOptions } from '../../src/emulator';
import type { Clock } from '../../src/cos/retry';
import type { LocalCosClock } from '../../src/emulator';

/** The source and destination of the inventory seed samples (docs/local-cos.md). */
export { SEED_BUCKET, SEED_DESTINATION, SEED_REGION } from '../fixtures/seed-samples';

/** The environment a user points at the local endpoint; `extra` on top. */
export function endpointEnv(
  cos: Pick<LocalCos, 'endpoint' | 'credentials'>,
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    TENCENTCLOUD_SECRET_ID: cos.credentials.secretId,
    TENCENTCLOUD_SECRET_KEY: cos.credentials.secretKey,
    COS_INVENTORY_ENDPOINT: cos.endpoint,
    ...extra,
  };
}

export interface KitOptions extends LocalCosOptions {
  /** `name-appid@region` of versioned buckets to create (`buckets` creates unversioned ones). */
  readonly versionedBuckets?: readonly string[];
  /** Retry budget of `client` (default 1 s: a test fails fast). */
  readonly retryBudgetMs?: number;
  /** Given to LocalCos and to `client`'s retries (a TestClock, or the wall clock by default). */
  readonly clock?: Clock & LocalCosClock;
}

export interface Kit {
  readonly cos: LocalCos;
  /** The real SDK, as a user or the console would call it. */
  readonly sdk: COS;
  /** This package's client (src/cos), with retries. */
  readonly client: CosClient;
  /** `endpointEnv(cos, extra)`. */
  env(extra?: Readonly<Record<string, string>>): Record<string, string>;
  close(): Promise<void>;
}

/** Starts LocalCos on 127.0.0.1:0; close it in afterAll/afterEach. */
export async function startKit(options: KitOptions = {}): Promise<Kit> {
  const { versionedBuckets = [], retryBudgetMs = 1000, ...cosOptions } = options;
  const cos = await LocalCos.start(cosOptions);
  for (const spec of versionedBuckets) {
    const [bucket, region] = spec.split('@');
    cos.createBucket(bucket, region, { versioned: true });
  }
  const sdk = new COS(cos.sdkOptions());
  const client = await createCosClient({
    ...endpointEnvConfig(cos),
    retryBudgetMs,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { cos, sdk, client, env: (extra) => endpointEnv(cos, extra), close: () => cos.close() };
}

function endpointEnvConfig(cos: LocalCos): { secretId: string; secretKey: string; endpoint: string } {
  return { secretId: cos.credentials.secretId, secretKey: cos.credentials.secretKey, endpoint: cos.endpoint };
}

/** The ids of the jobs a bucket holds, sorted, through the raw SDK (every page of the listing). */
export async function remoteIds(sdk: COS, bucket: string, region: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = (await sdk.listBucketInventory({
      Bucket: bucket,
      Region: region,
      ...(token === undefined ? {} : { ContinuationToken: token }),
    })) as unknown as {
      InventoryConfigurations?: unknown;
      IsTruncated?: string;
      NextContinuationToken?: string;
    };
    // The SDK gives a lone configuration as an object rather than an array.
    const raw = page.InventoryConfigurations;
    const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { Id: string }[];
    ids.push(...list.map((c) => c.Id));
    token = page.IsTruncated === 'true' ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return ids.sort();
}
