import type { PolicyDocument } from '../model/policy';
import { callCos } from './call';
import type { CosClient } from './client';
import { CosError } from './errors';
import type { BucketTarget } from './inventory';

function isNoSuchPolicy(error: unknown): boolean {
  // The SDK rewrites `NoSuchPolicy` to code '404'; the XML code survives in CosError.code.
  return (
    error instanceof CosError &&
    error.statusCode === 404 &&
    (error.code === 'NoSuchPolicy' || error.code === 'NoSuchPolicyVersion' || error.code === '404')
  );
}

/** The bucket's whole policy, or `undefined` when it has none (a missing bucket still throws). */
export async function getPolicy(
  client: CosClient,
  target: BucketTarget,
): Promise<PolicyDocument | undefined> {
  try {
    const result = await callCos(client, 'getBucketPolicy', target.bucket, () =>
      client.sdk.getBucketPolicy({ Bucket: target.bucket, Region: target.region }),
    );
    const policy: unknown = result.Policy;
    if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
      throw new CosError({
        code: 'InvalidPolicy',
        message: 'bucket policy is not a json object',
        statusCode: result.statusCode,
        operation: 'getBucketPolicy',
        bucket: target.bucket,
      });
    }
    return policy as PolicyDocument;
  } catch (error) {
    if (isNoSuchPolicy(error)) return undefined;
    throw error;
  }
}

/** Replaces the WHOLE policy. `version` is sent as given: the SDK adds it only after hashing. */
export async function putPolicy(
  client: CosClient,
  target: BucketTarget,
  policy: PolicyDocument,
): Promise<void> {
  const document = 'version' in policy || 'Version' in policy ? policy : { version: '2.0', ...policy };
  await callCos(client, 'putBucketPolicy', target.bucket, () =>
    client.sdk.putBucketPolicy({
      Bucket: target.bucket,
      Region: target.region,
      Policy: document as Record<string, unknown>,
    }),
  );
}

/** Removes the whole policy; succeeds when there is none. */
export async function deletePolicy(client: CosClient, target: BucketTarget): Promise<void> {
  try {
    await callCos(client, 'deleteBucketPolicy', target.bucket, () =>
      client.sdk.deleteBucketPolicy({ Bucket: target.bucket, Region: target.region }),
    );
  } catch (error) {
    if (isNoSuchPolicy(error)) return;
    throw error;
  }
}
