/**
 * The stack as a Mermaid diagram, drawn from stack/services.ts and stack/versions.yaml: every service with its
 * address, grouped by where its engine comes from, and where the course site and the lab agent sit. The
 * data-flow diagrams on the architecture page are written by hand; this one cannot go stale.
 */
import type { ReactNode } from 'react';
import Mermaid from '@theme/Mermaid';
import { useCourseData } from '../../plugins/course-data/client';
import type { ServiceFacts, SiteData } from '../../../course/types';

export default function StackDiagram(): ReactNode {
  return <Mermaid value={stackDiagram(useCourseData())} />;
}

/** Engine origins, in the order the columns are drawn. */
const groups: { title: string; sources: string[] }[] = [
  { title: 'official releases', sources: ['release'] },
  { title: 'OS packages', sources: ['system'] },
  { title: 'this repository, on Node.js', sources: ['node'] },
  { title: 'Docker Compose only', sources: ['compose'] },
];

const id = (name: string) => name.replace(/[^A-Za-z0-9]/g, '_');
const hostPort = (url: string) => url.replace(/^\w+:\/\//, '');
const box = (name: string, title: string, url: string) => `${id(name)}["${title.replace(/"/g, "'")}<br/><small>${hostPort(url)}</small>"]`;

export function stackDiagram(data: SiteData): string {
  const column = (title: string, services: ServiceFacts[], index: number) => [
    `      subgraph g${index}["${title}"]`,
    '        direction TB',
    ...services.map((s) => `        ${box(s.name, s.title, s.url)}`),
    '      end',
  ];
  // Subgraphs keep their own direction only while no edge reaches inside them: edges end at the subgraphs.
  return [
    'flowchart TB',
    '  student(["you: browser and terminal"])',
    '  subgraph host["your machine — everything listens on 127.0.0.1"]',
    '    direction TB',
    '    subgraph kit["the course"]',
    '      direction LR',
    `      ${box('site', 'course site', data.site.url)}`,
    `      ${box('agent', 'lab agent', data.agent.url)}`,
    '    end',
    '    subgraph stack["the stack: native processes or Docker Compose"]',
    '      direction LR',
    ...groups.flatMap((group, index) => {
      const services = data.services.filter((s) => group.sources.includes(s.source));
      return services.length > 0 ? column(group.title, services, index) : [];
    }),
    '    end',
    '  end',
    '  student -- "reads, presses Check my work" --> kit',
    '  student -- "npm run …" --> stack',
    '  kit -- "PromQL · LogQL · TraceQL" --> stack',
  ].join('\n');
}
