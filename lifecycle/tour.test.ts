/**
 * The stack tour's plan and its scrape file, read without starting anything (tests/tour.test.ts runs it on the
 * real engines).
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTemplate, renderValues } from '../stack/render.ts';
import { loadVersions } from '../stack/versions.ts';
import { tourScrapeJobs } from '../stack/tour-scrape.ts';
import { planTour } from './tour.ts';

const fresh = { requested: [], workspaceScrapeFiles: [], k6Installed: true };

describe('planTour', () => {
  it('tours a plain stack:up before any lab: scrape, logs and shoppers', () => {
    expect(planTour(fresh)).toEqual({ scrape: true, load: true, notes: [] });
  });

  it('is no tour once a lab is started, or when only some services were asked for', () => {
    expect(planTour({ ...fresh, startedLab: '04-red-recording-rules' }).skipped).toMatch(/lab 04-red-recording-rules is started/);
    expect(planTour({ ...fresh, requested: ['prometheus'] }).skipped).toBeDefined();
  });

  it("leaves scraping to the student's own scrape files, and says why there are no shoppers without k6", () => {
    const plan = planTour({ ...fresh, workspaceScrapeFiles: ['shop.yml'], k6Installed: false });
    expect(plan).toMatchObject({ scrape: false, load: false });
    expect(plan.notes).toEqual([expect.stringContaining('shop.yml'), expect.stringContaining('npm run engines:install k6')]);
  });
});

describe('tourScrapeJobs', () => {
  it("labels the demo services' targets as the labs' own jobs do (job=shop, job=inventory), at the runtime's addresses", () => {
    const values = renderValues(loadVersions().values(), { listen: '127.0.0.1', hostOf: () => '127.0.0.1', dirs: { data: '/d', config: '/c', run: '/r', workspace: '/w', logs: '/l' } });
    const config = parse(renderTemplate(tourScrapeJobs, values, 'tour.yml')) as { scrape_configs: { job_name: string; static_configs: { targets: string[]; labels: Record<string, string> }[] }[] };
    expect(config.scrape_configs.map((job) => job.job_name)).toEqual(['tour']);
    expect(config.scrape_configs[0]!.static_configs).toEqual([
      { targets: ['127.0.0.1:8080'], labels: { job: 'shop' } },
      { targets: ['127.0.0.1:8081'], labels: { job: 'inventory' } },
    ]);
  });
});
