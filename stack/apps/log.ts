/**
 * Structured logs: one JSON object per line on stdout, with the active span's trace_id and span_id so a log
 * line leads to its trace. The same record goes out over OTLP when that is switched on.
 */
import { trace } from '@opentelemetry/api';
import { logs, SeverityNumber } from '@opentelemetry/api-logs';

export type Level = 'debug' | 'info' | 'warn' | 'error';

const severity: Record<Level, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

export function createLogger(service: string, write: (line: string) => void = (line) => process.stdout.write(line)) {
  const otlp = logs.getLogger('o11y-lab-kit/demo');
  return function log(level: Level, msg: string, fields: Record<string, string | number | boolean> = {}): void {
    const span = trace.getActiveSpan()?.spanContext();
    const record = {
      time: new Date().toISOString(),
      level,
      service,
      msg,
      ...fields,
      ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
    };
    write(`${JSON.stringify(record)}\n`);
    otlp.emit({ severityNumber: severity[level], severityText: level.toUpperCase(), body: msg, attributes: { ...fields, level } });
  };
}

export type Logger = ReturnType<typeof createLogger>;
