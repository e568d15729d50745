/**
 * Lab 10 — TraceQL investigation. One of the shop's calls to the inventory service has become slow (which one
 * is drawn per student). The student finds, with TraceQL, which shop operation is slow and which downstream
 * call makes it slow; the answers are graded against TraceQL ground truth from the live traces.
 */
import { answer, defineLab, traceql } from '../api.ts';
import setup from './setup.ts';
import solution from './solution.ts';
import { mistakes } from './mistakes.ts';

/** "Slow" in this lab: the injected delay is 350 ms; healthy calls take a few milliseconds. */
const slow = 'duration > 300ms';

export default defineLab({
  number: 10,
  slug: 'traceql-investigation',
  module: '05-traces',
  title: 'TraceQL investigation',
  summary: 'Use TraceQL to find the slow downstream call behind a latency spike in the shop.',
  services: ['tempo', 'otelcol', 'shop'],
  workspace: {
    yaml: ['answers/10-traceql-investigation.yaml'],
    reload: [],
  },
  load: { script: 'shop.ts', rate: 3 },
  objectives: [
    {
      id: 'slow-operation',
      title: 'You found the shop operation that became slow',
      points: 15,
      hint: 'Search for the shop\'s server spans that take long: { resource.service.name = "shop" && kind = server && duration > 300ms } — the trace list shows their names. Write the name, e.g. "GET /products", as slow_operation.',
      check: answer('slow_operation').equals(traceql(`{ resource.service.name = "shop" && kind = server && ${slow} }`, { over: '10m' }).rootName()),
      deadlineMs: 20_000,
    },
    {
      id: 'slow-call',
      title: 'You found the downstream call that makes it slow',
      points: 20,
      hint: 'The shop\'s own time is small; look at its client spans (kind = client) within the slow traces, and | select(name) to see what they call. Write the span name, e.g. "GET inventory /stock", as slow_call.',
      check: answer('slow_call').equals(traceql(`{ resource.service.name = "shop" && kind = client && ${slow} } | select(name)`, { over: '10m' }).spanName()),
      deadlineMs: 20_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
