/**
 * The twelve modules as cards, for the home page: title, what it teaches, its labs and how many exist. Modules
 * that this build does not include are shown without a link.
 */
import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import { useCourseData, useModuleBuilt } from '../../plugins/course-data/client';
import { LabStatusBadge, useLabsProgress } from '../LabProgress';
import styles from './styles.module.css';

export default function CourseModules(): ReactNode {
  const { modules } = useCourseData();
  const built = useModuleBuilt();
  const progress = useLabsProgress();
  return (
    <div className={styles.grid} data-testid="course-modules">
      {modules.map((m) => {
        const available = m.labs.filter((l) => l.status === 'available').length;
        const title = `${m.id.slice(0, 2)} · ${m.title}`;
        return (
          <article key={m.id} className={styles.card}>
            <h3>{built(m.id) ? <Link to={`/docs/${m.slug}`}>{title}</Link> : title}</h3>
            <p>{m.teaches}</p>
            <ul>
              {m.labs.map((l) => (
                <li key={l.number}>
                  Lab {l.number} · {l.title}
                  {l.status === 'coming-soon' && <span className={styles.soon}> — coming soon</span>} <LabStatusBadge lab={l.number} progress={progress} />
                </li>
              ))}
            </ul>
            <p className={styles.count}>{available === 0 ? 'labs coming soon' : `${available} of ${m.labs.length} labs ready`}</p>
          </article>
        );
      })}
    </div>
  );
}
