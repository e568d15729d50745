/**
 * "Check my work" on a lab page: asks the lab agent (started by `npm run lab:start <n>`, on 127.0.0.1) to grade
 * the lab, then shows each objective with ✓ or ✗, its points, the hint and what the check saw. The result is the
 * same CheckReport that `npm run check -- --json` prints. A badge shows the state of the stack; when the agent
 * does not answer, the widget says so and names the command that starts it.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import clsx from 'clsx';
import { useCourseData, useLab } from '../../plugins/course-data/client';
import type { AgentError, AgentLab, AgentStack, CheckProgress, CheckReport } from '../../../agent/api';
import { fetchLab, fetchProgress, fetchStack, runCheck } from './agent';
import styles from './styles.module.css';

type Outcome = CheckReport['objectives'][number]['outcome'];
const symbols: Record<Outcome, string> = { pass: '✓', fail: '✗', error: '!', skipped: '–' };

type Agent = { kind: 'connecting' } | { kind: 'offline' } | { kind: 'online'; started?: AgentLab; stack?: AgentStack };
type Check = { kind: 'idle' } | { kind: 'running'; since: number } | { kind: 'done'; report: CheckReport } | { kind: 'failed'; error: AgentError };

export default function LabCheck({ lab: number }: { lab: number }): ReactNode {
  const lab = useLab(number);
  const { agent: agentInfo } = useCourseData();
  const [agent, setAgent] = useState<Agent>({ kind: 'connecting' });
  const [check, setCheck] = useState<Check>({ kind: 'idle' });

  /** Asks the agent which lab is started and how the stack is; runs in the browser only (never at build time). */
  const refresh = useCallback(async () => {
    const [started, stack] = await Promise.all([fetchLab(agentInfo.url), fetchStack(agentInfo.url)]);
    if (started.kind === 'offline' || stack.kind === 'offline') return setAgent({ kind: 'offline' });
    setAgent({ kind: 'online', started: started.kind === 'ok' ? started.value : undefined, stack: stack.kind === 'ok' ? stack.value : undefined });
  }, [agentInfo.url]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), 15_000);
    return () => clearInterval(timer);
  }, [refresh]);

  const onCheck = async () => {
    setCheck({ kind: 'running', since: Date.now() });
    const answer = await runCheck(agentInfo.url, lab.number);
    if (answer.kind === 'offline') {
      setAgent({ kind: 'offline' });
      setCheck({ kind: 'idle' });
    } else if (answer.kind === 'error') {
      setCheck({ kind: 'failed', error: answer.error });
    } else {
      setCheck({ kind: 'done', report: answer.value });
    }
    void refresh();
  };

  return (
    <section className={styles.widget} data-testid="lab-check">
      <header className={styles.header}>
        <button type="button" className="button button--primary button--lg" onClick={() => void onCheck()} disabled={check.kind === 'running'}>
          Check my work
        </button>
        <StackBadge agent={agent} services={lab.services.map((s) => s.name)} />
      </header>
      {agent.kind === 'offline' && <AgentOffline agentUrl={agentInfo.url} start={lab.commands.start} check={lab.commands.check} />}
      {agent.kind === 'online' && agent.started && agent.started.number !== lab.number && (
        <div className="alert alert--warning" role="status">
          Lab {agent.started.number} ({agent.started.title}) is the one started, so the stack may not run what this lab needs. Start this one with{' '}
          <code>{lab.commands.start}</code>.
        </div>
      )}
      {check.kind === 'running' && <Running since={check.since} agentUrl={agentInfo.url} lab={lab.number} />}
      {check.kind === 'failed' && (
        <div className="alert alert--danger" role="alert" data-testid="lab-check-error">
          <p className={styles.tight}>
            <strong>The check could not run:</strong> {check.error.error}
          </p>
          <p className={styles.tight}>{check.error.fix}</p>
        </div>
      )}
      {check.kind === 'done' && <Report report={check.report} />}
    </section>
  );
}

/** "stack ready", or which of the lab's services are not, from GET /api/stack. */
function StackBadge({ agent, services }: { agent: Agent; services: string[] }): ReactNode {
  if (agent.kind === 'connecting') return <span className={clsx('badge badge--secondary', styles.badge)}>looking for the lab agent…</span>;
  if (agent.kind === 'offline') return <span className={clsx('badge badge--danger', styles.badge)} data-testid="stack-badge">lab agent not running</span>;
  if (!agent.stack) return <span className={clsx('badge badge--warning', styles.badge)} data-testid="stack-badge">stack state unknown</span>;
  const mine = agent.stack.services.filter((s) => services.includes(s.name));
  const down = mine.filter((s) => s.state !== 'ready');
  const text = down.length === 0 ? `stack ready (${agent.stack.runtime})` : `not ready: ${down.map((s) => `${s.name} ${s.state}`).join(', ')}`;
  return (
    <span className={clsx('badge', down.length === 0 ? 'badge--success' : 'badge--danger', styles.badge)} data-testid="stack-badge" title={mine.map((s) => `${s.name}: ${s.state} ${s.url}`).join('\n')}>
      {text}
    </span>
  );
}

function AgentOffline({ agentUrl, start, check }: { agentUrl: string; start: string; check: string }): ReactNode {
  return (
    <div className="alert alert--info" role="status" data-testid="agent-offline">
      <p className={styles.tight}>
        <strong>The lab agent is not running</strong> (nothing answers at <code>{agentUrl}</code>), so this page cannot check your work yet.
      </p>
      <p className={styles.tight}>
        Start the lab in a terminal with <code>{start}</code> — it starts the agent too — then press the button again. You can always grade from the terminal with <code>{check}</code>.
      </p>
    </div>
  );
}

/**
 * A ticking "checking… 12 s", and under it each objective still waiting: what for, what it sees now and how
 * long it has left — the lines `npm run check` prints, read from the agent once a second.
 */
function Running({ since, agentUrl, lab }: { since: number; agentUrl: string; lab: number }): ReactNode {
  const [now, setNow] = useState(Date.now());
  const [progress, setProgress] = useState<CheckProgress | undefined>(undefined);
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
      void fetchProgress(agentUrl).then((answer) => setProgress(answer.kind === 'ok' && answer.value.lab.number === lab && !answer.value.finished ? answer.value : undefined));
    }, 1000);
    return () => clearInterval(timer);
  }, [agentUrl, lab]);
  const waiting = progress?.objectives.filter((o) => o.state === 'waiting') ?? [];
  const finished = progress?.objectives.filter((o) => o.state === 'finished').length ?? 0;
  return (
    <div className={styles.running} role="status" data-testid="lab-check-running">
      <p className={styles.tight}>
        Checking… {Math.round((now - since) / 1000)} s{progress ? ` — ${finished} of ${progress.objectives.length} objectives done` : ''}. Telemetry arrives late (scrape interval, ingester flush), so an objective is looked at again until its deadline.
      </p>
      {waiting.length > 0 && (
        <ul className={styles.waiting}>
          {waiting.map((o) => (
            <li key={o.id} data-testid="objective-waiting">
              {o.title}: waiting for <code>{o.waitingFor}</code> (now <code>{o.got}</code>), {Math.ceil((o.remainingMs ?? 0) / 1000)} s left
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Report({ report }: { report: CheckReport }): ReactNode {
  const passing = report.objectives.filter((o) => o.outcome === 'pass').length;
  return (
    <div data-testid="lab-check-report">
      <p className={clsx(styles.score, report.passed && styles.passed)}>
        Score {report.score}/{report.maxScore} — {passing} of {report.objectives.length} objectives pass
        {report.passed && '. Every objective passes: well done!'}
      </p>
      <ol className={styles.results}>
        {report.objectives.map((o) => (
          <li key={o.id} className={clsx(styles.result, styles[o.outcome])} data-outcome={o.outcome} data-testid="objective-result">
            <div className={styles.line}>
              <span className={styles.symbol} aria-label={o.outcome}>
                {symbols[o.outcome]}
              </span>
              <span className={styles.title}>{o.title}</span>
              <span className={styles.points}>
                {o.score}/{o.points}
              </span>
            </div>
            {o.message && <p className={styles.detail}>{o.message}</p>}
            {o.outcome !== 'pass' && o.hint && (
              <p className={styles.detail}>
                <strong>Hint:</strong> {o.hint}
              </p>
            )}
            {o.evidence && (
              <p className={clsx(styles.detail, styles.evidence)}>
                got <code>{o.evidence.got}</code>, expected <code>{o.evidence.expected}</code> <span className={styles.source}>({o.evidence.source})</span>
              </p>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
