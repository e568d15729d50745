/**
 * Lab 14's realistic wrong work: the reference routing and silence with one slip each — the ones that look fine
 * in the file and show only in what the receivers get.
 */
import { silenceOnly, slip, type LabContext, type Mistake } from '../api.ts';
import { maintenanceWindow, routing } from './solution.ts';

const hour = 3_600_000;

/** The routing file with a slip, and the right silence (so that only the slip is graded wrong). */
const withRouting = (text: string) => async (ctx: LabContext) => {
  await ctx.writeFile('alertmanager/alertmanager.yml', text);
  const window = await maintenanceWindow(ctx);
  await silenceOnly(ctx, { service: window.service }, window.until, 'planned maintenance');
};

const pagerRoute = `    - receiver: pager
      matchers: [severity="critical"]
      continue: true
`;

export const mistakes: Mistake[] = [
  {
    id: 'pager-without-continue',
    title: 'the pager route has no continue: true, so a critical alert pages and never reaches its team',
    fails: ['routes-tested', 'teams-notified'],
    apply: withRouting(slip(routing, '      continue: true\n', '')),
  },
  {
    id: 'critical-route-last',
    title: 'the severity="critical" route comes after the team routes, which match first: nothing ever pages',
    fails: ['routes-tested', 'critical-paged'],
    apply: withRouting(slip(slip(routing, pagerRoute, ''), '\ninhibit_rules:', `${pagerRoute}\ninhibit_rules:`)),
  },
  {
    id: 'team-grouped-by-alertname',
    title: "the team routes group by alertname, so one notification mixes services and a service's alerts arrive apart",
    fails: ['grouped-by-service'],
    apply: withRouting(routing.replaceAll('      group_by: [service]', '      group_by: [alertname]')),
  },
  {
    id: 'inhibition-without-equal',
    title: 'the inhibition rule has no equal: [service], so one critical alert mutes the warnings of every service',
    fails: ['warning-inhibited'],
    apply: withRouting(slip(routing, '    equal: [service]\n', '')),
  },
  {
    id: 'silence-whole-team',
    title: "silences the maintenance service's whole team (team=…) instead of the service",
    fails: ['maintenance-silenced'],
    apply: async (ctx) => {
      await ctx.writeFile('alertmanager/alertmanager.yml', routing);
      const window = await maintenanceWindow(ctx);
      await silenceOnly(ctx, { team: window.team }, window.until, 'planned maintenance');
    },
  },
  {
    id: 'silence-default-duration',
    title: "adds the silence with amtool's default duration (1 h), which ends before the maintenance window closes",
    fails: ['maintenance-silenced'],
    apply: async (ctx) => {
      await ctx.writeFile('alertmanager/alertmanager.yml', routing);
      const window = await maintenanceWindow(ctx);
      await silenceOnly(ctx, { service: window.service }, new Date(Date.now() + hour).toISOString(), 'planned maintenance');
    },
  },
];
