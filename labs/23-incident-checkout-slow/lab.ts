/**
 * Lab 23 — Incident: checkout is slow. CheckoutLatencyHigh pages (the starter's on-call rules); the student
 * works the incident as on-call does: silences the page while investigating, measures how many checkouts are
 * slow (metrics), finds one slow checkout and its trace id (logs → traces), and names the service whose own work
 * holds the time (the trace's spans).
 *
 * Where the truth comes from: what setup drew (incident.ts) — the share of checkouts slowed and the service that
 * slows them — read back from the demo services' fault settings at check time; the trace the student names is
 * read back from Tempo and judged by its own spans (the shop wrote them); the silence is Alertmanager's. Nothing
 * the student queries or writes changes a truth, and the draw differs per student.
 */
import { answer, answeredTrace, appFaults, defineLab, silence } from '../api.ts';
import { judgeSlowCheckout, pagingAlert, readIncident, slowMs } from './incident.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

/** The incident the services run with (undefined: none of this lab's, and no truth to grade by). */
const incident = (what: string, pick: (incident: NonNullable<ReturnType<typeof readIncident>>) => string | number) =>
  appFaults('shop', 'inventory').truth(what, (shop, inventory) => {
    const found = readIncident(shop!, inventory!);
    return found && pick(found);
  });

/**
 * The drawn share, in percent. Over a three-minute window at five checkouts a second (900 checkouts), a share
 * of 12–30 % varies by 1.1–1.5 points (one standard deviation, binomial): ±6 points is nearly four of them (and
 * leaves room for the odd ordinary checkout over 250 ms on a busy machine), and fails the share of all the
 * shop's requests (checkout is 1 in 3.5 of them: 8.6 points or more off) and a fraction written as a percent
 * (0.12–0.30).
 */
const slowPercent = incident('the share of checkouts the incident slows', (found) => found.share * 100);

export default defineLab({
  number: 23,
  slug: 'incident-checkout-slow',
  module: '12-capstone',
  title: 'Incident: checkout is slow',
  summary: 'Work a paging incident from the alert to the root cause: silence the page, measure the damage with PromQL, follow a slow checkout from its log line to its trace, and name the service that holds the time.',
  services: ['prometheus', 'alertmanager', 'loki', 'tempo', 'otelcol', 'shop'],
  workspace: {
    yaml: ['prometheus/rules/on-call.yml', 'answers/23-incident-checkout-slow.yaml'],
    reload: ['prometheus'],
  },
  load: { script: 'shop.ts', rate: 5 },
  // The student silences the page with amtool (or Alertmanager's UI); no check runs it.
  tools: ['amtool'],
  objectives: [
    {
      id: 'page-silenced',
      title: `The page is silenced while you investigate: a silence for alertname="${pagingAlert}"`,
      points: 10,
      hint: `In Alertmanager (Silences → New silence, or amtool silence add alertname=${pagingAlert} --comment="investigating"), silence this alert by its name — not every alert of severity="page" or of the team, which would hide the next incident too.`,
      check: silence({ alertname: pagingAlert }).exists(),
      deadlineMs: 10_000,
    },
    {
      id: 'slow-share',
      title: `You measured the share of checkouts slower than ${slowMs} ms`,
      points: 20,
      hint: 'The histogram counts checkouts at or under each bound: le="0.25" against the count (le="+Inf") of the shop\'s route="/checkout", rated over [3m] once the alert has fired. Only checkouts, not every request; write a percent, e.g. 17.5.',
      check: answer('slow_checkout_percent').near(slowPercent, { absolute: 6 }),
      deadlineMs: 20_000,
    },
    {
      id: 'slow-trace',
      title: `You found a checkout of this incident slower than ${slowMs} ms, by its trace id`,
      points: 20,
      hint: 'The shop logs every request with its duration_ms and its trace_id: in Loki, {service_name="shop"} | route="/checkout" | duration_ms > 250 lists slow checkouts; take one line\'s trace_id. (Or search Tempo: { name = "POST /checkout" && duration > 250ms }.)',
      check: answeredTrace('slow_trace_id').is((spans, context) => judgeSlowCheckout(spans, context.labStartedAt), `a trace of a checkout since the lab started, slower than ${slowMs} ms`),
      deadlineMs: 20_000,
    },
    {
      id: 'slow-service',
      title: 'You named the service whose own work holds the extra time',
      points: 25,
      hint: "Open the slow trace: the shop's POST /checkout covers everything below it, so look for the lowest span that is still slow, and whether anything below it accounts for its time. A span's own time is its duration minus its children's.",
      check: answer('slow_service').equals(incident('the service the incident slows', (found) => found.cause), { as: 'service' }),
      deadlineMs: 20_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
