/**
 * Service addresses in the lessons' Markdown: `{prometheus}` inside any code — inline code and code blocks alike,
 * not only <Shell> blocks — becomes http://127.0.0.1:9090 from stack/services.ts and stack/versions.yaml, so a
 * port changed in versions.yaml changes every page. Inline code that is then just an address (`{grafana}/explore`)
 * becomes a link to it. Names that are no service (`{job="shop"}`, a LogQL stream selector) are left alone.
 *
 * A remark plugin (https://docusaurus.io/docs/markdown-features/plugins), walking the Markdown tree by hand.
 */
import type { SiteData } from '../../../course/types.ts';

/** Every address a page may name: the stack's services, the course site and the lab agent. */
export function addressesOf(data: Pick<SiteData, 'services' | 'site' | 'agent'>): Record<string, string> {
  return { ...Object.fromEntries(data.services.map((s) => [s.name, s.url])), 'course-site': data.site.url, 'lab-agent': data.agent.url };
}

const placeholder = /\{([a-z][a-z0-9_-]*)\}/g;

/** `text` with every known `{service}` replaced by its address; unknown names stay as they are. */
export function substitute(text: string, addresses: Record<string, string>): string {
  return text.replace(placeholder, (match, name: string) => addresses[name] ?? match);
}

/** An address a browser can open: http(s)://127.0.0.1:port/… with nothing after it. */
const openable = /^https?:\/\/127\.0\.0\.1:\d+(\/[^\s<>"']*)?$/;

interface Node {
  type: string;
  value?: string;
  url?: string;
  children?: Node[];
}

export function remarkAddresses({ addresses }: { addresses: Record<string, string> }) {
  const visit = (node: Node, inLink: boolean): void => {
    for (const [i, child] of (node.children ?? []).entries()) {
      if ((child.type === 'inlineCode' || child.type === 'code') && child.value !== undefined) {
        const before = child.value;
        child.value = substitute(before, addresses);
        // Only what the page wrote as a placeholder becomes a link; a link inside a link is not HTML.
        if (child.type === 'inlineCode' && before !== child.value && !inLink && openable.test(child.value)) {
          node.children![i] = { type: 'link', url: child.value, children: [child] };
        }
      }
      visit(child, inLink || child.type === 'link');
    }
  };
  return (tree: Node) => visit(tree, false);
}
