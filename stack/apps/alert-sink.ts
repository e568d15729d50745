/**
 * The alert sink: a tiny webhook receiver that stands in for Slack, PagerDuty and e-mail in the alerting labs.
 * Alertmanager's webhook integration POSTs each notification to a URL; every path of this server is a receiver
 * (POST /pager, POST /payments, …), and the sink remembers what arrived where and when, so a check can read
 * what each receiver really got instead of trusting the routing file.
 *
 *   POST /<receiver>              a notification (Alertmanager's webhook payload, version 4)
 *   GET  /notifications?since=ms  what arrived since then (all when absent), oldest first
 *   GET  /health
 *
 * Started as `node --import tsx stack/apps/alert-sink.ts`; HOST and PORT come from the environment.
 * Payload reference: https://prometheus.io/docs/alerting/latest/configuration/#webhook_config
 * Notifications live in memory only (the latest few thousand): a restart of the sink starts an empty record.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';

/** One notification as the sink recorded it. */
export interface SinkNotification {
  /** The path it was posted to, without the slash: the receiver's name in the lab's routing file. */
  receiver: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** The receiver name Alertmanager put in the payload, its group key and grouping labels. */
  amReceiver: string;
  status: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  alerts: { status: string; labels: Record<string, string>; fingerprint: string }[];
}

interface WebhookPayload {
  receiver?: string;
  status?: string;
  groupKey?: string;
  groupLabels?: Record<string, string>;
  alerts?: { status?: string; labels?: Record<string, string>; fingerprint?: string }[];
}

const kept = 5000;

/** Turns a webhook payload into the sink's record (pure, for the test beside this file). */
export function recordOf(path: string, payload: WebhookPayload, at: number): SinkNotification {
  return {
    receiver: path.replace(/^\/+|\/+$/g, ''),
    at,
    amReceiver: payload.receiver ?? '',
    status: payload.status ?? '',
    groupKey: payload.groupKey ?? '',
    groupLabels: payload.groupLabels ?? {},
    alerts: (payload.alerts ?? []).map((a) => ({ status: a.status ?? '', labels: a.labels ?? {}, fingerprint: a.fingerprint ?? '' })),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function startAlertSink(host: string, port: number) {
  const notifications: SinkNotification[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'GET' && url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/notifications') {
      const since = Number(url.searchParams.get('since') ?? 0);
      return sendJson(res, 200, notifications.filter((n) => n.at >= since));
    }
    if (req.method === 'POST' && url.pathname.length > 1) {
      try {
        const record = recordOf(url.pathname, JSON.parse(await readBody(req)) as WebhookPayload, Date.now());
        notifications.push(record);
        if (notifications.length > kept) notifications.splice(0, notifications.length - kept);
        return sendJson(res, 200, { recorded: record.receiver });
      } catch (error) {
        return sendJson(res, 400, { error: `not a webhook payload: ${(error as Error).message}` });
      }
    }
    sendJson(res, 404, { error: 'POST /<receiver> a notification, or GET /notifications' });
  });
  return new Promise<typeof server>((resolve) => server.listen(port, host, () => resolve(server)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 9095);
  const server = await startAlertSink(host, port);
  process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'alert sink listening', host, port })}\n`);
  // Alertmanager keeps its connections alive: drop them, so that a stop takes milliseconds, not the kill grace.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
}
