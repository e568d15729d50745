/**
 * Sends OTLP over HTTP with JSON bodies — to the collector (4318) or straight to an engine's OTLP endpoint.
 * Used by tests and lab setups to create spans and log records with known content.
 * Format reference: https://opentelemetry.io/docs/specs/otlp/#otlphttp
 */
import { randomBytes } from 'node:crypto';
import { jsonBody, requestText } from './http.ts';

export interface SpanInput {
  service: string;
  name: string;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  start?: Date;
  durationMs?: number;
  /** SPAN_KIND_SERVER = 2, CLIENT = 3. */
  kind?: number;
  attributes?: Record<string, string | number | boolean>;
  error?: boolean;
}

export interface LogInput {
  service: string;
  body: string;
  severity?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  time?: Date;
  traceId?: string;
  spanId?: string;
  attributes?: Record<string, string | number | boolean>;
}

export const newTraceId = () => randomBytes(16).toString('hex');
export const newSpanId = () => randomBytes(8).toString('hex');

const unique = <T>(values: T[]) => [...new Set(values)];

const nanos = (date: Date) => `${BigInt(date.getTime()) * 1_000_000n}`;

function attributes(values: Record<string, string | number | boolean> = {}) {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value:
      typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
  }));
}

const severityNumber = { DEBUG: 5, INFO: 9, WARN: 13, ERROR: 17 } as const;

/** `baseUrl` is the OTLP/HTTP root (http://127.0.0.1:4318); paths /v1/traces and /v1/logs are appended. */
export function otlpSender(engine: string, baseUrl: string) {
  return {
    sendSpans: async (spans: SpanInput[]) => {
      const completed = spans.map((s) => ({ ...s, traceId: s.traceId ?? newTraceId(), spanId: s.spanId ?? newSpanId() }));
      await requestText(engine, `${baseUrl}/v1/traces`, jsonBody({
        resourceSpans: unique(spans.map((s) => s.service)).map((service) => ({
          resource: { attributes: attributes({ 'service.name': service }) },
          scopeSpans: [{
            scope: { name: 'o11y-lab-kit' },
            spans: completed.filter((s) => s.service === service).map((s) => {
              const start = s.start ?? new Date();
              return {
                traceId: s.traceId,
                spanId: s.spanId,
                ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
                name: s.name,
                kind: s.kind ?? 2,
                startTimeUnixNano: nanos(start),
                endTimeUnixNano: nanos(new Date(start.getTime() + (s.durationMs ?? 10))),
                attributes: attributes(s.attributes),
                status: { code: s.error ? 2 : 1 },
              };
            }),
          }],
        })),
      }));
      return completed;
    },
    sendLogs: (logs: LogInput[]) =>
      requestText(engine, `${baseUrl}/v1/logs`, jsonBody({
        resourceLogs: unique(logs.map((l) => l.service)).map((service) => ({
          resource: { attributes: attributes({ 'service.name': service }) },
          scopeLogs: [{
            scope: { name: 'o11y-lab-kit' },
            logRecords: logs.filter((l) => l.service === service).map((l) => ({
              timeUnixNano: nanos(l.time ?? new Date()),
              severityText: l.severity ?? 'INFO',
              severityNumber: severityNumber[l.severity ?? 'INFO'],
              body: { stringValue: l.body },
              attributes: attributes(l.attributes),
              ...(l.traceId ? { traceId: l.traceId } : {}),
              ...(l.spanId ? { spanId: l.spanId } : {}),
            })),
          }],
        })),
      })),
  };
}
