/**
 * What differs between running the stack natively and with Docker, per service: where its program comes from
 * (and what a source build lacks, such as Prometheus's web UI) and where its log is. Generated from
 * stack/services.ts and stack/versions.yaml (course/site-data.ts, runtimeFacts), so it stays true as the stack
 * changes. Without `services`, every service of the stack.
 */
import type { ReactNode } from 'react';
import { useCourseData } from '../../plugins/course-data/client';

export default function RuntimeDifferences({ services: names }: { services?: string[] }): ReactNode {
  const { services } = useCourseData();
  const shown = names ? services.filter((s) => names.includes(s.name)) : services;
  return (
    <>
      <table data-testid="runtime-differences">
        <thead>
          <tr>
            <th>service</th>
            <th>natively</th>
            <th>with Docker</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((s) => (
            <tr key={s.name}>
              <td>{s.title}</td>
              <td>
                {s.runtimes.native}
                {s.native && (
                  <>
                    ; log in <code>{s.runtimes.nativeLog}</code>
                  </>
                )}
              </td>
              <td>
                {s.runtimes.compose}; log from <code>{s.runtimes.composeLog}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Either way every address is the same, on <code>127.0.0.1</code>, and <code>npm run stack:logs &lt;service&gt;</code> prints a service's log.
      </p>
    </>
  );
}
