/**
 * A module's labs, for its landing page: the ones that exist link to their page (when this build includes
 * it), the planned ones say "coming soon". Built from the curriculum and the lab catalogue. Under the list, how
 * to start one — or, in a module with no lab yet, where the next lab to do is, so the page is no dead end.
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
  const ready = module.labs.some((l) => l.status === 'available');
  // The first later module of this build with a lab ready (the course reads in order).
  const next = modules.find((m) => m.number > module.number && built(m.id) && m.labs.some((l) => l.status === 'available'));
  return (
    <>
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
    {ready ? (
      <p>
        Start a lab with the command under it; <code>npm run lab:list</code> lists every lab that exists.
      </p>
    ) : (
      <p data-testid="module-no-labs">
        No lab of this module is ready yet: read on in the modules around it.
        {next && (
          <>
            {' '}
            The next module with a lab is <Link to={`/docs/${next.slug}`}>{`${next.id.slice(0, 2)} · ${next.title}`}</Link>.
          </>
        )}
      </p>
    )}
    </>
  );
}
