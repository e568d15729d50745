/**
 * The course site in headless Chromium, built once (every module) into .lab/test/site-e2e/ and served on
 * 127.0.0.1 the way `npm run site:serve` serves it:
 *
 * - without engines: every lab page (and the other kinds of page) at phone width (390 px) without sideways
 *   overflow and without an unreplaced `{service}` placeholder; axe-core's WCAG 2 A/AA rules (contrast, labels,
 *   names…) on a page of each kind, light and dark; the offline search finds a lab page for "recording rule".
 * - with lab 4's engines: the lab page's "Check my work", end to end — lab 4 started on the test stack (which
 *   starts the lab agent), the page presses the button and sees the real check report, one row per objective,
 *   each ✓ or ✗ (or ! / – for errors and skips), from the live engines. The screenshot is kept in
 *   test-results/lab-check.png. The agent also refuses pages from any other origin.
 *
 * Needs Debian's chromium (/usr/bin/chromium; .ci/run installs it).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabs } from '../labs/catalogue.ts';
import { repoRoot } from '../lib/paths.ts';
import { port } from '../stack/versions.ts';
import { agentUrl, stopAgent } from '../lifecycle/agent.ts';
import { buildSite, type BuildResult } from '../scripts/site.ts';
import { serveSite } from '../scripts/serve.ts';
import { collectSiteData } from '../course/site-data.ts';
import { addressesOf } from '../src/plugins/course-data/addresses.ts';
import { allModules } from '../labs/modules.ts';
import { runCli } from './support/cli.ts';
import { testEnv } from './support/stack.ts';
import { catalogue, labEngines } from '../lifecycle/labs.ts';
import { readProgress } from '../lifecycle/progress.ts';
import { missingEngines, needsEngines } from './support/engines.ts';

// The page is graded on lab 4, started on the test stack: it needs that lab's engines.
const lab4Engines = labEngines((await catalogue()).find((lab) => lab.number === 4)!);
const lab4Missing = missingEngines(lab4Engines);

const chromiumPath = '/usr/bin/chromium';
const siteDir = join(repoRoot, '.lab', 'test', 'site-e2e');
const lab = (await loadLabs()).find((l) => l.number === 4)!;

const browserArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The site, built once for both groups of tests (a full build: about a minute without the bundler's cache). */
let built: Promise<BuildResult> | undefined;
function site(): Promise<BuildResult> {
  built ??= (async () => {
    statSync(chromiumPath); // fails here, naming the path, where chromium is missing: apt-get install chromium
    rmSync(siteDir, { recursive: true, force: true });
    return buildSite({ modules: allModules, outDir: join(siteDir, 'build'), generatedDir: join(siteDir, 'generated'), logFile: join(siteDir, 'build.log') });
  })();
  return built;
}

async function serve(): Promise<{ server: Server; origin: string }> {
  const server = await serveSite((await site()).outDir, 0);
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const closeServer = (server: Server | undefined) => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));

describe('the course site in a browser', () => {
  const data = collectSiteData();
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ server, origin } = await serve());
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: browserArgs });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await closeServer(server);
  });

  /** One page of each kind, for the checks that need not see every page. */
  const kinds = ['/', '/docs/getting-started', '/docs/architecture', '/docs/metrics', '/docs/dashboards', '/docs/metrics/red-recording-rules', '/docs/reference/ports', '/docs/reference/cli', '/docs/no-such-page'];

  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${origin}${path}`);
    await page.waitForLoadState('networkidle');
    // Mermaid draws after the page loads: wait for the diagrams, whose width counts (and which, in the dark
    // scheme, src/theme/Mermaid keeps from coming out empty).
    await page.waitForFunction(() => [...document.querySelectorAll('.docusaurus-mermaid-container')].every((diagram) => diagram.querySelector('svg')), undefined, { timeout: 15_000 });
  }

  it('shows every lab page at phone width without sideways overflow or an unreplaced {service} placeholder or a command cut off, and with what differs natively and with Docker', async () => {
    const { labs } = await data;
    const names = Object.keys(addressesOf(await data));
    const placeholder = new RegExp(`\\{(${names.join('|')})\\}`);
    const paths = [...labs.flatMap((l) => (l.path ? [l.path] : [])), ...kinds];
    expect(labs.filter((l) => l.path).length).toBeGreaterThan(5);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const problems: string[] = [];
    for (const path of paths) {
      await open(page, path);
      const { scrollWidth, innerWidth, text } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, text: document.body.innerText }));
      if (scrollWidth > innerWidth) problems.push(`${path}: ${scrollWidth} px wide at ${innerWidth} px`);
      // Commands and their comments wrap: no code block hides part of a line behind a scroll bar.
      const cut = await page.locator('pre').evaluateAll((blocks) => blocks.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => (b.textContent ?? '').slice(0, 40)));
      for (const block of cut) problems.push(`${path}: code block cut off at ${innerWidth} px: "${block}…"`);
      const left = placeholder.exec(text);
      if (left) problems.push(`${path}: "${left[0]}" not replaced by its address`);
      // Each lab page says, service by service, what differs between native and Docker.
      const lab = labs.find((l) => l.path === path);
      const rows = lab ? await page.getByTestId('runtime-differences').locator('tbody tr').count() : 0;
      if (lab && rows !== lab.services.length) problems.push(`${path}: ${rows} rows in "what differs", for ${lab.services.length} services`);
    }
    await page.close();
    expect(problems).toEqual([]);
  }, 240_000);

  it('passes axe-core’s WCAG 2 A and AA rules — contrast, labels, names — on a page of each kind, light and dark', async () => {
    const problems: string[] = [];
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
      const page = await context.newPage();
      for (const path of kinds) {
        await open(page, path);
        const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        for (const v of violations) problems.push(`${colorScheme} ${path}: ${v.id} — ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
      }
      await context.close();
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it('walks like a student: no broken request (favicon included), the course 404, module names, links across modules, one active top-bar item, the files and addresses of a lab', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const broken: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/docs/no-such-page/') && !r.url().endsWith('/docs/no-such-page')) broken.push(`${r.status()} ${r.url()}`);
    });
    for (const path of kinds.filter((k) => k !== '/docs/no-such-page')) await open(page, path);
    expect(broken, 'every request of every page answers, the favicon included').toEqual([]);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/favicon/);

    // The course's own 404: says where to go, with status 404.
    const missing = await page.goto(`${origin}/docs/no-such-page`);
    expect(missing?.status()).toBe(404);
    expect(await page.locator('main').textContent()).toMatch(/Getting started|getting started/);

    // A module's landing page is named after its module in the sidebar and the breadcrumb, never "Overview".
    await open(page, '/docs/metrics');
    expect(await page.locator('.breadcrumbs').textContent()).not.toContain('Overview');
    expect(await page.locator('.menu').textContent()).not.toContain('Overview');

    // The last page of module 02 leads on to module 03.
    await open(page, '/docs/metrics/red-recording-rules');
    expect(await page.locator('.pagination-nav__link--next').getAttribute('href')).toMatch(/\/docs\/load-testing\/?/);
    // Service addresses are links; Your files lists what the starter copies in.
    expect(await page.locator('[data-testid="lab-facts"] a[href^="http://127.0.0.1:"]').count()).toBeGreaterThan(0);
    await open(page, '/docs/load-testing/k6-first-test');
    expect(await page.getByTestId('lab-facts').textContent()).toContain('workspace/k6/first-test.ts');
    await open(page, '/docs/influxdb/line-protocol-influxql');
    expect(await page.getByTestId('lab-facts').textContent()).toContain('workspace/influxdb/humidity.lp');
    // The tools come from the engine cache through npm run tool, never as if on the PATH.
    await open(page, '/docs/metrics/red-recording-rules');
    const lesson = (await page.locator('article').textContent()) ?? '';
    expect(lesson).toContain('npm run tool -- promtool');
    expect(lesson).not.toMatch(/(^|\n)\s*promtool (check|test) /);

    // A module with no lab yet is no dead end: it says so and links on to the next module that has one.
    await open(page, '/docs/dashboards');
    const none = page.getByTestId('module-no-labs');
    expect(await none.textContent()).toMatch(/No lab of this module is ready yet/);
    expect(await none.getByRole('link').getAttribute('href')).toMatch(/^\/docs\//);
    expect(await page.locator('main').textContent()).not.toContain('with the command under it');

    // Only the page's own item is active in the top bar.
    await open(page, '/docs/architecture');
    expect(await page.locator('.navbar__link--active').allTextContents()).toEqual(['Architecture']);
    // Diagrams are drawn at their own size (scrolling sideways in their box), never shrunk to unreadable text.
    const scales = await page.locator('.docusaurus-mermaid-container svg').evaluateAll((svgs) =>
      svgs.map((svg) => (svg as SVGSVGElement).getBoundingClientRect().width / ((svg as SVGSVGElement).viewBox.baseVal?.width || 1)),
    );
    expect(scales.length).toBeGreaterThan(0);
    for (const scale of scales) expect(scale).toBeGreaterThan(0.95);
    // The reference gives each exit code in words, not the kit's internal names.
    await open(page, '/docs/reference/cli');
    expect(await page.locator('main').textContent()).not.toMatch(/\bobjectivesFailed\b/);
    await page.close();
  }, 180_000);

  it('finds a lab page for "recording rule" in the offline search', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await open(page, '/docs/getting-started');
    const box = page.getByRole('combobox', { name: 'Search' }).or(page.locator('input[aria-label="Search"]')).first();
    await box.click();
    await box.pressSequentially('recording rule', { delay: 20 });
    const first = page.getByRole('option').first();
    await first.waitFor({ timeout: 20_000 });
    expect(await first.textContent()).toContain('Lab 4');
    await box.press('Enter');
    await page.waitForURL(/\/docs\/metrics\/red-recording-rules\//, { timeout: 10_000 });
    expect(outside, 'the search asks nothing of the network').toEqual([]);
    await page.close();
  }, 120_000);
});

/** A request to the agent as a page on `origin` would send it. */
function fromOrigin(origin: string, method: string, path: string): Promise<{ status: number; allowOrigin: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${agentUrl()}${path}`, { method, headers: { origin } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allowOrigin: res.headers['access-control-allow-origin'] as string | undefined }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('the lab page’s Check my work', () => {
  needsEngines(...lab4Engines);
  let server: Server;
  let origin: string;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    if (lab4Missing) return; // each test skips, naming the engine
    ({ server, origin } = await serve());

    // An agent left by an earlier test file answers other origins only; lab:start starts one for this site.
    await stopAgent(testEnv);
    const start = await runCli(['lab:start', '4'], { ...testEnv, O11Y_AGENT_ORIGINS: origin });
    expect(start.code, start.stderr).toBe(0);
    expect(start.stderr).toContain(`lab agent on ${agentUrl()}`);

    profile = mkdtempSync(join(tmpdir(), 'o11y-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: browserArgs,
      viewport: { width: 1280, height: 1000 },
    });
    page = await browser.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await closeServer(server);
    await stopAgent(testEnv);
  });

  it('lists the lab’s services with their state and links, and its objectives, before any check', async () => {
    await page.goto(`${origin}/docs/metrics/red-recording-rules`);
    await expect.poll(() => page.getByTestId('stack-badge').textContent(), { timeout: 20_000 }).toContain('stack ready');
    const services = page.getByTestId('lab-services').locator('li');
    await expect.poll(() => services.count()).toBe(lab.services.length);
    expect(await services.evaluateAll((items) => items.map((i) => i.getAttribute('data-state')))).toEqual(lab.services.map(() => 'ready'));
    const prometheus = page.getByTestId('lab-services').getByRole('link', { name: /^http:\/\/127\.0\.0\.1:\d+/ }).first();
    expect(await prometheus.getAttribute('href')).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const rows = page.getByTestId('objective-result');
    await expect.poll(() => rows.count()).toBe(lab.objectives.length);
    // Hints on request: folded until asked for.
    const hint = rows.first().locator('details');
    expect(await hint.getAttribute('open')).toBeNull();
    await hint.locator('summary').click();
    expect(await hint.textContent()).toContain(lab.objectives[0]!.hint);
  });

  it('shows every objective of lab 4 with ✓ or ✗ and its points, from the live stack', async () => {
    await page.getByRole('button', { name: 'Check my work' }).click();
    // Objectives that do not pass yet are looked at until their deadline (a minute for the slowest).
    await page.getByTestId('lab-check-report').waitFor({ timeout: 180_000 });
    const rows = page.getByTestId('objective-result');
    expect(await rows.count()).toBe(lab.objectives.length);
    const texts = await rows.allTextContents();
    lab.objectives.forEach((objective, i) => expect(texts[i]).toContain(objective.title));
    const outcomes = await rows.evaluateAll((elements) => elements.map((e) => e.getAttribute('data-outcome')));
    expect(outcomes.every((o) => o === 'pass' || o === 'fail' || o === 'error' || o === 'skipped'), outcomes.join(',')).toBe(true);
    expect(outcomes.some((o) => o === 'pass' || o === 'fail'), outcomes.join(',')).toBe(true);
    const symbols = texts.map((t) => t.trim()[0]);
    expect(symbols.some((s) => s === '✓' || s === '✗'), symbols.join(' ')).toBe(true);
    expect(await page.getByTestId('lab-check-report').textContent()).toMatch(/Score \d+\/\d+/);

    // The whole widget, button included: a full-page shot clipped to it keeps the sticky navbar off it.
    mkdirSync(join(repoRoot, 'test-results'), { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    const box = (await page.getByTestId('lab-check').boundingBox())!;
    await page.screenshot({ path: join(repoRoot, 'test-results', 'lab-check.png'), fullPage: true, clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: box.height + 16 } });
  }, 240_000);

  it('re-checks one objective on its own, and the module page shows the lab in progress', async () => {
    const first = lab.objectives[0]!;
    const checkedAt = () => readProgress(testEnv)[lab.id]?.objectives[first.id]?.at;
    const before = checkedAt();
    expect(before).toBeDefined();
    const button = page.getByRole('button', { name: `Re-check: ${first.title}` });
    await button.click();
    // The agent graded it again (the record moved on), and the button is free again.
    await expect.poll(checkedAt, { timeout: 120_000 }).not.toBe(before);
    await expect.poll(() => button.textContent(), { timeout: 10_000 }).toBe('Re-check');
    const outcome = await page.getByTestId('objective-result').first().getAttribute('data-outcome');
    expect(outcome).toBe(readProgress(testEnv)[lab.id]?.objectives[first.id]?.outcome);
    // No score line from a re-check of one objective: the score stays the whole check's.
    await page.goto(`${origin}/docs/metrics`);
    const status = page.getByTestId('lab-status').first();
    await status.waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="lab-status"]').evaluateAll((badges) => badges.map((b) => b.getAttribute('data-status')))).toContain('in-progress');
  }, 180_000);

  it('is answered for this site and refused, with 403 and no CORS header, for any other origin', async () => {
    const ours = await fromOrigin(origin, 'GET', '/api/lab');
    expect(ours).toEqual({ status: 200, allowOrigin: origin });
    for (const other of ['https://evil.example', `http://127.0.0.1:${port('course-site', 'http') + 100}`]) {
      expect(await fromOrigin(other, 'POST', '/api/check'), other).toEqual({ status: 403, allowOrigin: undefined });
    }
  });

  it('says plainly when the agent is not running, and which command starts it', async () => {
    await stopAgent(testEnv);
    await page.goto(`${origin}/docs/metrics/red-recording-rules`);
    const notice = page.getByTestId('agent-offline');
    await notice.waitFor({ timeout: 15_000 });
    expect(await notice.textContent()).toContain('The lab agent is not running');
    expect(await notice.textContent()).toContain('npm run lab:start 4');
  });
});
