/**
 * The classic Mermaid component, wrapped (swizzled): drawn anew, under a new id, whenever the colour mode
 * changes. The original renders again under the same id when a dark-scheme page switches from the light
 * default after hydration; the two renders of one id overlap inside Mermaid, and several diagrams of the
 * architecture page came out empty. Keyed by the colour mode, the old render's element is gone with it.
 *
 * Each diagram is drawn at its own size in a box that scrolls sideways; the box takes keyboard focus so that
 * arrow keys can scroll it too (WCAG 2.1.1: a scrolling region must be reachable without a mouse).
 */
import type { ReactNode } from 'react';
import { useColorMode } from '@docusaurus/theme-common';
import Mermaid from '@theme-original/Mermaid';
import type MermaidType from '@theme/Mermaid';
import type { WrapperProps } from '@docusaurus/types';

type Props = WrapperProps<typeof MermaidType>;

export default function MermaidWrapper(props: Props): ReactNode {
  const { colorMode } = useColorMode();
  return (
    <div className="diagram-scroll" tabIndex={0} role="group" aria-label="Diagram (scrolls sideways when wider than the page)">
      <Mermaid key={colorMode} {...props} />
    </div>
  );
}
