import { checkContentMd5 } from './content-md5';
import { CosError } from './errors';
import { normalizePolicy } from './policy-normalize';
import { validatePolicy } from './policy-validation';
import { BucketRequest, CosResponse } from './request-context';

/**
 * Size limit of a whole bucket policy. An ASSUMPTION: Amazon S3's documented 20 KB; no Tencent
 * document gives a figure for the whole document (docs/local-cos.md, fidelity table). The same
 * number as the model's `POLICY_SIZE_LIMIT_BYTES` (the emulator imports nothing of ours: a test
 * keeps the two equal).
 */
export const MAX_POLICY_BYTES = 20 * 1024;

function putPolicy(request: BucketRequest): CosResponse {
  checkContentMd5(request.headers, request.body, false);
  if (request.body.length > MAX_POLICY_BYTES) {
    throw new CosError(
      400,
      'PolicyTooLarge',
      `the policy is ${request.body.length} bytes; at most ${MAX_POLICY_BYTES} are allowed`,
    );
  }
  const text = request.body.toString('utf8');
  validatePolicy(text);
  request.bucket.policy = text;
  return { status: 204 };
}

// Reads see the lagged view; COS answers a normalised document, not the bytes written.
function getPolicy(request: BucketRequest): CosResponse {
  const policy = request.bucket.visiblePolicy();
  if (policy === undefined) {
    throw new CosError(404, 'NoSuchPolicy', `bucket ${request.bucket.bucket} has no policy`);
  }
  const body = request.normalizePolicy ? normalizePolicy(policy) : policy;
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body };
}

/** `?policy` on a bucket: the whole document is replaced, read or removed. */
export function handlePolicy(request: BucketRequest): CosResponse {
  switch (request.method) {
    case 'PUT':
      return putPolicy(request);
    case 'GET':
      return getPolicy(request);
    case 'DELETE':
      request.bucket.policy = undefined;
      return { status: 204 };
    default:
      throw new CosError(
        405,
        'MethodNotAllowed',
        `${request.method} is not allowed on ?policy; use PUT, GET or DELETE`,
      );
  }
}
