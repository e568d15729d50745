/**
 * A module's labs, for its landing page: the ones that exist link to their page (when this build includes
 * it), the planned ones say "coming soon". Built from the curriculum and the lab catalogue.
 */
import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import { useCourseData, useModuleBuilt } from '../../plugins/course-data/client';
import { LabStatusBadge, useLabsProgress } from '../LabProgress';
import styles from './styles.module.css';

export default function ModuleLabs({ module: id }: { module: string }): ReactNode {
  const { modules, labs } = useCourseData();
  const built = useModuleBuilt();
  const progress = useLabsProgress();
  const module = modules.find((m) => m.id === id);
  if (!module) throw new Error(`ModuleLabs: no module "${id}" in the curriculum`);
  return (
    <ul className={styles.labs} data-testid="module-labs">
      {module.labs.map((planned) => {
        const lab = labs.find((l) => l.number === planned.number);
        return (
          <li key={planned.number} className={styles.lab}>
            <div className={styles.heading}>
              <span className={styles.number}>Lab {planned.number}</span>{' '}
              {lab?.path && built(lab.module) ? <Link to={lab.path}>{planned.title}</Link> : <strong>{planned.title}</strong>}{' '}
              {planned.status === 'coming-soon' ? (
                <span className="badge badge--secondary">coming soon</span>
              ) : (
                <span className="badge badge--success">{lab?.maxScore} points</span>
              )}{' '}
              <LabStatusBadge lab={planned.number} progress={progress} />
            </div>
            <p className={styles.summary}>{planned.summary}</p>
            {lab && (
              <p className={styles.start}>
                <code>{lab.commands.start}</code>
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
