/**
 * A journey whose `emit` triggers itself again runs into EMIT_DEPTH_LIMIT on the real runtime:
 * the chain stops with a failed instance that says why, instead of running until memory ends.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { EMIT_DEPTH_LIMIT } from '../engine/run-nodes.js';
import { createRuntime } from './create-runtime.js';
import { loadProjectGraph } from './load-project-graph.js';
import { createVirtualClock } from './virtual-clock.js';

const root = mkdtempSync(join(tmpdir(), 'herald-emit-chain-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a chain of emits', () => {
  it('stops at EMIT_DEPTH_LIMIT with a failed instance naming the loop', async () => {
    mkdirSync(join(root, 'journeys'), { recursive: true });
    writeFileSync(join(root, 'herald.yaml'), 'project: emit-chain\ndefaults: { locale: en, timezone: UTC }\nevents:\n  a.happened:\n    fields: { subjectId: string, n: number }\n');
    writeFileSync(
      join(root, 'journeys/again.journey.yaml'),
      `journey: again
trigger: { event: a.happened, reentry: always }
steps:
  - emit: { event: a.happened, data: { subjectId: trigger.subjectId, n: "trigger.n + 1" } }
`,
    );
    const { ir, diagnostics } = loadProjectGraph(root);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const clock = createVirtualClock(Date.UTC(2026, 0, 5, 10));
    const runtime = createRuntime({ driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }), graph: ir!, projectRoot: root, clock, pool: { threads: 1, logLevel: 'silent' } });
    await runtime.start();
    try {
      await runtime.ingest({ type: 'a.happened', data: { subjectId: 'c-1', n: 0 } });
      await runtime.runUntilIdle(runtime.now() + 60_000);
      const instances = await runtime.findInstances({ journey: 'again' });
      expect(instances).toHaveLength(EMIT_DEPTH_LIMIT + 1);
      const failed = instances.filter((i) => i.status === 'failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]!.exitReason).toMatch(/loop through emit/);
      expect(failed[0]!.vars['trigger']).toMatchObject({ n: EMIT_DEPTH_LIMIT });
      expect(instances.filter((i) => i.status === 'completed')).toHaveLength(EMIT_DEPTH_LIMIT);
    } finally {
      await runtime.stop();
    }
  });

  it('does not route an emitted event whose data does not fit its declared type, and logs the fields', async () => {
    const dir = join(root, 'typed');
    mkdirSync(join(dir, 'journeys'), { recursive: true });
    writeFileSync(
      join(dir, 'herald.yaml'),
      'project: emit-typed\ndefaults: { locale: en, timezone: UTC }\nevents:\n  a.happened:\n    fields: { subjectId: string, p: any? }\n  b.happened:\n    fields: { subjectId: string, n: number }\n',
    );
    writeFileSync(join(dir, 'journeys/j.journey.yaml'), 'journey: j\ntrigger: { event: a.happened, reentry: always }\nsteps:\n  - emit: { event: b.happened, data: { subjectId: trigger.subjectId, n: trigger.p } }\n');
    writeFileSync(join(dir, 'journeys/k.journey.yaml'), 'journey: k\ntrigger: { event: b.happened, reentry: always }\nsteps:\n  - set: { doubled: "trigger.n * 2" }\n');
    const { ir, diagnostics } = loadProjectGraph(dir);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const errors: string[] = [];
    const log = { debug() {}, info() {}, warn() {}, error: (m: string) => errors.push(m) };
    const clock = createVirtualClock(Date.UTC(2026, 0, 5, 10));
    const runtime = createRuntime({ driver: createEmbeddedDriver({ path: ':memory:', clock: () => clock.now() }), graph: ir!, projectRoot: dir, clock, log, pool: { threads: 1, logLevel: 'silent' } });
    await runtime.start();
    try {
      await runtime.ingest({ type: 'a.happened', data: { subjectId: 'c-1', p: 'lots' } });
      await runtime.ingest({ type: 'a.happened', data: { subjectId: 'c-2', p: 21 } });
      await runtime.runUntilIdle(runtime.now() + 60_000);
      const k = await runtime.findInstances({ journey: 'k' });
      expect(k.map((i) => [i.subjectId, i.status, i.vars['doubled']])).toEqual([['c-2', 'completed', 42]]);
      expect(errors).toEqual([expect.stringMatching(/^emitted event .* \(b\.happened\) does not match its declared type, not routed: \/n must be a number, got a string \("lots"\)/)]);
      expect(await runtime.metrics()).toMatch(/herald_events_rejected_total\{type="b\.happened"\} 1/);
    } finally {
      await runtime.stop();
    }
  });
});
