/** One HTTP exchange; injected in tests, node:http/https otherwise. */
export interface HttpExchange {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

export type HttpRequester = (exchange: HttpExchange) => Promise<HttpAnswer>;

/**
 * Sends one request with node's own client; a socket error or timeout rejects with its code.
 * node:https is loaded on the first request only: with keys from the environment the chain sends
 * none, and loading TLS would cost a handler start some 20 ms.
 */
export const nodeRequester: HttpRequester = async (exchange) => {
  const url = new URL(exchange.url);
  const { request: send } =
    url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: exchange.method, headers: exchange.headers, timeout: exchange.timeoutMs, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(exchange.body);
  });
};

/** `ECONNREFUSED`, `ETIMEDOUT`...: the code of a socket error, else its message. */
export function networkReason(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string')
    return error.code;
  return error instanceof Error ? error.message : String(error);
}
