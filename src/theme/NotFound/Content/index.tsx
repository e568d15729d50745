/**
 * The site's 404 page (swizzled from the classic theme's NotFound/Content): says where to go instead of the
 * stock "contact the owner of the site" — the course is on this machine, and its pages are listed from here.
 */
import type { ReactNode } from 'react';
import clsx from 'clsx';
import Link from '@docusaurus/Link';
import Heading from '@theme/Heading';

export default function NotFoundContent({ className }: { className?: string }): ReactNode {
  return (
    <main className={clsx('container margin-vert--xl', className)}>
      <div className="row">
        <div className="col col--6 col--offset-3">
          <Heading as="h1" className="hero__title">
            No such page in the course
          </Heading>
          <p>The link may name a lab that is not written yet, or a module this build does not include.</p>
          <ul>
            <li>
              <Link to="/">All modules and their labs</Link>
            </li>
            <li>
              <Link to="/docs/getting-started">Getting started</Link>
            </li>
            <li>
              <Link to="/docs/reference/cli">Every command</Link>
            </li>
          </ul>
          <p>Or search the course with the box at the top of the page.</p>
        </div>
      </div>
    </main>
  );
}
