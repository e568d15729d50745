/**
 * Lab 22 — Collector processing. The shop's checkout puts the shopper's id, e-mail and card number on its span
 * and its log line. The student adds processors to the gateway collector the shop's telemetry passes through
 * (workspace/otelcol/processing.yaml, merged over the kit's gateway config; the shop's log file is tailed there
 * too): delete the e-mail and the card number, hash the user id, and tail-sample traces — every error trace and
 * a quarter of the rest.
 *
 * Where the truth comes from: the shop's own log, as the stack runtime keeps it (appLog) — every request the shop
 * served, with its trace id, its status and the raw user id, written before any collector sees it. So the check
 * knows which traces had an error, how many did not, and which shopper each checkout was, whatever the student's
 * processors keep or rewrite. Only what arrived since the student's latest change counts (the window starts
 * then), so unredacted spans from before it pass nothing and fail nothing.
 */
import { defineLab, processed } from '../api.ts';
import { mistakes } from './mistakes.ts';
import setup from './setup.ts';
import solution from './solution.ts';

const sensitive = ['user.email', 'payment.card_number'];
/** The load's fake e-mails and card numbers (k6/shop.ts), should they show up in a line's text. */
const rawValues = /@example\.com|\d{4} \d{4,6} \d{4,5}/;

/**
 * The share of the other traces to keep, and how close the kept share must come. The tail sampler's
 * probabilistic policy keeps a trace when a hash of its (random) trace id falls under the share: a binomial
 * draw, whose standard deviation over 400 traces at 25 % is √(0.25·0.75/400) = 2.2 points. ±7 points is three
 * of them: a correct sampler passes 997 looks in 1000, while half (50 %) or a tenth (10 %) fail at once.
 */
export const restShare = { percent: 25, within: 7, atLeast: 400 };

export default defineLab({
  number: 22,
  slug: 'collector-processing',
  module: '11-collector',
  title: 'Processing in the collector',
  summary: "Add processors to the shop's OTLP gateway: delete the shopper's e-mail and card number from spans and logs, hash the user id, and tail-sample traces — every error and a quarter of the rest.",
  services: ['tempo', 'loki', 'otelcol', 'shop'],
  workspace: {
    yaml: ['otelcol/processing.yaml'],
    reload: ['otelcol'],
  },
  load: { script: 'shop.ts', rate: 6 },
  objectives: [
    {
      id: 'traces-arrive',
      title: "The shop's traces still reach Tempo through your gateway",
      points: 5,
      hint: 'No shop trace since your change? The gateway may not have started with your file (npm run stack:logs otelcol), or a processor drops everything: keep memory_limiter first and batch last in each pipeline.',
      check: processed.tracesArrive(),
      deadlineMs: 45_000,
    },
    {
      id: 'absent-from-spans',
      title: 'No kept span carries the e-mail or the card number',
      points: 15,
      hint: 'An attributes processor with two actions, { key: user.email, action: delete } and { key: payment.card_number, action: delete }, in the traces pipeline. TraceQL { span.user.email != nil } shows what still carries it.',
      check: processed.absentFromSpans(sensitive),
      needs: ['traces-arrive'],
      deadlineMs: 120_000,
    },
    {
      id: 'absent-from-logs',
      title: 'No log line in Loki carries them either',
      points: 15,
      hint: 'Logs pass the gateway in their own pipeline: put the same attributes processor in service.pipelines.logs.processors. In Loki, {service_name="shop"} | user_email != "" finds what still carries it.',
      check: processed.absentFromLogs(sensitive, rawValues),
      needs: ['traces-arrive'],
      deadlineMs: 120_000,
    },
    {
      id: 'user-id-hashed',
      title: "Spans and log lines carry the user id only hashed, the same hash for the same shopper (SHA-256 of the id)",
      points: 20,
      hint: "{ key: user.id, action: hash } in the attributes processor of both pipelines: it writes the SHA-256 of the value, in hex, so one shopper always gets the same value and can still be counted. A fixed value (update) or a hash on one signal only is not that.",
      check: processed.userIdHashed(),
      needs: ['traces-arrive'],
      deadlineMs: 120_000,
    },
    {
      id: 'error-traces-kept',
      title: 'Every trace with an error is kept',
      points: 20,
      hint: "Sampling span by span (probabilistic_sampler) cannot know whether a trace has an error: tail_sampling waits until a trace's spans have arrived (decision_wait), then a status_code policy with status_codes: [ERROR] keeps it.",
      check: processed.errorTracesKept(),
      needs: ['traces-arrive'],
      deadlineMs: 150_000,
    },
    {
      id: 'rest-kept',
      title: `${restShare.percent} % of the other traces are kept (± ${restShare.within} points)`,
      points: 25,
      hint: `A second tail_sampling policy, of type probabilistic with sampling_percentage: ${restShare.percent}. A trace is kept when any policy says so, so errors still pass the first.`,
      check: processed.restKept(restShare),
      needs: ['traces-arrive'],
      deadlineMs: 150_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
