/**
 * The home page: what the course is, the three commands, and the twelve modules.
 */
import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import Layout from '@theme/Layout';
import CodeBlock from '@theme/CodeBlock';
import CourseModules from '../components/CourseModules';
import { useCourseData } from '../plugins/course-data/client';
import styles from './index.module.css';

export default function Home(): ReactNode {
  const firstLab = useCourseData().labs[0];
  return (
    <Layout title="A hands-on observability course" description="Prometheus, Loki and Tempo on your machine, and labs graded from the telemetry itself.">
      <header className={styles.hero}>
        <div className="container">
          <h1>o11y-lab-kit</h1>
          <p className={styles.tagline}>
            Observability, hands on: a real Prometheus, Loki, Tempo and Grafana stack on your own machine, guided labs, and checks that grade your work from the
            telemetry itself — with PromQL, LogQL and TraceQL.
          </p>
          <CodeBlock language="sh">{['npm install', firstLab?.commands.start ?? 'npm run lab:list', 'npm run check'].join('\n')}</CodeBlock>
          <Link className="button button--primary button--lg" to="/docs/getting-started">
            Get started
          </Link>{' '}
          <Link className="button button--secondary button--lg" to="/docs/architecture">
            How the stack fits together
          </Link>
        </div>
      </header>
      <main className="container margin-vert--lg">
        <h2>Twelve modules, two labs each</h2>
        <CourseModules />
      </main>
    </Layout>
  );
}
