/**
 * A shell snippet whose `{service}` placeholders become that service's address, from stack/services.ts and
 * stack/versions.yaml: `curl {prometheus}/api/v1/targets` → `curl http://127.0.0.1:9090/api/v1/targets`.
 * Lessons use it so that a port changed in versions.yaml changes every page.
 */
import type { ReactNode } from 'react';
import CodeBlock from '@theme/CodeBlock';
import { useAddresses } from '../../plugins/course-data/client';

export default function Shell({ children, title }: { children: string; title?: string }): ReactNode {
  const addresses = useAddresses();
  const text = children.trim().replace(/\{([a-z_-]+)\}/g, (match, name: string) => {
    const address = addresses[name];
    if (!address) throw new Error(`Shell: no service "${name}" in ${match}`);
    return address;
  });
  return (
    <CodeBlock language="sh" title={title}>
      {text}
    </CodeBlock>
  );
}
