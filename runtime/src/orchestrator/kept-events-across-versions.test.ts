/**
 * Kept events across graph versions: which of a subject's instances keep an event for a later
 * `wait` is up to each instance's own version. After a deploy whose journey no longer waits for
 * a type (or no longer exists), an instance still on the earlier version keeps it all the same.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Driver } from '../driver/driver.js';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime, type Runtime } from './create-runtime.js';
import { makeTestProject, type TestProject } from './orchestrator-test-project.js';
import { createVirtualClock, type VirtualClock } from './virtual-clock.js';

// No journey here sends: nothing runs in the worker pool's threads (the built runtime).
const T0 = Date.UTC(2030, 0, 1, 12, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const V1 = `journey: shipped
trigger: { event: order.shipped, reentry: always }
steps:
  - id: pause
    wait: 1h
  - id: wait-delivery
    wait: { event: order.delivered, match: "event.orderId == trigger.orderId", timeout: 1d }
    onEvent: delivered
    onTimeout: late
  - id: late
    exit: late
  - id: delivered
    exit: delivered
`;

/** v2 of the same journey: it no longer waits for order.delivered. */
const V2_NO_WAIT = `journey: shipped
trigger: { event: order.shipped, reentry: always }
steps:
  - id: pause
    wait: 1h
  - id: done
    exit: done
`;

/** v2 without the journey: another one takes its trigger; nothing waits for order.delivered. */
const V2_OTHER = `journey: other
trigger: { event: order.shipped, reentry: always }
steps:
  - id: pause
    wait: 1h
  - id: done
    exit: done
`;

/** The test project with order.delivered declared and v1's journey. */
function projectOnV1(): TestProject {
  const p = makeTestProject();
  cleanup.push(() => rmSync(p.root, { recursive: true, force: true }));
  const config = readFileSync(join(p.root, 'herald.yaml'), 'utf8');
  p.write('herald.yaml', config.replace('events:\n', 'events:\n  order.delivered:\n    fields: { subjectId: string, orderId: string }\n'));
  p.write('journeys/shipped.journey.yaml', V1);
  return p;
}

interface Recorded {
  /** Instance ids told an event, by event id. */
  readonly told: Map<string, string[]>;
}

/**
 * Records which instances were told an event: the subject's instances take it in the unit that
 * routes it at ingest (rows written beside the event id), others by an `instance` job.
 */
function recording(inner: Driver, recorded: Recorded): Driver {
  const tell = (eventId: string, instanceId: string) => recorded.told.set(eventId, [...(recorded.told.get(eventId) ?? []), instanceId]);
  return {
    ...inner,
    commit: (unit) => {
      for (const { job } of unit.enqueue ?? []) {
        if (job.kind === 'instance' && job.input.kind === 'event') tell(job.input.event.id, job.instanceId);
      }
      for (const eventId of unit.events ?? []) {
        for (const { instance, expectedSeq } of unit.instances ?? []) if (expectedSeq !== null) tell(eventId, instance.id);
      }
      return inner.commit(unit);
    },
  };
}

async function start(p: TestProject, path: string, clock: VirtualClock, recorded: Recorded): Promise<Runtime> {
  const runtime = createRuntime({
    driver: recording(createEmbeddedDriver({ path, clock: clock.now }), recorded),
    graph: p.compile(),
    projectRoot: p.root,
    clock,
    pool: { threads: 1, logLevel: 'silent' },
  });
  await runtime.start();
  return runtime;
}

describe.each([
  ['the journey of the current graph no longer waits for the type', (p: TestProject) => p.write('journeys/shipped.journey.yaml', V2_NO_WAIT)],
  [
    'the current graph no longer has the journey',
    (p: TestProject) => {
      rmSync(join(p.root, 'journeys', 'shipped.journey.yaml'));
      p.write('journeys/other.journey.yaml', V2_OTHER);
    },
  ],
])('an instance on an earlier graph version keeps an event its version waits for later (%s)', (_name, deployV2) => {
  it('keeps order.delivered during its timed wait, and its wait takes it after the hour', async () => {
    const p = projectOnV1();
    const path = join(p.root, 'state', 'herald.db');
    const clock = createVirtualClock(T0);
    const recorded: Recorded = { told: new Map() };

    const v1 = await start(p, path, clock, recorded);
    await v1.putSubject({ id: 's-1' });
    await v1.ingest({ type: 'order.shipped', id: 'ship-1', data: { subjectId: 's-1', orderId: 'o-1' } });
    await v1.runUntilIdle(T0 + MINUTE);
    const [old] = await v1.findInstances({ subjectId: 's-1' });
    expect(old).toMatchObject({ journey: 'shipped', status: 'active', at: 'pause' });
    await v1.stop();

    deployV2(p);
    const v2 = await start(p, path, clock, recorded);
    cleanup.push(() => v2.stop());
    expect(v2.graph.version).not.toBe(old!.version);
    // An instance of the current version, which does not wait for order.delivered: not told.
    await v2.ingest({ type: 'order.shipped', id: 'ship-2', data: { subjectId: 's-1', orderId: 'o-2' } });
    await v2.runUntilIdle(T0 + 10 * MINUTE);
    const fresh = (await v2.findInstances({ subjectId: 's-1' })).find((i) => i.id !== old!.id)!;
    expect(fresh.version).toBe(v2.graph.version);

    // The delivery comes while the v1 instance sits in its `wait: 1h`.
    const ingested = await v2.ingest({ type: 'order.delivered', id: 'delivered-1', data: { subjectId: 's-1', orderId: 'o-1' } });
    expect(ingested).toMatchObject({ ok: true, duplicate: false });
    await v2.tick();
    expect(recorded.told.get('delivered-1')).toEqual([old!.id]);
    const keeping = (await v2.getInstance(old!.id))!;
    expect(keeping).toMatchObject({ status: 'active', at: 'pause', inbox: [{ id: 'delivered-1' }] });
    expect(keeping.history.map((h) => h.note)).toContain('kept order.delivered (delivered-1) for a later wait');

    // After the hour its wait takes the kept event at once, instead of timing out a day later.
    await v2.runUntilIdle(T0 + 2 * DAY);
    const done = (await v2.getInstance(old!.id))!;
    expect(done).toMatchObject({ status: 'exited', exitReason: 'delivered' });
    expect(done.updatedAt).toBe(T0 + HOUR);
  });
});

describe('a deploy that renames a channel earlier instances send on', () => {
  it('is warned about at start, naming the version and the channel', async () => {
    const p = projectOnV1();
    const path = join(p.root, 'state', 'herald.db');
    const clock = createVirtualClock(T0);
    const v1 = await start(p, path, clock, { told: new Map() });
    await v1.putSubject({ id: 's-1' });
    await v1.ingest({ type: 'order.shipped', id: 'ship-1', data: { subjectId: 's-1', orderId: 'o-1' } });
    await v1.runUntilIdle(T0 + MINUTE);
    const [old] = await v1.findInstances({ subjectId: 's-1' });
    await v1.stop();

    p.write('herald.yaml', readFileSync(join(p.root, 'herald.yaml'), 'utf8').replace('\n  sms:\n', '\n  text:\n'));
    p.write('policies/standard.policy.yaml', readFileSync(join(p.root, 'policies/standard.policy.yaml'), 'utf8').replace('[email, sms]', '[email, text]'));
    const warnings: string[] = [];
    const v2 = createRuntime({
      driver: createEmbeddedDriver({ path, clock: clock.now }),
      graph: p.compile(),
      projectRoot: p.root,
      clock,
      pool: { threads: 1, logLevel: 'silent' },
      log: { debug() {}, info() {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });
    await v2.start();
    cleanup.push(() => v2.stop());
    expect(warnings).toEqual([
      `herald: active instances on graph ${old!.version.slice(0, 19)} send on channel \`sms\`, which this project no longer configures (it has \`email\`, \`text\`): their messages on it will fail. Keep the old channel name configured until those instances end (docs/operations.md, "Deploying a change")`,
    ]);
  });
});
