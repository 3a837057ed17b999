import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import type COS from 'cos-nodejs-sdk-v5';
import type { InventoryConfiguration } from '../model/configuration';
import { callCos } from './call';
import type { CosClient } from './client';
import { CosError } from './errors';

/** Where an inventory call goes. */
export interface BucketTarget {
  readonly bucket: string;
  readonly region: string;
}

/** COS's answer for a missing inventory id (a missing bucket is `NoSuchBucket`). */
export const INVENTORY_NOT_FOUND = 'InventoryConfigurationNotFoundError';

export function isInventoryNotFound(error: unknown): boolean {
  return error instanceof CosError && error.code === INVENTORY_NOT_FOUND;
}

/** COS's answer to a one-time run whose id is a scheduled job's or was already run that day. */
export const DUPLICATE_INVENTORY_ID = 'DuplicateInventoryId';

export function isDuplicateInventoryId(error: unknown): boolean {
  return error instanceof CosError && error.code === DUPLICATE_INVENTORY_ID;
}

export function isNoSuchBucket(error: unknown): boolean {
  return error instanceof CosError && error.code === 'NoSuchBucket';
}

/** Creates or overwrites the job `configuration.Id`. */
export async function putInventory(
  client: CosClient,
  target: BucketTarget,
  configuration: InventoryConfiguration,
): Promise<void> {
  await callCos(client, 'putBucketInventory', target.bucket, () =>
    client.sdk.putBucketInventory({
      Bucket: target.bucket,
      Region: target.region,
      Id: configuration.Id,
      // The SDK's own type is looser than ours (it predates tags and Monthly).
      InventoryConfiguration: configuration as unknown as COS.InventoryConfiguration,
    }),
  );
}

/** The stored job as the SDK returns it (not normalized), or `undefined` when the id is absent. */
export async function getInventory(client: CosClient, target: BucketTarget, id: string): Promise<unknown> {
  try {
    const result = await callCos(client, 'getBucketInventory', target.bucket, () =>
      client.sdk.getBucketInventory({ Bucket: target.bucket, Region: target.region, Id: id }),
    );
    return result.InventoryConfiguration;
  } catch (error) {
    if (isInventoryNotFound(error)) return undefined;
    throw error;
  }
}

/** Deletes the job; `false` when it did not exist (a missing bucket still throws). */
export async function deleteInventory(client: CosClient, target: BucketTarget, id: string): Promise<boolean> {
  try {
    await callCos(client, 'deleteBucketInventory', target.bucket, () =>
      client.sdk.deleteBucketInventory({ Bucket: target.bucket, Region: target.region, Id: id }),
    );
    return true;
  } catch (error) {
    if (isInventoryNotFound(error)) return false;
    throw error;
  }
}

export interface InventoryListing {
  /** Every job, raw as the SDK returns them. */
  readonly configurations: readonly unknown[];
  /** How many list requests it took (COS pages by 100). */
  readonly pages: number;
}

/** Lists every job, following `NextContinuationToken` until `IsTruncated` is false. */
export async function listAllInventories(client: CosClient, target: BucketTarget): Promise<InventoryListing> {
  const configurations: unknown[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await callCos(client, 'listBucketInventory', target.bucket, () =>
      client.sdk.listBucketInventory({
        Bucket: target.bucket,
        Region: target.region,
        ...(token === undefined ? {} : { ContinuationToken: token }),
      } as COS.ListBucketInventoryParams),
    );
    pages++;
    const items: unknown = page.InventoryConfigurations;
    if (Array.isArray(items))
      configurations.push(...items.filter((item) => item !== undefined && item !== ''));
    const record = page as unknown as Record<string, unknown>;
    const truncated = String(record.IsTruncated) === 'true';
    const next = record.NextContinuationToken;
    if (!truncated) break;
    if (typeof next !== 'string' || next === '' || next === token) {
      throw new CosError({
        code: 'InvalidListing',
        message: `list of inventory jobs is truncated but carries no new NextContinuationToken (received ${JSON.stringify(next)})`,
        statusCode: page.statusCode,
        operation: 'listBucketInventory',
        bucket: target.bucket,
      });
    }
    token = next;
  }
  return { configurations, pages };
}

/** The XML body of a one-time run: the job without `IsEnabled` and `Schedule`, in COS's element names. */
export function oneTimeRunBody(configuration: InventoryConfiguration): string {
  const { Encryption, ...plainDestination } = configuration.Destination.COSBucketDestination;
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(configuration)) {
    if (key === 'IsEnabled' || key === 'Schedule') continue;
    if (key === 'OptionalFields') body.OptionalFields = { Field: value };
    else if (key === 'Destination') {
      body.Destination = {
        COSBucketDestination: {
          ...plainDestination,
          ...(Encryption ? { Encryption: { 'SSE-COS': '' } } : {}),
        },
      };
    } else body[key] = value;
  }
  return new XMLBuilder({}).build({ InventoryConfiguration: body }) as string;
}

/**
 * Starts COS's one-time inventory run (`POST /?inventory&id=`; the SDK has no method for it)
 * and returns the `JobId` of COS's `<PostInventoryResult>` answer, `undefined` when it has none.
 */
export async function runInventoryOnce(
  client: CosClient,
  target: BucketTarget,
  configuration: InventoryConfiguration,
): Promise<string | undefined> {
  const xml = oneTimeRunBody(configuration);
  const md5 = createHash('md5').update(xml, 'utf8').digest('base64');
  const result = await callCos(client, 'postBucketInventory', target.bucket, () =>
    client.sdk.request({
      Method: 'POST',
      Bucket: target.bucket,
      Region: target.region,
      Action: 'inventory',
      Query: { id: configuration.Id },
      Body: xml,
      Headers: { 'Content-Type': 'application/xml', 'Content-MD5': md5 },
    }),
  );
  // The SDK parses an XML answer into objects.
  const body: unknown = (result as { Body?: unknown }).Body;
  const answer =
    typeof body === 'object' && body !== null
      ? (body as { PostInventoryResult?: { JobId?: unknown } }).PostInventoryResult
      : undefined;
  const jobId = answer?.JobId;
  return typeof jobId === 'string' && jobId !== '' ? jobId : undefined;
}
