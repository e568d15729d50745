/**
 * The course site: Docusaurus 3, docs only (no blog, no search service), Mermaid diagrams, and the local
 * course-data plugin that feeds the pages from the lab definitions, stack/versions.yaml and the command table.
 * Reference: https://docusaurus.io/docs/api/docusaurus-config
 *
 * `npm run site:build -- --module 02` builds one module (plus the shared pages) by setting O11Y_SITE_MODULES;
 * everything below that depends on the selection reads it through selectedModules().
 */
import type { Config } from '@docusaurus/types';
import type { Options as DocsOptions } from '@docusaurus/plugin-content-docs';
import courseDataPlugin, { type CourseDataOptions } from './src/plugins/course-data/index.ts';
import { curriculum } from './labs/curriculum.ts';
import { frontMatterFor } from './src/plugins/course-data/front-matter.ts';
import { loadSiteData } from './src/plugins/course-data/load.ts';
import { selectedModules } from './labs/modules.ts';

const modules = selectedModules();
const data = loadSiteData();

/** Shared pages, in every build; module folders only when selected. */
const docsInclude = ['*.{md,mdx}', 'reference/**/*.{md,mdx}', 'instructors/**/*.{md,mdx}', ...modules.map((m) => `${m}/**/*.{md,mdx}`)];

export default {
  title: 'o11y-lab-kit',
  tagline: 'Observability, hands on: a real Prometheus, Loki and Tempo stack on your machine, and labs graded from the telemetry itself.',
  url: data.site.url,
  baseUrl: '/',
  // A link to a page that is not built fails the build: one-module builds prove that shared pages stand alone.
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  trailingSlash: false,
  i18n: { defaultLocale: 'en', locales: ['en'] },
  // Rspack and SWC instead of webpack, Babel and Terser (faster needs the v4 flags): much quicker builds on a laptop.
  future: { v4: true, faster: true },

  markdown: {
    mermaid: true,
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
    // Lab pages and module landing pages take their titles from the definitions, not from hand-written front matter.
    parseFrontMatter: async (params) => {
      const result = await params.defaultParseFrontMatter(params);
      return { ...result, frontMatter: { ...result.frontMatter, ...frontMatterFor(params.filePath, data) } };
    },
  },

  themes: [['@docusaurus/theme-classic', { customCss: './src/css/custom.css' }], '@docusaurus/theme-mermaid'],
  plugins: [
    [
      '@docusaurus/plugin-content-docs',
      {
        path: 'docs',
        routeBasePath: 'docs',
        sidebarPath: './sidebars.ts',
        include: docsInclude,
        showLastUpdateTime: false,
      } satisfies DocsOptions,
    ],
    '@docusaurus/plugin-content-pages',
    [courseDataPlugin, { initial: data, modules } satisfies CourseDataOptions],
  ],

  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: {
      title: 'o11y-lab-kit',
      items: [
        { type: 'doc', docId: 'getting-started', label: 'Getting started', position: 'left' },
        {
          type: 'dropdown',
          label: 'Modules',
          position: 'left',
          items: curriculum
            .filter((m) => modules.includes(m.id))
            .map((m) => ({ type: 'docSidebar', sidebarId: m.id, label: `${m.id.slice(0, 2)} · ${m.title}` })),
        },
        { type: 'doc', docId: 'architecture', label: 'Architecture', position: 'left' },
        { type: 'docSidebar', sidebarId: 'reference', label: 'Reference', position: 'left' },
        { type: 'docSidebar', sidebarId: 'instructors', label: 'Instructors', position: 'right' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Course',
          items: [
            { label: 'Getting started', to: '/docs/getting-started' },
            { label: 'All modules', to: '/' },
          ],
        },
        {
          title: 'Reference',
          items: [
            { label: 'Ports', to: '/docs/reference/ports' },
            { label: 'Commands', to: '/docs/reference/cli' },
            { label: 'Architecture', to: '/docs/architecture' },
          ],
        },
        { title: 'Teaching', items: [{ label: 'Instructor guide', to: '/docs/instructors' }] },
      ],
      copyright: 'o11y-lab-kit — a hands-on observability course. Everything runs on your machine.',
    },
    mermaid: { theme: { light: 'neutral', dark: 'dark' } },
    docs: { sidebar: { hideable: true } },
  },
} satisfies Config;
