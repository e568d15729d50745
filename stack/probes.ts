/**
 * Readiness probes: the one definition of "this engine is ready", used by the native driver's health wait,
 * by `stack:status`, and rendered into the compose healthchecks.
 */
import { connect } from 'node:net';
import { describeNetworkError } from '../lib/network.ts';

export type Probe =
  /** GET http://host:port/path answers 2xx. */
  | { kind: 'http'; port: string; path: string }
  /** Redis answers PING with +PONG. */
  | { kind: 'redis'; port: string }
  /** PostgreSQL answers an SSLRequest (with 'S' or 'N'): it is accepting connections. */
  | { kind: 'postgres'; port: string };

export interface ProbeResult {
  ok: boolean;
  /** What the probe saw, for error messages: "HTTP 503: Ingester not ready", "connection refused". */
  detail: string;
}

const timeoutMs = 2000;

export async function runProbe(probe: Probe, host: string, port: number): Promise<ProbeResult> {
  try {
    switch (probe.kind) {
      case 'http': {
        const response = await fetch(`http://${host}:${port}${probe.path}`, { signal: AbortSignal.timeout(timeoutMs) });
        const body = (await response.text()).trim().slice(0, 200);
        return { ok: response.ok, detail: `HTTP ${response.status}${body ? `: ${body.split('\n')[0]}` : ''}` };
      }
      case 'redis': {
        const reply = await exchange(host, port, Buffer.from('PING\r\n'));
        return { ok: reply.startsWith('+PONG'), detail: reply.trim() || 'no reply' };
      }
      case 'postgres': {
        // SSLRequest: length 8, code 80877103. A ready server answers a single byte, 'S' or 'N'.
        const request = Buffer.alloc(8);
        request.writeInt32BE(8, 0);
        request.writeInt32BE(80877103, 4);
        const reply = await exchange(host, port, request);
        return { ok: reply === 'S' || reply === 'N', detail: reply ? `answered ${JSON.stringify(reply)}` : 'no reply' };
      }
    }
  } catch (error) {
    return { ok: false, detail: describeNetworkError(error) };
  }
}

/** Sends `request` and resolves with the first chunk of the reply. */
function exchange(host: string, port: number, request: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('timed out')));
    socket.once('connect', () => socket.write(request));
    socket.once('data', (data) => {
      resolve(data.toString('latin1'));
      socket.destroy();
    });
    socket.once('error', reject);
    socket.once('close', () => resolve(''));
  });
}
