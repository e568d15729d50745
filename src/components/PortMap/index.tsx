/**
 * Every port of the stack, from stack/versions.yaml, with the services that bind it (stack/services.ts).
 * Everything listens on 127.0.0.1 only.
 */
import type { ReactNode } from 'react';
import { useCourseData } from '../../plugins/course-data/client';
import styles from './styles.module.css';

const runsLabel = { 'native and compose': 'native and Docker', 'compose only': 'Docker only', node: 'Node.js (this repository)' } as const;

export default function PortMap(): ReactNode {
  const { ports, services } = useCourseData();
  const titleOf = (name: string) => services.find((s) => s.name === name)?.title ?? name;
  return (
    <table className={styles.ports} data-testid="port-map">
      <thead>
        <tr>
          <th className={styles.port}>port</th>
          <th>used by</th>
          <th>engine · port name</th>
          <th>runs</th>
        </tr>
      </thead>
      <tbody>
        {ports.map((p) => (
          <tr key={p.port}>
            <td className={styles.port}>
              <code>{p.port}</code>
            </td>
            <td>{p.services.length > 0 ? p.services.map(titleOf).join(', ') : p.engine}</td>
            <td>
              <code>
                {p.engine}.{p.name}
              </code>
            </td>
            <td>{runsLabel[p.runs]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
