/**
 * The course site: Docusaurus 3, docs only (no blog, no search service), Mermaid diagrams, offline full-text
 * search (@easyops-cn/docusaurus-search-local: the index is built with the site and searched in the browser, no
 * network at build or run time), and the local course-data plugin that feeds the pages from the lab definitions,
 * stack/versions.yaml and the command table.
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
import { addressesOf, remarkAddresses } from './src/plugins/course-data/addresses.ts';
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
  favicon: 'img/favicon.svg',
  // A link to a page that is not built fails the build: one-module builds prove that shared pages stand alone.
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  // Every page is a folder with an index.html (/docs/x/ is docs/x/index.html): any static file server serves
  // that, redirecting /docs/x to /docs/x/ (npm run site:serve does too; python3 -m http.server as well).
  trailingSlash: true,
  i18n: { defaultLocale: 'en', locales: ['en'] },
  // Rspack and SWC instead of webpack, Babel and Terser (faster needs the v4 flags): much quicker builds on a laptop.
  future: { v4: true, faster: true },

  markdown: {
    mermaid: true,
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
    // Lab pages and module landing pages take their titles from the definitions, not from hand-written front matter.
    parseFrontMatter: async (params) => {
      const result = await params.defaultParseFrontMatter(params);
      return { ...result, frontMatter: { ...result.frontMatter, ...frontMatterFor(params.filePath, data, modules) } };
    },
  },

  themes: [
    ['@docusaurus/theme-classic', { customCss: './src/css/custom.css' }],
    '@docusaurus/theme-mermaid',
    [
      '@easyops-cn/docusaurus-search-local',
      // Lessons only (docs/): the home page lists the modules, which the module pages hold too.
      { indexDocs: true, indexBlog: false, indexPages: false, docsRouteBasePath: 'docs', hashed: true, highlightSearchTermsOnTargetPage: false, searchBarShortcutHint: false },
    ],
  ],
  plugins: [
    [
      '@docusaurus/plugin-content-docs',
      {
        path: 'docs',
        routeBasePath: 'docs',
        sidebarPath: './sidebars.ts',
        include: docsInclude,
        showLastUpdateTime: false,
        // `{prometheus}` in any code of a lesson becomes the service's address (Shell does it for its blocks).
        remarkPlugins: [[remarkAddresses, { addresses: addressesOf(data) }]],
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
        // Plain links, each active on its own page only: as doc items of one sidebar, both lit up together.
        { to: '/docs/getting-started/', label: 'Getting started', position: 'left', activeBaseRegex: '^/docs/getting-started/?$' },
        {
          type: 'dropdown',
          label: 'Modules',
          position: 'left',
          items: curriculum
            .filter((m) => modules.includes(m.id))
            .map((m) => ({ type: 'docSidebar', sidebarId: m.id, label: `${m.id.slice(0, 2)} · ${m.title}` })),
        },
        { to: '/docs/architecture/', label: 'Architecture', position: 'left', activeBaseRegex: '^/docs/architecture/?$' },
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
    // Diagrams at their own size, in a box that scrolls sideways (src/css/custom.css), not shrunk to the column:
    // the architecture diagrams are wider than any column, and their text would be a few pixels tall.
    mermaid: { theme: { light: 'neutral', dark: 'dark' }, options: { flowchart: { useMaxWidth: false }, sequence: { useMaxWidth: false } } },
    docs: { sidebar: { hideable: true } },
  },
} satisfies Config;
