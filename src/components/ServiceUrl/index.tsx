/**
 * A service's address in running text (the course site and the lab agent included), from stack/services.ts and
 * stack/versions.yaml:
 * <ServiceUrl name="prometheus" path="/targets" /> → http://127.0.0.1:9090/targets. With `bare`, host:port only
 * (what a scrape target or an OTLP endpoint wants) and no link; otherwise a link that opens it.
 */
import type { ReactNode } from 'react';
import { useAddresses } from '../../plugins/course-data/client';

export default function ServiceUrl({ name, path = '', bare = false }: { name: string; path?: string; bare?: boolean }): ReactNode {
  const address = useAddresses()[name];
  if (!address) throw new Error(`ServiceUrl: no service "${name}"`);
  const url = `${address}${path}`;
  if (bare) return <code>{url.replace(/^\w+:\/\//, '')}</code>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer">
      <code>{url}</code>
    </a>
  );
}
