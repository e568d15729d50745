/**
 * The HTTP helper every engine client uses: JSON in and out, a timeout, and errors that say which engine
 * at which URL failed and how. An engine that does not answer becomes an EngineUnreachable error (exit 3 at
 * the CLI); an engine that answers with an error status becomes an EngineError carrying its message.
 */
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

/** Sends a request; returns the response body as text. Throws EngineUnreachable / EngineError. */
export async function requestText(engine: string, url: string, options: RequestOptions = {}): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body as BodyInit | undefined,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new EngineUnreachable(engine, url, describeNetworkError(error));
  }
  const text = await response.text();
  if (!response.ok) throw new EngineError(engine, url, response.status, text);
  return text;
}

export async function requestJson<T>(engine: string, url: string, options: RequestOptions = {}): Promise<T> {
  const text = await requestText(engine, url, options);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** JSON body helper. */
export function jsonBody(value: unknown): RequestOptions {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
