/**
 * Lab 6's realistic wrong tests and answers: the reference test with one slip, the kind `k6 run` keeps quiet
 * about (the test still runs), or the right run read the wrong way. Scripts are judged as `k6 inspect` reads
 * them; runs by what reached Prometheus since the script was saved; answers against the drawn capacity.
 */
import { type LabContext, type Mistake, slip } from '../api.ts';
import { runTest, script, scriptPath } from './solution.ts';

const write = (ctx: LabContext, text: string) => ctx.writeFile(scriptPath, text);
const budget = "http_req_failed: [{ threshold: 'rate<0.05', abortOnFail: true }],";

export const mistakes: Mistake[] = [
  {
    id: 'constant-rate',
    title: 'holds one arrival rate (constant-arrival-rate at 120 per second) instead of ramping: it proves the shop fails at 120, not where it starts to',
    fails: ['ramping-scenario'],
    apply: async (ctx) => {
      const constant = slip(
        script,
        "      executor: 'ramping-arrival-rate',\n      startRate: 2,\n      timeUnit: '1s',\n      preAllocatedVUs: 10,\n      maxVUs: 50,\n      stages: [{ target: 112, duration: '55s' }],",
        "      executor: 'constant-arrival-rate',\n      rate: 120,\n      timeUnit: '1s',\n      duration: '10s',\n      preAllocatedVUs: 10,\n      maxVUs: 50,",
      );
      await runTest(ctx, constant);
      await ctx.writeFile(ctx.answersFile, 'breaking_rate: 120\n');
    },
  },
  {
    id: 'budget-does-not-abort',
    title: 'writes the error budget as a plain threshold: the test fails at the end, but only after ramping far past the breaking point',
    fails: ['aborts-on-errors'],
    apply: (ctx) => write(ctx, slip(script, budget, "http_req_failed: ['rate<0.05'],")),
  },
  {
    id: 'aborts-on-latency',
    title: 'aborts on latency (p(95)<200) instead of errors: the shop sheds fast, so nothing stops the ramp when it breaks',
    fails: ['aborts-on-errors'],
    apply: (ctx) => write(ctx, slip(slip(script, budget, "http_req_failed: ['rate<0.05'],"), "http_req_duration: ['p(95)<500'],", "http_req_duration: [{ threshold: 'p(95)<200', abortOnFail: true }],")),
  },
  {
    id: 'own-testid',
    title: "tags the scenario with a testid of its own, which overrides the lab's: the run lands in Prometheus under another name",
    fails: ['run-recorded'],
    apply: async (ctx) => {
      await runTest(ctx, slip(script, "      stages: [{ target: 112, duration: '55s' }],", "      stages: [{ target: 112, duration: '55s' }],\n      tags: { testid: 'breaking-point' },"));
    },
  },
  {
    id: 'summary-average',
    title: "reports the request rate from k6's end-of-test summary (http_reqs …/s): the average over the whole ramp, well below the breaking point",
    fails: ['breaking-rate'],
    apply: async (ctx) => {
      const { output } = await runTest(ctx, script);
      const average = /http_reqs\.*:\s*\d+\s+([\d.]+)\/s/.exec(output)?.[1];
      if (!average) throw new Error(`no http_reqs line in k6's summary: ${output.slice(-400)}`);
      await ctx.writeFile(ctx.answersFile, `breaking_rate: ${Math.round(Number(average))}\n`);
    },
  },
];
