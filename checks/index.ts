/**
 * The grading API that lab definitions use: builders that read like outcomes.
 *
 *   promql('up{job="shop"}').value('== 1')
 *   logql('{service_name="shop"} | level="error"').lines('>= 1')
 *   traceql('{ span.http.route = "/checkout" }').spans('>= 1')
 *   answer('noisiest_error_route').equals(logql('…').label('route'))
 */
export { alertmanagerAlert, silence } from './builders/alertmanager.ts';
export { alertmanagerConfig, alertSink, alertStates, postedAlerts, type Labels, type SinkExpectation, type StateExpectation } from './builders/alert-routing.ts';
export { answer } from './builders/answer.ts';
export { answeredTrace } from './builders/answered-trace.ts';
export { appFault, appFaults, type ServiceFaults } from './builders/app-faults.ts';
export { appLog } from './builders/app-log.ts';
export { influxql, sql } from './builders/databases.ts';
export { workspaceFile } from './builders/files.ts';
export { k6Script } from './builders/k6-script.ts';
export { lokiRule } from './builders/loki-api.ts';
export { logql } from './builders/logql.ts';
export { alert, rule, target, targetLabels } from './builders/prometheus-api.ts';
export { promql } from './builders/promql.ts';
export { recorded } from './builders/recorded.ts';
export { processed } from './builders/processed.ts';
export { exemplars, sinceApplied } from './builders/since-applied.ts';
export { sinceSaved } from './builders/since-saved.ts';
export { traceql } from './builders/traceql.ts';
export { traceTrees, treeSpans, type TreeSpan, type Verdict } from './builders/trace-trees.ts';
export { importJob, type ImportJob } from './builders/usage-import.ts';
export type { CheckContext, Objective } from './model.ts';
