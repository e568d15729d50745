/**
 * Lab 5's realistic wrong tests: the reference journey with one slip in its options, the kind `k6 run` keeps
 * quiet about (the test still runs, it just never fails). Each is checked as k6 itself reads the options.
 */
import type { LabContext, Mistake } from '../api.ts';
import { script } from './solution.ts';

const write = (ctx: LabContext, text: string) => ctx.writeFile('k6/first-test.ts', text);
const replaced = (from: string, to: string) => {
  if (!script.includes(from)) throw new Error(`the reference test no longer contains ${JSON.stringify(from)}`);
  return script.replace(from, to);
};

export const mistakes: Mistake[] = [
  {
    id: 'one-threshold',
    title: 'sets a threshold on latency only: nothing fails the test when requests fail',
    fails: ['thresholds-defined'],
    apply: (ctx) => write(ctx, replaced("    http_req_failed: ['rate<0.01'],\n", '').replace("    checks: ['rate>0.99'],\n", '')),
  },
  {
    id: 'options-not-exported',
    title: 'declares the options without exporting them, so k6 never sees the thresholds',
    fails: ['thresholds-defined'],
    apply: (ctx) => write(ctx, replaced('export const options = {', 'const options = {')),
  },
  {
    id: 'thresholds-in-a-scenario',
    title: 'writes the thresholds inside a scenario, where k6 does not read them',
    fails: ['thresholds-defined'],
    apply: (ctx) =>
      write(
        ctx,
        replaced(
          "  vus: 3,\n  duration: '10s',\n  thresholds: {",
          "  scenarios: {\n    journey: {\n      executor: 'constant-vus',\n      vus: 3,\n      duration: '10s',\n      // @ts-expect-error: not a scenario option\n      thresholds: {",
        ).replace("    checks: ['rate>0.99'],\n  },\n} satisfies Options;", "    checks: ['rate>0.99'],\n      },\n    },\n  },\n};"),
      ),
  },
];
