/**
 * Objectives on series the student's recording rules write, that count only the current rules' work and
 * compare like with like:
 *
 *   recorded('service_route:http_server_requests:rate1m{service="shop"}').count('>= 3')
 *   recorded('…').agreesWith(direct, { on: ['service', 'route'], within: 0.01 })
 *   recorded('slo:checkout_error_budget:burn_rate1m').near(appFault('shop', '/checkout').burnRate(0.001), { within: 0.25, windowMs: 60_000 })
 *
 * Only current work: a series counts only when its latest sample was written after the student's latest
 * change to the engines' files (CheckContext.appliedAt). After a rule changes, the old rule's series stay
 * visible for about five minutes; here they are ignored at once, so old work neither passes a wrong rule nor
 * fails a fixed one. Until the new rules have been evaluated, the evidence says it waits for them.
 *
 * Like with like: the reference expression is evaluated at the very timestamp of the recorded samples (a
 * rule's samples carry its evaluation time), over the same data the rule saw, so the two agree to rounding
 * unless the rule computes something else. The tolerance can be a percent, not a guess at drift.
 */
import { parseExpectation } from '../expectations.ts';
import type { CheckContext, Observation, Probe } from '../model.ts';
import { assertQuery } from '../syntax.ts';
import { engines } from './engines.ts';
import { lokiRulerPollMs } from './loki-api.ts';
import { formatClock, formatLabels, formatNumber, plural, type Series } from './format.ts';
import { toSeries } from './promql.ts';
import type { Truth } from './truth.ts';

const seconds = (ms: number) => ms / 1000;
const settleAfterMs = 20_000;

/**
 * Series of `selector` whose latest sample is newer than the latest change, and when the rule that records
 * the selector's metric last ran (ms; 0 when no loaded rule records it).
 */
async function currentSeries(selector: string, ruler: Ruler, context: CheckContext): Promise<{ current: Series[]; older: number; since: number; evaluatedAt: number }> {
  // Prometheus loads rule files during the reload apply sends. Loki's ruler re-reads them on its own poll
  // (poll_interval 10 s, stack/config/loki/): until then the previous rules still run and write, so only
  // samples from after that poll can be the current rules'.
  const since = seconds((context.appliedAt ?? 0) + (ruler === 'loki' ? lokiRulerPollMs : 0));
  const prometheus = engines.prometheus(context);
  const metric = /^[a-zA-Z_:][\w:]*/.exec(selector)?.[0];
  const rulesOf = ruler === 'loki' ? engines.loki(context).rules() : prometheus.rules();
  const [stamps, rules] = await Promise.all([prometheus.query(`timestamp(${selector})`).then(toSeries), rulesOf]);
  const evaluations = rules.groups.flatMap((g) => g.rules).filter((r) => r.type === 'recording' && r.name === metric).map((r) => Date.parse(r.lastEvaluation ?? ''));
  const current = stamps.filter((s) => s.value > since);
  return { current, older: stamps.length - current.length, since, evaluatedAt: Math.max(0, ...evaluations.filter(Number.isFinite)) };
}

function waiting(older: number, since: number): string {
  const ignored = older > 0 ? ` (${older} older series from earlier rules ignored)` : '';
  return `no series from your current rules yet: waiting for their first evaluation after your change at ${formatClock(since * 1000)}${ignored}`;
}

/** The labels named in `on`, as one key: how a recorded series finds its reference series. */
const keyOf = (labels: Record<string, string>, on: string[]) => on.map((name) => `${name}="${labels[name] ?? ''}"`).join(', ');

/** Which ruler evaluates the rule: Prometheus's own, or Loki's (which remote-writes its results to Prometheus). */
type Ruler = 'prometheus' | 'loki';

export function recorded(selector: string, options: { ruler?: Ruler } = {}) {
  const ruler = options.ruler ?? 'prometheus';
  const query = selector.trim();
  const validate = () => assertQuery('promql', query, 'recorded series');
  return {
    /** Passes when the number of series written by the current rules satisfies the expectation. */
    count(expectation: string): Probe {
      const expected = parseExpectation(expectation);
      return {
        source: 'prometheus',
        query: `${query} (written since your latest change)`,
        validate,
        async observe(context): Promise<Observation> {
          const { current, older, since, evaluatedAt } = await currentSeries(query, ruler, context);
          const pass = expected.test(current.length);
          // Once the current rule has run with data to read, its result is its answer: a rule that records too
          // few series (or none: a histogram_quantile without le) does not record more by being asked again.
          // Data to read: a new scrape job's first rate() needs two scrapes, so runs in the first 20 s after the
          // change do not count.
          const evaluated = evaluatedAt > since * 1000 + settleAfterMs;
          if (current.length === 0 && !evaluated) return { pass: false, got: waiting(older, since), expected: `${expected.text} series` };
          const got = current.length === 0 ? `your current rule ran at ${formatClock(evaluatedAt)} and recorded no series` : `${current.length} series from your current rules: ${current.slice(0, 3).map((s) => formatLabels(s.labels)).join('; ')}${current.length > 3 ? ` (+${current.length - 3} more)` : ''}`;
          return { pass, got, expected: `${expected.text} series`, settled: !pass && evaluated };
        },
      };
    },

    /**
     * Passes when every series the current rules recorded agrees with `reference` evaluated at the same
     * timestamp, series for series (matched on the labels in `on`), within `within` (relative), and neither
     * side has a series the other lacks.
     */
    agreesWith(reference: string, options: { on: string[]; within: number }): Probe {
      const direct = reference.trim();
      const expected = `every series within ${formatNumber(options.within * 100)} % of ${direct} at the same timestamp`;
      return {
        source: 'prometheus',
        query: `${query} vs ${direct}`,
        validate: () => {
          validate();
          assertQuery('promql', direct, 'reference');
        },
        async observe(context): Promise<Observation> {
          const { current, older, since } = await currentSeries(query, ruler, context);
          if (current.length === 0) return { pass: false, got: waiting(older, since), expected };
          // The latest evaluation: every series a rule writes in one evaluation carries the same timestamp.
          const at = Math.max(...current.map((s) => s.value));
          const time = new Date(at * 1000);
          const prometheus = engines.prometheus(context);
          const [mine, theirs] = await Promise.all([prometheus.query(`${query} and timestamp(${query}) >= ${at - 0.001}`, time), prometheus.query(direct, time)]);
          const recordedByKey = new Map(toSeries(mine).map((s) => [keyOf(s.labels, options.on), s.value]));
          const directByKey = new Map(toSeries(theirs).map((s) => [keyOf(s.labels, options.on), s.value]));
          const problems: string[] = [];
          let worst = 0;
          for (const [key, value] of recordedByKey) {
            if (!directByKey.has(key)) problems.push(`{${key}} is recorded but the direct query has no such series`);
            else {
              const truth = directByKey.get(key)!;
              // No traffic on a route in the window: both sides are NaN, which is agreement.
              const difference = Number.isNaN(truth) && Number.isNaN(value) ? 0 : Math.abs(value - truth) / Math.max(Math.abs(truth), 1e-9);
              if (!(difference <= options.within)) problems.push(`{${key}}: recorded ${formatNumber(value)}, direct ${formatNumber(truth)}`);
              if (Number.isFinite(difference)) worst = Math.max(worst, difference);
            }
          }
          for (const key of directByKey.keys()) if (!recordedByKey.has(key)) problems.push(`{${key}} is in the direct query but not recorded`);
          const got = problems.length
            ? `${plural(problems.length, 'disagreement')} at ${formatClock(at * 1000)}: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (+${problems.length - 3} more)` : ''}`
            : `${recordedByKey.size} series agree, worst difference ${formatNumber(worst * 100)} %`;
          return { pass: problems.length === 0 && recordedByKey.size > 0, got, expected };
        },
      };
    },

    /**
     * Passes when every series the current rules recorded is within `within` (relative) of `truth` (what setup
     * injected, say), once the rule's window (`windowMs`) holds only data from after the lab started: before
     * that the window still averages in the traffic from before the fault, and the number cannot agree yet.
     * The tolerance is the measurement's own spread (a rate over a window of random failures); a value off by
     * more than three times that is a different number, not noise, and fails at once.
     */
    near(truth: Truth, options: { within: number; windowMs: number }): Probe {
      const expected = `every series within ${formatNumber(options.within * 100)} % of ${truth.query}`;
      return {
        source: 'prometheus',
        query: `${query} vs ${truth.query}`,
        validate: () => {
          validate();
          truth.validate();
        },
        async observe(context): Promise<Observation> {
          const { current, older, since } = await currentSeries(query, ruler, context);
          if (current.length === 0) return { pass: false, got: waiting(older, since), expected };
          const at = Math.max(...current.map((s) => s.value));
          // A scrape interval of margin: the first scrape after the lab started may still count older requests.
          const full = (context.labStartedAt ?? 0) + options.windowMs + 10_000;
          if (at * 1000 < full) return { pass: false, got: `waiting until your window holds only traffic since the lab started (${formatClock(full)})`, expected };
          const target = await truth.resolve(context);
          if (target === undefined) return { pass: false, got: 'the lab\'s fault is not injected (run npm run lab:start again)', expected };
          const mine = toSeries(await engines.prometheus(context).query(`${query} and timestamp(${query}) >= ${at - 0.001}`, new Date(at * 1000)));
          const differences = mine.map((s) => Math.abs(s.value - Number(target)) / Math.abs(Number(target)));
          const worst = Math.max(...differences.map((d) => (Number.isNaN(d) ? Infinity : d)));
          const pass = mine.length > 0 && worst <= options.within;
          const got = `${mine.map((s) => `${formatLabels(s.labels)} ${formatNumber(s.value)}`).slice(0, 3).join('; ')} at ${formatClock(at * 1000)} (the truth: ${formatNumber(Number(target))})`;
          return { pass, got, expected, settled: !pass && mine.length > 0 && worst > 3 * options.within };
        },
      };
    },
  };
}
