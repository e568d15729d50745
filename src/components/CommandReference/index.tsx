/**
 * The CLI reference, from the command table in scripts/commands/index.ts (the same `usage` and `summary` that
 * the CLI prints), and the exit codes of lib/errors.ts.
 */
import type { ReactNode } from 'react';
import { useCourseData } from '../../plugins/course-data/client';
import styles from './styles.module.css';

export default function CommandReference(): ReactNode {
  const { commands } = useCourseData();
  return (
    <dl className={styles.commands} data-testid="command-reference">
      {commands.map((c) => (
        <div key={c.name} className={styles.command} id={c.name.replace(':', '-')}>
          <dt>
            <code>{c.usage}</code>
          </dt>
          <dd>{c.summary}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The exit codes every command uses, each with what it means. */
export function ExitCodes(): ReactNode {
  const { exitCodes } = useCourseData();
  return (
    <table>
      <thead>
        <tr>
          <th>code</th>
          <th>what it means</th>
        </tr>
      </thead>
      <tbody>
        {exitCodes.map((e) => (
          <tr key={e.code}>
            <td>
              <code>{e.code}</code>
            </td>
            <td>{e.meaning}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
