/**
 * The facts of one lab, from its definition: module, what to run, the services it starts (with their URLs),
 * the files to edit, and the objectives with their points. Never a check's query or a hint.
 */
import type { ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';
import { useLab } from '../../plugins/course-data/client';
import type { LabFacts as LabFactsData } from '../../../course/types';
import RuntimeDifferences from '../RuntimeDifferences';
import styles from './styles.module.css';

export default function LabFacts({ lab: number }: { lab: number }): ReactNode {
  const lab = useLab(number);
  return (
    <section className={styles.facts} data-testid="lab-facts">
      <p className={styles.summary}>{lab.summary}</p>
      <dl className={styles.meta}>
        <dt>Lab</dt>
        <dd>
          {lab.number} · <code>{lab.slug}</code>
        </dd>
        <dt>Module</dt>
        <dd>
          {lab.module.slice(0, 2)} · {lab.moduleTitle}
        </dd>
        <dt>Points</dt>
        <dd>{lab.maxScore}</dd>
        {lab.load && (
          <>
            <dt>Load</dt>
            <dd>
              k6 runs <code>k6/{lab.load.script}</code> in the background: {lab.load.rate} shoppers per second
            </dd>
          </>
        )}
      </dl>

      <h3>Start, check, start over</h3>
      <CodeBlock language="sh">{commandLines(lab)}</CodeBlock>

      <h3>Services</h3>
      <table>
        <thead>
          <tr>
            <th>service</th>
            <th>what it is for</th>
            <th>address</th>
          </tr>
        </thead>
        <tbody>
          {lab.services.map((s) => (
            <tr key={s.name}>
              <td>{s.title}</td>
              <td>{s.role}</td>
              <td>
                <a href={s.url} target="_blank" rel="noopener noreferrer">
                  <code>{s.url}</code>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3>Native or Docker: what differs</h3>
      <RuntimeDifferences services={lab.services.map((s) => s.name)} />

      <h3>Your files</h3>
      <ul>
        {lab.files.workspace.map((file) => (
          <li key={file}>
            <code>workspace/{file}</code>
          </li>
        ))}
        {lab.files.answers && (
          <li>
            <code>workspace/{lab.files.answers}</code> — your answers
          </li>
        )}
      </ul>

      <h3>Objectives</h3>
      <table className={styles.objectives}>
        <thead>
          <tr>
            <th>objective</th>
            <th className={styles.points}>points</th>
          </tr>
        </thead>
        <tbody>
          {lab.objectives.map((o) => (
            <tr key={o.id}>
              <td>{o.title}</td>
              <td className={styles.points}>{o.points}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>total</td>
            <td className={styles.points}>{lab.maxScore}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

/** The lab's commands, each with a comment saying what it does, the comments lined up. */
function commandLines(lab: LabFactsData): string {
  const lines: [string, string][] = [
    [lab.commands.start, "starts the stack, sets the lab up and starts its load"],
    [lab.commands.check, 'grades your work from the live telemetry'],
    [lab.commands.reset, 'puts the starter files back (your files are backed up first)'],
  ];
  const width = Math.max(...lines.map(([command]) => command.length));
  return lines.map(([command, what]) => `${command.padEnd(width)}   # ${what}`).join('\n');
}
