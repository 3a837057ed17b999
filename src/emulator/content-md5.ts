import { createHash } from 'node:crypto';
import { IncomingHttpHeaders } from 'node:http';
import { CosError } from './errors';

/**
 * Checks `Content-MD5` (base64 of the binary MD5 of the body). A missing header when one is
 * required, or a value that is not a base64 MD5, is `InvalidDigest`; a mismatch is `BadDigest`.
 */
export function checkContentMd5(headers: IncomingHttpHeaders, body: Buffer, required: boolean): void {
  const header = headers['content-md5'];
  const given = Array.isArray(header) ? header.join(',') : header;
  if (given === undefined || given === '') {
    if (required)
      throw new CosError(400, 'InvalidDigest', 'the Content-MD5 header is required for this request');
    return;
  }
  const decoded = Buffer.from(given, 'base64');
  if (decoded.length !== 16 || decoded.toString('base64') !== given) {
    throw new CosError(
      400,
      'InvalidDigest',
      `Content-MD5 ${given} is not the base64 of a 16-byte md5 digest`,
    );
  }
  const actual = createHash('md5').update(body).digest('base64');
  if (actual !== given) {
    throw new CosError(400, 'BadDigest', `Content-MD5 ${given} does not match the body's md5 ${actual}`);
  }
}
