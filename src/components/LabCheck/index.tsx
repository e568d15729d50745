/**
 * The live lab panel on a lab page, fed by the lab agent (started by `npm run lab:start <n>`, on 127.0.0.1):
 *   - the lab's services with their state and addresses (links), refreshed every 15 s;
 *   - the objectives with their last result (from .lab/progress.json, so a reload keeps them), each with its
 *     hint on request and its own "Re-check" button (the objective and what it needs);
 *   - "Check my work" for the whole lab: each objective with ✓ or ✗, its points, the hint and what the check
 *     saw — the same CheckReport that `npm run check -- --json` prints — and, while it runs, what each
 *     objective is still waiting for.
 * When the agent does not answer, the panel says so and names the command that starts it.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import clsx from 'clsx';
import { useCourseData, useLab } from '../../plugins/course-data/client';
import type { AgentError, AgentLab, AgentStack, CheckProgress, CheckReport } from '../../../agent/api';
import { fetchLab, fetchProgress, fetchStack, runCheck } from './agent';
import styles from './styles.module.css';

type Outcome = CheckReport['objectives'][number]['outcome'];
type Result = CheckReport['objectives'][number];
const symbols: Record<Outcome, string> = { pass: '✓', fail: '✗', error: '!', skipped: '–' };

type Agent = { kind: 'connecting' } | { kind: 'offline' } | { kind: 'online'; started?: AgentLab; stack?: AgentStack };
type Check = { kind: 'idle' } | { kind: 'running'; since: number; objective?: string } | { kind: 'failed'; error: AgentError };

export default function LabCheck({ lab: number }: { lab: number }): ReactNode {
  const lab = useLab(number);
  const { agent: agentInfo } = useCourseData();
  const [agent, setAgent] = useState<Agent>({ kind: 'connecting' });
  const [check, setCheck] = useState<Check>({ kind: 'idle' });
  // The latest result of each objective seen on this page, and the score of the latest whole check.
  const [results, setResults] = useState<Record<string, Result>>({});
  const [whole, setWhole] = useState<CheckReport | undefined>(undefined);

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

  const onCheck = async (objective?: string) => {
    setCheck({ kind: 'running', since: Date.now(), objective });
    const answer = await runCheck(agentInfo.url, lab.number, objective);
    if (answer.kind === 'offline') {
      setAgent({ kind: 'offline' });
      setCheck({ kind: 'idle' });
    } else if (answer.kind === 'error') {
      setCheck({ kind: 'failed', error: answer.error });
    } else {
      setCheck({ kind: 'idle' });
      setResults((previous) => ({ ...previous, ...Object.fromEntries(answer.value.objectives.map((o) => [o.id, o])) }));
      if (!objective) setWhole(answer.value);
    }
    void refresh();
  };

  const thisLab = agent.kind === 'online' && agent.started?.number === lab.number ? agent.started : undefined;
  const running = check.kind === 'running';
  return (
    <section className={styles.widget} data-testid="lab-check">
      <header className={styles.header}>
        <button type="button" className="button button--primary button--lg" onClick={() => void onCheck()} disabled={running}>
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
      {agent.kind === 'online' && agent.stack && <Services stack={agent.stack} names={lab.services.map((s) => s.name)} />}
      {check.kind === 'running' && <Running since={check.since} agentUrl={agentInfo.url} lab={lab.number} />}
      {check.kind === 'failed' && (
        <div className="alert alert--danger" role="alert" data-testid="lab-check-error">
          <p className={styles.tight}>
            <strong>The check could not run:</strong> {check.error.error}
          </p>
          <p className={styles.tight}>{check.error.fix}</p>
        </div>
      )}
      {whole && <Score report={whole} />}
      {(thisLab || Object.keys(results).length > 0) && (
        <Objectives
          objectives={thisLab?.objectives ?? lab.objectives.map((o) => ({ ...o, hint: '' }))}
          results={results}
          running={running ? (check.objective ?? 'all') : undefined}
          onRecheck={(id) => void onCheck(id)}
        />
      )}
    </section>
  );
}

/** The lab's services as the agent sees them: state, and the address as a link where it is a web address. */
function Services({ stack, names }: { stack: AgentStack; names: string[] }): ReactNode {
  const mine = stack.services.filter((s) => names.includes(s.name));
  return (
    <ul className={styles.services} data-testid="lab-services" aria-label="The lab's services">
      {mine.map((s) => (
        <li key={s.name} data-state={s.state}>
          <span className={clsx(styles.state, s.state === 'ready' ? styles.ready : styles.notReady)}>{s.state}</span> <strong>{s.name}</strong>{' '}
          {/^https?:\/\//.test(s.url) ? (
            <a href={s.url} target="_blank" rel="noreferrer">
              {s.url}
            </a>
          ) : (
            <code>{s.url}</code>
          )}
        </li>
      ))}
    </ul>
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

function Score({ report }: { report: CheckReport }): ReactNode {
  const passing = report.objectives.filter((o) => o.outcome === 'pass').length;
  return (
    <p className={clsx(styles.score, report.passed && styles.passed)} data-testid="lab-check-report">
      Score {report.score}/{report.maxScore} — {passing} of {report.objectives.length} objectives pass
      {report.passed && '. Every objective passes: well done!'}
    </p>
  );
}

interface ObjectiveRow {
  id: string;
  title: string;
  points: number;
  hint: string;
  last?: { outcome: Outcome; at: string };
}

/**
 * Each objective: its latest result on this page (or the last one recorded, before any check here), the hint
 * on request (open by itself once the objective has failed here), what the check saw, and a re-check button.
 */
function Objectives({ objectives, results, running, onRecheck }: { objectives: ObjectiveRow[]; results: Record<string, Result>; running?: string; onRecheck: (id: string) => void }): ReactNode {
  return (
    <ol className={styles.results} data-testid="objectives">
      {objectives.map((objective) => {
        const result = results[objective.id];
        const outcome = result?.outcome ?? objective.last?.outcome;
        const hint = result?.hint ?? objective.hint;
        return (
          <li key={objective.id} className={clsx(styles.result, outcome && styles[outcome])} data-outcome={outcome ?? 'unchecked'} data-testid="objective-result">
            <div className={styles.line}>
              <span className={styles.symbol} aria-label={outcome ?? 'not checked yet'}>
                {outcome ? symbols[outcome] : '·'}
              </span>
              <span className={styles.title}>{objective.title}</span>
              <span className={styles.points}>
                {result ? `${result.score}/${result.points}` : `${objective.points} pts`}
              </span>
              <button type="button" className={clsx('button button--sm button--outline button--secondary', styles.recheck)} onClick={() => onRecheck(objective.id)} disabled={running !== undefined} aria-label={`Re-check: ${objective.title}`}>
                {running === objective.id ? 'checking…' : 'Re-check'}
              </button>
            </div>
            {!result && objective.last && <p className={clsx(styles.detail, styles.when)}>last checked {new Date(objective.last.at).toLocaleString()}</p>}
            {result?.message && <p className={styles.detail}>{result.message}</p>}
            {hint && (
              <details className={styles.detail} open={result !== undefined && result.outcome !== 'pass'}>
                <summary>Hint</summary>
                {hint}
              </details>
            )}
            {result?.evidence && (
              <p className={clsx(styles.detail, styles.evidence)}>
                got <code>{result.evidence.got}</code>, expected <code>{result.evidence.expected}</code> <span className={styles.source}>({result.evidence.source})</span>
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}
