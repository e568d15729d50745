/**
 * The lab page's "Check my work", end to end: lab 4 started on the test stack (which starts the lab agent), the
 * built course site served on 127.0.0.1, headless Chromium opens the lab page, presses the button, and sees the
 * real check report — one row per objective, each ✓ or ✗ (or ! / – for errors and skips) — from the live engines.
 * The screenshot is kept in test-results/lab-check.png. The agent also refuses pages from any other origin.
 *
 * Needs Debian's chromium (/usr/bin/chromium; .ci/run installs it). The site is built for module 02 only, into
 * .lab/test/site-e2e/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLabs } from '../labs/catalogue.ts';
import { repoRoot } from '../lib/paths.ts';
import { port } from '../stack/versions.ts';
import { agentUrl, stopAgent } from '../lifecycle/agent.ts';
import { buildSite } from '../scripts/site.ts';
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

/** Serves a built Docusaurus site: /docs/x is docs/x.html (trailingSlash: false), / is index.html. */
function serveStatic(root: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.ico': 'image/x-icon' };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    for (const candidate of [path, `${path}.html`, join(path, 'index.html')]) {
      const file = join(root, candidate);
      try {
        if (statSync(file).isFile()) {
          res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
          return res.end(readFileSync(file));
        }
      } catch {
        /* next candidate */
      }
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end(readFileSync(join(root, '404.html')));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

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
    statSync(chromiumPath); // fails here, naming the path, where chromium is missing: apt-get install chromium
    rmSync(siteDir, { recursive: true, force: true });
    const built = await buildSite({ modules: ['02-metrics'], outDir: join(siteDir, 'build'), generatedDir: join(siteDir, 'generated'), logFile: join(siteDir, 'build.log') });
    server = await serveStatic(built.outDir);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // An agent left by an earlier test file answers other origins only; lab:start starts one for this site.
    await stopAgent(testEnv);
    const start = await runCli(['lab:start', '4'], { ...testEnv, O11Y_AGENT_ORIGINS: origin });
    expect(start.code, start.stderr).toBe(0);
    expect(start.stderr).toContain(`lab agent on ${agentUrl()}`);

    profile = mkdtempSync(join(tmpdir(), 'o11y-chromium-'));
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 1000 },
    });
    page = await browser.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
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
