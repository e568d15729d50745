import { describe, expect, it } from 'vitest';
import { treeSpans } from './trace-trees.ts';

// The shape of Tempo's GET /api/traces/<id> (OTLP-JSON, one batch per resource), trimmed to two spans.
const trace = {
  batches: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] },
      scopeSpans: [
        {
          scope: { name: 'o11y-lab-kit/demo' },
          spans: [
            { traceId: 'AAEC', spanId: 'c2VydmVy', name: 'POST /checkout', kind: 'SPAN_KIND_SERVER', startTimeUnixNano: '1000', endTimeUnixNano: '9000', attributes: [{ key: 'http.route', value: { stringValue: '/checkout' } }, { key: 'http.response.status_code', value: { intValue: '502' } }], status: { code: 'STATUS_CODE_ERROR', message: 'x' } },
            { traceId: 'AAEC', spanId: 'bWluZQ==', parentSpanId: 'c2VydmVy', name: 'reserve-stock', kind: 'SPAN_KIND_INTERNAL', startTimeUnixNano: '2000', endTimeUnixNano: '8000', attributes: [{ key: 'shop.cart.items', value: { intValue: 2 } }, { key: 'ok', value: { boolValue: false } }], status: {} },
          ],
        },
      ],
    },
  ],
};

describe('treeSpans', () => {
  it('flattens a trace into spans with their service, kind, times, status and attributes as text', () => {
    const [server, mine] = treeSpans(trace);
    expect(server).toMatchObject({ spanId: 'c2VydmVy', service: 'shop', kind: 'server', status: 'error', startNs: 1000n, endNs: 9000n, attributes: { 'http.route': '/checkout', 'http.response.status_code': '502' } });
    expect(server).not.toHaveProperty('parentSpanId');
    expect(mine).toMatchObject({ parentSpanId: 'c2VydmVy', kind: 'internal', status: 'unset', attributes: { 'shop.cart.items': '2', ok: 'false' } });
  });
  it('reads the other shapes too: resourceSpans, numeric kinds and status codes', () => {
    const [span] = treeSpans({ resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ spans: [{ spanId: 'a', name: 'n', kind: 3, startTimeUnixNano: '1', endTimeUnixNano: '2', status: { code: 2 } }] }] }] });
    expect(span).toMatchObject({ service: 'unknown', kind: 'client', status: 'error', attributes: {} });
    expect(treeSpans({})).toEqual([]);
  });
});
