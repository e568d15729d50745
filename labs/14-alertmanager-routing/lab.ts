/**
 * Lab 14 — Alertmanager routing. Alerts of two teams and two severities are firing; the student writes the
 * routing tree that pages on critical alerts and still tells the team, sends each team its own alerts grouped
 * by service, mutes a service's warnings while it has a critical alert, and silences the service that is in
 * planned maintenance. Graded by what the lab's webhook receivers really got after the latest change, by
 * Alertmanager's own view of what is inhibited and silenced, and by amtool on the file.
 */
import { alertmanagerConfig, alertSink, alertStates, defineLab } from '../api.ts';
import setup from './setup.ts';
import solution from './solution.ts';
import { mistakes } from './mistakes.ts';
import { inhibition, maintenance, pages, routeCases, teamDeliveries, teamGroups } from './scenario.ts';

const file = 'alertmanager/alertmanager.yml';

export default defineLab({
  number: 14,
  slug: 'alertmanager-routing',
  module: '07-alerting',
  title: 'Alertmanager routing',
  summary: 'Route alerts by team and severity, group them by service, inhibit warnings under a critical alert, and silence a service in maintenance.',
  services: ['alertmanager', 'alert-sink'],
  // The checks run amtool on your file, here in both runtimes.
  tools: ['amtool'],
  workspace: {
    yaml: [file],
    reload: ['alertmanager'],
  },
  objectives: [
    {
      id: 'config-valid',
      title: 'Your Alertmanager configuration passes amtool check-config',
      points: 10,
      hint: 'Run amtool check-config workspace/alertmanager/alertmanager.yml: it names the problem (a receiver used but not defined, a matcher without quotes…).',
      check: alertmanagerConfig(file).accepted(),
      deadlineMs: 5_000,
    },
    {
      id: 'routes-tested',
      title: 'The routing tree sends every alert to the right receivers (amtool config routes test)',
      points: 15,
      hint: 'Critical alerts go to pager and to their team; team alerts to storefront or payments; the rest to default. Try one: amtool config routes test --config.file=workspace/alertmanager/alertmanager.yml severity=critical team=payments. Routes are tried from the top and the first match wins, unless it has continue: true.',
      check: alertmanagerConfig(file).routes(routeCases),
      needs: ['config-valid'],
      deadlineMs: 10_000,
    },
    {
      id: 'teams-notified',
      title: "Each team's receiver got its own alerts, critical ones included, and nobody else's",
      points: 20,
      hint: 'Look at what the sink recorded: curl <alert-sink>/notifications. A critical alert reaches the team only if the pager route above has continue: true; an alert without a team stays with default.',
      check: alertSink().received(teamDeliveries),
      needs: ['config-valid'],
      deadlineMs: 30_000,
    },
    {
      id: 'critical-paged',
      title: 'The pager received every critical alert, and only those',
      points: 15,
      hint: 'A route with matchers: [severity="critical"] and receiver: pager must come before the team routes (the first match wins), with continue: true.',
      check: alertSink().received(pages),
      needs: ['config-valid'],
      deadlineMs: 30_000,
    },
    {
      id: 'grouped-by-service',
      title: "The team receivers get one notification per service, holding all that service's alerts",
      points: 10,
      hint: "Set group_by: [service] on the team routes: alerts with the same service then travel together, and two services never share a notification.",
      check: alertSink().received(teamGroups, 'groups'),
      needs: ['config-valid'],
      deadlineMs: 30_000,
    },
    {
      id: 'warning-inhibited',
      title: "A service's warnings are inhibited while it has a critical alert — and no other service's",
      points: 15,
      hint: 'An inhibit rule with source_matchers: [severity="critical"], target_matchers: [severity="warning"] and equal: [service]. Without equal, one critical alert mutes every warning. amtool alert query --inhibited lists what is muted.',
      check: alertStates(inhibition).inhibited(),
      needs: ['config-valid'],
      deadlineMs: 15_000,
    },
    {
      id: 'maintenance-silenced',
      title: 'A silence mutes the service in maintenance, and nothing else, until its window closes',
      points: 15,
      hint: 'One alert\'s annotations say which service is in maintenance and until when (amtool alert query -o extended). Silence that service (service="…"), not its team, until that time: amtool silence add service=… --end=… (without --duration or --end a silence lasts 1 h).',
      check: alertStates(maintenance).silenced(),
      deadlineMs: 10_000,
    },
  ],
  setup,
  solution,
  mistakes,
});
