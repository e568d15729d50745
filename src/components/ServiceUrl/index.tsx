/**
 * A service's address in running text (the course site and the lab agent included), from stack/services.ts and
 * stack/versions.yaml:
 * <ServiceUrl name="prometheus" path="/targets" /> → http://127.0.0.1:9090/targets. With `bare`, host:port only
 * (what a scrape target or an OTLP endpoint wants).
 */
import type { ReactNode } from 'react';
import { useAddresses } from '../../plugins/course-data/client';

export default function ServiceUrl({ name, path = '', bare = false }: { name: string; path?: string; bare?: boolean }): ReactNode {
  const address = useAddresses()[name];
  if (!address) throw new Error(`ServiceUrl: no service "${name}"`);
  const url = `${address}${path}`;
  return <code>{bare ? url.replace(/^\w+:\/\//, '') : url}</code>;
}
