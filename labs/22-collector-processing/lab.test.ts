/**
 * Lab 22 without an engine (the catalogue already checks its queries and the objectives its mistakes name):
 * the reference overlay, merged over the kit's gateway config as compose renders it, gives the pipelines the
 * lesson describes; the starter merges cleanly; the hash the check expects is the one the attributes processor
 * writes; and the slips of the mistakes still apply (mistakes.ts makes them as it loads).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { goDurationMs, lagMs, lokiName, sha256, traceKey, window } from '../../checks/builders/processed.ts';
import { repoRoot } from '../../lib/paths.ts';
import { composeValues } from '../../stack/compose/model.ts';
import { applyOverlay } from '../../stack/overlay.ts';
import { renderTemplate } from '../../stack/render.ts';
import { labFile } from '../api.ts';
import { mistakes } from './mistakes.ts';
import { reference } from './solution.ts';

type Pipelines = Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
const kit = readFileSync(join(repoRoot, 'stack', 'config', 'otelcol', 'otelcol.yaml'), 'utf8');
const values = composeValues('otelcol');
const merged = (overlay: string) => parse(applyOverlay(renderTemplate(kit, values, 'otelcol.yaml'), overlay, values, 'workspace/otelcol/processing.yaml')) as { processors: Record<string, unknown>; receivers: Record<string, unknown>; service: { pipelines: Pipelines } };

describe('lab 22', () => {
  it('has its mistakes, made from the reference', () => expect(mistakes.length).toBeGreaterThanOrEqual(3));

  it("merges the reference over the kit's gateway: its processors in both pipelines, the kit's receivers and exporters kept", () => {
    const config = merged(reference);
    const { traces, logs, metrics } = config.service.pipelines;
    expect(traces!.processors).toEqual(['memory_limiter', 'attributes/redact', 'tail_sampling', 'batch']);
    expect(logs!.processors).toEqual(['memory_limiter', 'attributes/redact', 'batch']);
    expect(logs!.receivers).toEqual(['otlp', 'file_log/shop']);
    expect(traces!.exporters).toEqual(['otlp_grpc/tempo']);
    expect(metrics!.processors).toEqual(['memory_limiter', 'batch']);
    expect(Object.keys(config.processors).sort()).toEqual(['attributes/redact', 'batch', 'memory_limiter', 'tail_sampling']);
    expect(Object.keys(config.receivers).sort()).toEqual(['file_log/shop', 'otlp']);
  });

  it('starts from a file that merges cleanly and processes nothing', () => {
    const config = merged(readFileSync(labFile('22-collector-processing', 'starter/otelcol/processing.yaml'), 'utf8'));
    expect(config.service.pipelines.traces!.processors).toEqual(['memory_limiter', 'batch']);
    expect(config.service.pipelines.logs!.receivers).toEqual(['otlp', 'file_log/shop']);
    expect(Object.keys(config.processors).sort()).toEqual(['batch', 'memory_limiter']);
  });

  it("expects SHA-256 in hex, as the attributes processor's hash action writes it", () => {
    // What otelcol-lab 0.159.0's attributes processor wrote for user.id "u-1001" (its debug exporter, 2026-12-04).
    expect(sha256('u-1001')).toBe('1bee97acdddc9ff5bca4d04ea02cfd05e4b460aa4aa00e0e5fb32a4a5f1d5ccc');
    expect(sha256('test')).toBe('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
  });

  it("compares Tempo's trace ids with the log's and names attributes as Loki does", () => {
    expect(traceKey('ABC')).toBe(`${'0'.repeat(29)}abc`);
    expect(lokiName('payment.card_number')).toBe('payment_card_number');
  });

  it("looks a tail decision ago: the longest decision wait of the student's samplers, plus 15 s", () => {
    const workspace = mkdtempSync(join(tmpdir(), 'lab22-'));
    mkdirSync(join(workspace, 'otelcol'));
    const withProcessors = (processors: string) => writeFileSync(join(workspace, 'otelcol', 'processing.yaml'), `processors:\n${processors}`);
    withProcessors('  tail_sampling:\n    decision_wait: 10s\n');
    expect(lagMs(workspace)).toBe(25_000);
    withProcessors('  tail_sampling:\n    decision_wait: 10s\n  tail_sampling/slow:\n    decision_wait: 1m\n');
    expect(lagMs(workspace)).toBe(75_000);
    withProcessors('  tail_sampling:\n    policies: []\n'); // the processor's own default, 30 s
    expect(lagMs(workspace)).toBe(45_000);
    withProcessors('  attributes/redact:\n    actions: []\n');
    expect(lagMs(workspace)).toBe(15_000);
    writeFileSync(join(workspace, 'otelcol', 'processing.yaml'), 'processors: [unclosed');
    expect(lagMs(workspace)).toBe(45_000);
    expect(lagMs(join(workspace, 'nowhere'))).toBe(45_000);
    expect([goDurationMs('1m30s'), goDurationMs('500ms'), goDurationMs('10'), goDurationMs(10)]).toEqual([90_000, 500, undefined, undefined]);
  });

  it('waits until the window after the change is long enough, and ends it a tail decision ago', () => {
    const now = 1_000_000;
    expect(window({ endpoints: {}, workspace: '', appliedAt: now - 50_000 }, now)).toHaveProperty('waiting');
    expect(window({ endpoints: {}, workspace: '', appliedAt: now - 120_000 }, now)).toEqual({ start: now - 115_000, end: now - 45_000 });
  });
});
