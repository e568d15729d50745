/**
 * Starts one demo service: `node --import tsx stack/apps/main.ts shop|inventory`.
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
const server = await startService({ name: service, host: config.host, port: config.port, routes, metrics, log });
log('info', `${service} listening`, { port: config.port });

// Flush telemetry on the way out: the runtime stops services with SIGTERM.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close();
    void telemetry.shutdown().finally(() => process.exit(0));
  });
}
