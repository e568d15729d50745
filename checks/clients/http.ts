/**
 * The HTTP helper every engine client uses: JSON in and out, a timeout, and errors that say which engine
 * at which URL failed and how. An engine that does not answer becomes an EngineUnreachable error (exit 3 at
 * the CLI); an engine that answers with an error status becomes an EngineError carrying its message.
 */
import { request as httpRequest } from 'node:http';
import { describeNetworkError } from '../../lib/network.ts';

export class EngineUnreachable extends Error {
  constructor(
    readonly engine: string,
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${engine} is not reachable at ${url} (${reason})`);
    this.name = 'EngineUnreachable';
  }
}

export class EngineError extends Error {
  constructor(
    readonly engine: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${engine} answered HTTP ${status} for ${url}: ${body.slice(0, 300)}`);
    this.name = 'EngineError';
  }
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
}

/**
 * Sends a request; returns the response body as text. Throws EngineUnreachable / EngineError.
 *
 * Node's http module rather than fetch: every engine is a plain-HTTP listener on this machine, and fetch's first
 * call loads undici (some 30 ms of a `npm run check` that students run dozens of times). Without an
 * Accept-Encoding header the engines answer uncompressed, which on the loopback is cheaper than gunzipping.
 * Connections are kept alive between the queries of one check (Node's global agent), and never keep the process up.
 */
export async function requestText(engine: string, url: string, options: RequestOptions = {}): Promise<string> {
  const { status, text } = await send(url, options).catch((error: unknown) => {
    throw new EngineUnreachable(engine, url, describeNetworkError(error));
  });
  if (status < 200 || status > 299) throw new EngineError(engine, url, status, text);
  return text;
}

async function send(url: string, options: RequestOptions): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  // TLS only when asked for (no engine of the stack speaks it): loading it costs a command's start time.
  const transport = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  const headers: Record<string, string | number> = { ...options.headers };
  if (body) headers['content-length'] = body.byteLength;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const request = transport(target, { method: options.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', fail);
    });
    // One deadline for the whole exchange, as fetch's AbortSignal.timeout gave: connect, send and read.
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    request.on('error', fail);
    request.end(body);
  });
}

export async function requestJson<T>(engine: string, url: string, options: RequestOptions = {}): Promise<T> {
  const text = await requestText(engine, url, options);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** JSON body helper. */
export function jsonBody(value: unknown): RequestOptions {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
