import { IncomingMessage } from 'node:http';
import { CosError } from './errors';

/** Default largest request body: far below COS's 5 GiB, enough for reports and fixtures. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Reads the whole body, answering `EntityTooLarge` past `limit` bytes. */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) {
    request.resume();
    return Promise.reject(tooLarge(declared, limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(size, limit));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    request.on('error', (error) => {
      if (!failed) reject(error);
      failed = true;
    });
    // A client that gives up (timeout, abort) closes the request before its end.
    request.on('close', () => {
      if (!failed && !request.complete) reject(new Error('the client closed the connection'));
      failed = true;
    });
  });
}

function tooLarge(size: number, limit: number): CosError {
  return new CosError(
    400,
    'EntityTooLarge',
    `the request body is ${size} bytes or more; at most ${limit} are accepted`,
  );
}
