/**
 * A link to a lab's page by number — or, in a build that leaves the lab's module out (or before the lab's page is
 * written), its title alone, so shared pages never hold a broken link.
 */
import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import { useLab, useModuleBuilt } from '../../plugins/course-data/client';

export default function LabLink({ lab: number }: { lab: number }): ReactNode {
  const lab = useLab(number);
  const built = useModuleBuilt();
  const label = `Lab ${lab.number}: ${lab.title}`;
  return lab.path && built(lab.module) ? <Link to={lab.path}>{label}</Link> : <em>{label}</em>;
}
