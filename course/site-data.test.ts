/**
 * The facts the course site is built from agree with the definitions they come from, a lab the curriculum does
 * not plan is refused, and nothing a student should not see before grading (a check's query, a hint) leaves the
 * grader. (That every lab and module has its page: src/plugins/course-data/front-matter.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { loadLabs } from '../labs/catalogue.ts';
import { curriculum } from '../labs/curriculum.ts';
import { commands } from '../scripts/commands/index.ts';
import { loadVersions } from '../stack/versions.ts';
import { checkAgainstCurriculum, collectSiteData } from './site-data.ts';

const data = await collectSiteData();
const labs = await loadLabs();

describe('the curriculum', () => {
  it('refuses a lab whose number, slug or module differs from the plan, naming its file', () => {
    const lab = { number: 4, slug: 'red-recording-rules', module: '02-metrics', id: '04-red-recording-rules' };
    expect(() => checkAgainstCurriculum([lab], curriculum)).not.toThrow();
    expect(() => checkAgainstCurriculum([{ ...lab, slug: 'red-rules' }], curriculum)).toThrow('labs/04-red-recording-rules/lab.ts: slug "red-rules" but the curriculum plans "red-recording-rules" as lab 4');
    expect(() => checkAgainstCurriculum([{ ...lab, module: '03-load-testing' }], curriculum)).toThrow(/module "03-load-testing" but the curriculum puts lab 4 in "02-metrics"/);
    expect(() => checkAgainstCurriculum([{ ...lab, number: 99 }], curriculum)).toThrow(/lab 99 is not in the curriculum/);
  });
});

describe('the exported site data', () => {
  it('lists every lab with its objectives’ ids, titles and points', () => {
    expect(data.labs.map((l) => l.number)).toEqual(labs.map((l) => l.number));
    for (const lab of labs) {
      const facts = data.labs.find((l) => l.number === lab.number)!;
      expect(facts.objectives).toEqual(lab.objectives.map(({ id, title, points }) => ({ id, title, points })));
      expect(facts.maxScore).toBe(lab.objectives.reduce((sum, o) => sum + o.points, 0));
      expect(facts.commands).toMatchObject({ start: `npm run lab:start ${lab.number}`, check: 'npm run check' });
      if (facts.path) expect(facts.path).toBe(`/docs/${lab.module.replace(/^\d+-/, '')}/${lab.slug}`);
    }
  });

  it('never carries a query sent to an engine, nor a hint', () => {
    const json = JSON.stringify(data);
    const inJson = (text: string) => json.includes(JSON.stringify(text).slice(1, -1));
    for (const objective of labs.flatMap((l) => l.objectives)) {
      // A file check's "query" is the path of the file to edit, which the page does show.
      if (!['workspace', 'answer'].includes(objective.check.source)) expect(inJson(objective.check.query), `${objective.id}: query`).toBe(false);
      expect(inJson(objective.hint), `${objective.id}: hint`).toBe(false);
    }
  });

  it('marks the planned labs of each module as coming soon and the others as available', () => {
    const metrics = data.modules.find((m) => m.id === '02-metrics')!;
    for (const lab of metrics.labs) expect(lab.status).toBe(labs.some((l) => l.number === lab.number) ? 'available' : 'coming-soon');
  });

  it('has every port of stack/versions.yaml once, the site and the lab agent included', () => {
    const pinned = [...loadVersions().values()].flatMap((e) => Object.values(e.ports)).sort((a, b) => a - b);
    expect(data.ports.map((p) => p.port)).toEqual(pinned);
    expect(data.agent.url).toBe(`http://127.0.0.1:${loadVersions().get('lab-agent')!.ports.http}`);
    expect(data.site.url).toBe(`http://127.0.0.1:${loadVersions().get('course-site')!.ports.http}`);
    expect(data.site.port).not.toBe(loadVersions().get('grafana')!.ports.http);
  });

  it('lists as a lab\'s files everything its starter copies in, answers apart', () => {
    for (const lab of labs) {
      const facts = data.labs.find((l) => l.number === lab.number)!;
      const shown = [...facts.files.workspace, ...(facts.files.answers ? [facts.files.answers] : [])];
      expect(shown, lab.id).toEqual(expect.arrayContaining([...lab.starterFiles, ...lab.workspace.yaml]));
    }
    expect(data.labs.find((l) => l.number === 5)!.files.workspace).toContain('k6/first-test.ts');
    expect(data.labs.find((l) => l.number === 17)!.files.workspace).toContain('influxdb/humidity.lp');
  });

  it('says per service what differs between native and Docker, from the service table and versions.yaml', () => {
    const of = (name: string) => data.services.find((s) => s.name === name)!.runtimes;
    // Prometheus built from source has no web UI (its pages come with the release and the image only).
    expect(of('prometheus').native).toMatch(/release archive, or built from source — then without its web UI/);
    expect(of('prometheus').compose).toBe(`the image ${loadVersions().get('prometheus')!.image}`);
    expect(of('cadvisor')).toMatchObject({ native: 'not available: it needs Docker', nativeLog: '—' });
    expect(of('postgres').native).toMatch(/operating system's package/);
    expect(of('shop').compose).toMatch(/demo image/);
    for (const service of data.services) {
      expect(service.runtimes.composeLog).toBe(`docker compose logs ${service.name}`);
      if (service.native) expect(service.runtimes.nativeLog).toBe(`.lab/logs/${service.name}.log`);
    }
  });

  it('explains every exit code in words', () => {
    for (const e of data.exitCodes) expect(e.meaning, e.name).toMatch(/^[A-Z].{20,}\.$/);
  });

  it('has the command table as the CLI runs it', () => {
    expect(data.commands).toEqual(commands.map(({ name, usage, summary }) => ({ name, usage, summary })));
    expect(data.commands.map((c) => c.name)).toEqual(expect.arrayContaining(['lab:agent', 'site:build', 'site:start']));
  });
});
