/**
 * The smallest useful k6 test: GETs one URL for a few seconds and checks the answers. The stack's own test
 * runs it with the Prometheus remote-write output to prove that k6's metrics reach Prometheus.
 *
 *   TARGET_URL=http://127.0.0.1:9090/-/ready k6 run k6/stack-smoke.ts
 */
import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';

export const options = {
  vus: 2,
  duration: '3s',
  // A load test without thresholds cannot fail: these make the run's exit code mean something.
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<500'],
  },
} satisfies Options;

const target = __ENV.TARGET_URL ?? 'http://127.0.0.1:9090/-/ready';

export default function () {
  const response = http.get(target);
  check(response, { 'status is 2xx': (r) => r.status >= 200 && r.status < 300 });
}
