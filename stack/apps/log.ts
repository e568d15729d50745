/**
 * Structured logs: one JSON object per line on stdout (and in a log file when LOG_FILE is set), with the active
 * span's trace_id and span_id so a log line leads to its trace. The same record goes out over OTLP when that is
 * switched on.
 */
import { openSync, writeSync } from 'node:fs';
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

/**
 * Where log lines go: stdout, and also the end of `logFile` when one is given (the Docker Compose stack, where a
 * log shipper tails it; its directory must exist). The file is opened once, here, so that a path the service
 * cannot write fails the start with a message naming it, not the first request. Lines are appended
 * synchronously, like stdout to a file: they stay whole and in order, and none is lost when the process exits.
 */
export function logWriter(logFile: string | undefined, stdout: (line: string) => void = (line) => void process.stdout.write(line)): (line: string) => void {
  if (!logFile) return stdout;
  let fd: number;
  try {
    fd = openSync(logFile, 'a');
  } catch (error) {
    throw new Error(`cannot open LOG_FILE ${logFile} for appending: ${(error as Error).message}`);
  }
  let failed = false;
  return (line) => {
    stdout(line);
    try {
      writeSync(fd, line);
    } catch (error) {
      // A full disk must not take the service down: say so once, keep serving and logging to stdout.
      if (!failed) process.stderr.write(`cannot append to LOG_FILE ${logFile}: ${(error as Error).message}; logging to stdout only\n`);
      failed = true;
    }
  };
}
