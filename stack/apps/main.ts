/**
 * Starts one demo service: `node stack/apps/start.mjs shop|inventory` (natively, compiled) or
 * `node --import tsx stack/apps/main.ts shop|inventory` (in its container).
 * Settings come from the environment (config.ts); the stack runtimes set them.
 */
import { readConfig } from './config.ts';
import { startService } from './http.ts';
import { inventoryRoutes } from './inventory.ts';
import { createLogger, logWriter } from './log.ts';
import { createMetrics } from './metrics.ts';
import { shopRoutes } from './shop.ts';
import { startTelemetry } from './telemetry.ts';

const service = process.argv[2];
if (service !== 'shop' && service !== 'inventory') {
  process.stderr.write('usage: main.ts shop|inventory\n');
  process.exit(2);
}
const config = readConfig(service);
let write: (line: string) => void;
try {
  write = logWriter(config.logFile);
} catch (error) {
  process.stderr.write(`${service}: ${(error as Error).message}\n`);
  process.exit(1);
}
const telemetry = startTelemetry(config);
const metrics = createMetrics(service);
const log = createLogger(service, write);
const routes = service === 'shop' ? shopRoutes(config, metrics, log) : inventoryRoutes;
const server = await startService({ name: service, host: config.host, port: config.port, routes, metrics, log, telemetry });
log('info', `${service} listening`, { port: config.port });

// On SIGTERM (how both runtimes stop services): stop accepting, drop idle keep-alive connections (a load
// generator holds some open, and close() alone waits for them), and flush telemetry — for at most half a second,
// since the collector may be stopping at the same moment and an export to it would wait for its timeout.
const flushBudgetMs = 500;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    const budget = new Promise((resolve) => setTimeout(resolve, flushBudgetMs).unref());
    void Promise.race([telemetry.shutdown(), budget]).finally(() => process.exit(0));
  });
}
