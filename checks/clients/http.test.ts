import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError, EngineUnreachable, requestJson, requestText } from './http.ts';

describe('engine errors', () => {
  it('name the engine, the URL and what went wrong', () => {
    expect(new EngineUnreachable('Loki', 'http://127.0.0.1:3100/ready', 'connection refused').message).toBe('Loki is not reachable at http://127.0.0.1:3100/ready (connection refused)');
    expect(new EngineError('Loki', 'http://127.0.0.1:3100/x', 400, 'parse error').message).toBe('Loki answered HTTP 400 for http://127.0.0.1:3100/x: parse error');
  });
});

// The helper itself, against a throwaway HTTP server on the loopback (what it sends, and how it reads answers
// and failures); the engine clients built on it are tested against the real engines.
describe('requestText', () => {
  let server: Server;
  let base: string;
  const seen: { method?: string; headers: Record<string, unknown>; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({ method: request.method, headers: request.headers, body: Buffer.concat(chunks).toString() });
        if (request.url === '/slow') return; // never answers
        if (request.url === '/bad') {
          response.writeHead(400).end('parse error: unexpected "}"');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', echo: Buffer.concat(chunks).toString(), word: 'é' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and body, and reads a UTF-8 JSON answer', async () => {
    const answer = await requestJson<{ echo: string; word: string }>('Prometheus', `${base}/api`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'query=up ü' });
    expect(answer).toEqual({ status: 'success', echo: 'query=up ü', word: 'é' });
    const request = seen.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('text/plain');
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength('query=up ü')));
    // No compression asked for: on the loopback, gunzipping costs more than it saves.
    expect(request.headers['accept-encoding']).toBeUndefined();
  });

  it('sends a binary body as it is', async () => {
    const text = await requestText('Tempo', `${base}/otlp`, { method: 'POST', body: new Uint8Array([0x68, 0x69]) });
    expect(JSON.parse(text).echo).toBe('hi');
  });

  it('turns an error status into an EngineError with the body', async () => {
    const error = await requestText('Loki', `${base}/bad`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ status: 400, body: 'parse error: unexpected "}"' });
  });

  it('says "timed out" when nothing answers in time', async () => {
    const error = await requestText('Loki', `${base}/slow`, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnreachable);
    expect((error as EngineUnreachable).reason).toBe('timed out');
  });

  it('says "connection refused" when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await requestText('Tempo', `http://127.0.0.1:${port}/ready`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineUnreachable);
    expect((error as EngineUnreachable).reason).toBe('connection refused');
  });
});
