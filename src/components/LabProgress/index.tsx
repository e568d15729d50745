/**
 * A student's progress on the home and module pages: passed, in progress or not started, per lab — asked of the
 * lab agent (GET /api/progress, from .lab/progress.json) once when the page opens. Nothing is stored in the
 * browser; without the agent no badge is shown, since the page cannot know.
 */
import { useEffect, useState, type ReactNode } from 'react';
import clsx from 'clsx';
import type { AgentProgress, LabStatus } from '../../../agent/api';
import { useCourseData } from '../../plugins/course-data/client';
import { fetchLabsProgress } from '../LabCheck/agent';
import styles from './styles.module.css';

type Labs = AgentProgress['labs'];

/** Every lab's progress, or undefined while asking and when the agent does not answer. */
export function useLabsProgress(): Labs | undefined {
  const { agent } = useCourseData();
  const [labs, setLabs] = useState<Labs | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void fetchLabsProgress(agent.url).then((answer) => live && setLabs(answer.kind === 'ok' ? answer.value.labs : undefined));
    return () => {
      live = false;
    };
  }, [agent.url]);
  return labs;
}

const labels: Record<LabStatus, string> = { passed: '✓ passed', 'in-progress': 'in progress', 'not-started': 'not started' };

export function LabStatusBadge({ lab, progress }: { lab: number; progress: Labs | undefined }): ReactNode {
  const entry = progress?.find((l) => l.number === lab);
  if (!entry) return null;
  const score = entry.maxScore ? ` · best ${entry.score}/${entry.maxScore}` : '';
  return (
    <span className={clsx(styles.status, styles[entry.status])} data-testid="lab-status" data-status={entry.status}>
      {labels[entry.status]}
      {entry.status === 'in-progress' && score}
    </span>
  );
}
