import COS from 'cos-nodejs-sdk-v5';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { LocalCos, RequestLogEntry } from '../../src/emulator';
import { errorCode, rawRequest, REGION, sdkError, sign, SOURCE, SRC, startCos } from './helpers';

let local: LocalCos;
let cos: COS;
const host = `${SOURCE}.cos.${REGION}.myqcloud.com`;
/** Sees every request log entry as it is written. */
let onLog: (entry: RequestLogEntry) => void = () => undefined;

beforeEach(async () => {
  onLog = () => undefined;
  ({ local, cos } = await startCos({ maxBodyBytes: 1024, onRequest: (entry) => onLog(entry) }));
});

afterEach(async () => {
  // Whatever a test sent, the endpoint must still serve.
  expect((await cos.getBucket(SRC)).statusCode).toBe(200);
  await local.close();
});

describe('bad requests never crash the server nor change state', () => {
  it('answers EntityTooLarge for a declared body over the limit and stores nothing', async () => {
    const error = await sdkError(cos.putObject({ ...SRC, Key: 'big', Body: Buffer.alloc(4096) }));
    expect(error).toMatchObject({ statusCode: 400, code: 'EntityTooLarge' });
    expect((await cos.getBucket(SRC)).Contents).toEqual([]);
  });

  it('answers EntityTooLarge for a chunked body that grows over the limit', async () => {
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: local.host,
          port: local.port,
          method: 'PUT',
          path: '/chunked',
          headers: { host, 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write(Buffer.alloc(800));
      req.write(Buffer.alloc(800));
      req.end();
    });
    expect(response.status).toBe(400);
    expect(errorCode(response.body)).toBe('EntityTooLarge');
  });

  it('answers InvalidURI for a path that is not valid percent-encoding', async () => {
    const response = await rawRequest(local, { method: 'GET', path: '/%E0%A4%A', host });
    expect(response.status).toBe(400);
    expect(errorCode(response.body)).toBe('InvalidURI');
  });

  it('answers 400 to bytes that are not http', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(local.port, local.host, () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
  });

  it('logs a client that leaves in the middle of its body', async () => {
    const closed = new Promise<void>((resolve) => {
      onLog = (entry) => {
        if (entry.code === 'ClientClosed') resolve();
      };
    });
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: local.host,
        port: local.port,
        method: 'PUT',
        path: '/partial',
        // The server's `100 Continue` says it has the request in hand: only then leave, mid-body.
        headers: { host, 'content-length': '500', expect: '100-continue' },
      });
      req.on('error', () => resolve());
      req.on('continue', () => req.write(Buffer.alloc(100), () => req.destroy()));
    });
    await closed;
    expect(local.requestLog).toContainEqual(
      expect.objectContaining({ key: 'partial', status: 0, code: 'ClientClosed' }),
    );
    expect(await sdkError(cos.headObject({ ...SRC, Key: 'partial' }))).toMatchObject({ statusCode: 404 });
  });

  it('answers 405 MethodNotAllowed for a method the resource does not have', async () => {
    const headers = { host };
    const response = await rawRequest(local, {
      method: 'PATCH',
      path: '/?inventory&id=x',
      host,
      headers: {
        Authorization: sign(local, { method: 'PATCH', query: { inventory: '', id: 'x' }, headers }),
      },
    });
    expect(response.status).toBe(405);
    expect(errorCode(response.body)).toBe('MethodNotAllowed');
  });

  it('answers 501 NotImplemented for a sub-resource it does not model', async () => {
    const error = await sdkError(cos.getBucketAcl(SRC));
    expect(error).toMatchObject({ statusCode: 501, code: 'NotImplemented' });
    expect(local.requestLog.at(-1)).toMatchObject({ subresource: 'unknown', status: 501 });
  });
});
