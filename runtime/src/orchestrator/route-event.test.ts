import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../driver/embedded/index.js';
import { createRuntime, type Runtime } from './create-runtime.js';
import { makeTestProject } from './orchestrator-test-project.js';
import type { RoutingDecision } from './route-event.js';
import { createVirtualClock } from './virtual-clock.js';

// The worker pool runs the built worker: `npx tsc -b runtime` first.
const T0 = Date.UTC(2030, 0, 1, 12, 0);

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A runtime whose journey starts on order.shipped (not for orderId "skip", once at a time per subject) and then waits for order.delivered. */
async function routedRuntime(
  crm: boolean,
  trigger = `trigger: { event: order.shipped, when: 'event.orderId != "skip"', reentry: after-exit }`,
): Promise<{ runtime: Runtime; told: RoutingDecision[] }> {
  const project = makeTestProject({ reentry: 'after-exit', ...(crm ? { crm: { 's-1': { name: 'Ann' } } } : {}) });
  cleanup.push(() => rmSync(project.root, { recursive: true, force: true }));
  const config = readFileSync(join(project.root, 'herald.yaml'), 'utf8');
  project.write(
    'herald.yaml',
    config
      // A subject id may be left out (an event about no one subject); an empty one is refused at ingest.
      .replace('order.shipped:\n    fields: { subjectId: string, orderId: string }', 'order.shipped:\n    fields: { subjectId: string?, orderId: string }')
      .replace('events:\n', 'events:\n  order.delivered:\n    fields: { subjectId: string?, orderId: string }\n  order.returned:\n    fields: { subjectId: string }\n'),
  );
  project.write(
    'journeys/shipped.journey.yaml',
    `journey: shipped
${trigger}
steps:
  - id: tell
    send: shipped
  - id: wait-delivery
    wait: { event: order.delivered, match: "event.orderId == trigger.orderId", timeout: 1d }
    onEvent: done
    onTimeout: done
  - id: done
    exit: done
`,
  );
  const clock = createVirtualClock(T0);
  const told: RoutingDecision[] = [];
  const runtime = createRuntime({
    driver: createEmbeddedDriver({ path: ':memory:', clock: clock.now }),
    graph: project.compile(),
    projectRoot: project.root,
    clock,
    pool: { threads: 1, logLevel: 'silent' },
    onRouted: (d) => told.push(d),
  });
  await runtime.start();
  cleanup.push(() => runtime.stop());
  await runtime.putSubject({ id: 's-1', contacts: { email: 'ann@example.com' } });
  return { runtime, told };
}

/** Posts an event and routes it (at ingest, or by its `event` job with a subject source); returns what onRouted was told. */
async function route(setup: { runtime: Runtime; told: RoutingDecision[] }, type: string, data: Record<string, unknown>, id?: string) {
  const result = await setup.runtime.ingest({ type, data, ...(id ? { id } : {}) });
  expect(result.ok).toBe(true);
  await setup.runtime.tick();
  return setup.told.splice(0).map(({ event, ...rest }) => ({ ...rest, type: event.type }));
}

describe.each([
  ['routed at ingest', false],
  ['routed by an event job (subject.source)', true],
])('routeEvent tells onRouted what it decided (%s)', (_name, crm) => {
  it('started, not started (reentry, trigger.when, no subject id), and heard by nobody', async () => {
    const setup = await routedRuntime(crm);
    const [started] = await route(setup, 'order.shipped', { subjectId: 's-1', orderId: 'o-1' }, 'ship-1');
    expect(started).toEqual({ kind: 'started', type: 'order.shipped', journey: 'shipped', subjectId: 's-1', instanceId: expect.stringContaining('ship-1') });
    const instanceId = (started as { instanceId: string }).instanceId;

    expect(await route(setup, 'order.shipped', { subjectId: 's-1', orderId: 'o-2' })).toEqual([
      { kind: 'not-started', type: 'order.shipped', journey: 'shipped', subjectId: 's-1', cause: 'reentry', reason: `reentry after-exit: instance ${instanceId} is still active` },
    ]);
    expect(await route(setup, 'order.shipped', { subjectId: 's-2', orderId: 'skip' })).toEqual([
      { kind: 'not-started', type: 'order.shipped', journey: 'shipped', subjectId: 's-2', cause: 'condition', reason: 'trigger.when is false' },
    ]);
    expect(await route(setup, 'order.shipped', { orderId: 'o-3' })).toEqual([
      { kind: 'not-started', type: 'order.shipped', journey: 'shipped', subjectId: null, cause: 'no-subject-id', reason: expect.stringContaining('subjectId') },
    ]);
    expect(await route(setup, 'order.delivered', { orderId: 'o-1' })).toEqual([{ kind: 'no-subject-id', type: 'order.delivered', path: 'subjectId' }]);
    // An empty id names no subject: refused before routing, naming the field.
    expect(await setup.runtime.ingest({ type: 'order.delivered', data: { subjectId: '', orderId: 'o-1' } })).toMatchObject({
      ok: false,
      errors: [{ path: '/subjectId', message: expect.stringContaining('must not be empty') }],
    });
    expect(await route(setup, 'order.delivered', { subjectId: 's-2', orderId: 'o-1' })).toEqual([{ kind: 'unheard', type: 'order.delivered', subjectId: 's-2', awaited: true }]);
    expect(await route(setup, 'order.returned', { subjectId: 's-1' })).toEqual([{ kind: 'unheard', type: 'order.returned', subjectId: 's-1', awaited: false }]);
    // An event that reaches a waiting instance says what the instance did with it: not taken (its match is false), taken.
    const reached = { kind: 'reached', type: 'order.delivered', journey: 'shipped', subjectId: 's-1', instanceId, at: 'wait-delivery', waiting: true };
    expect(await route(setup, 'order.delivered', { subjectId: 's-1', orderId: 'o-999' })).toEqual([{ ...reached, outcome: 'ignored' }]);
    expect(await route(setup, 'order.delivered', { subjectId: 's-1', orderId: 'o-1' })).toEqual([{ ...reached, outcome: 'taken' }]);
  });

  it('trigger.key: one live instance per key, a key of its own starts, no key starts nothing', async () => {
    const setup = await routedRuntime(crm, `trigger: { event: order.shipped, key: 'event.orderId == "none" ? null : event.orderId', reentry: after-exit }`);
    const [first] = await route(setup, 'order.shipped', { subjectId: 's-1', orderId: 'o-1' }, 'ship-1');
    expect(first).toMatchObject({ kind: 'started', subjectId: 's-1' });
    const firstId = (first as { instanceId: string }).instanceId;
    expect((await setup.runtime.getInstance(firstId))?.key).toBe('o-1');

    expect(await route(setup, 'order.shipped', { subjectId: 's-1', orderId: 'o-1' })).toEqual([
      { kind: 'not-started', type: 'order.shipped', journey: 'shipped', subjectId: 's-1', cause: 'reentry', reason: `reentry after-exit: instance ${firstId} (key o-1) is still active` },
    ]);
    const [second] = await route(setup, 'order.shipped', { subjectId: 's-1', orderId: 'o-2' }, 'ship-2');
    expect(second).toMatchObject({ kind: 'started', subjectId: 's-1', instanceId: expect.stringContaining('ship-2') });
    expect(await route(setup, 'order.shipped', { subjectId: 's-1', orderId: 'none' })).toEqual([
      { kind: 'not-started', type: 'order.shipped', journey: 'shipped', subjectId: 's-1', cause: 'no-key', reason: 'trigger.key `event.orderId == "none" ? null : event.orderId` gave null, not a key' },
    ]);

    // o-1's instance ends: the same key may start again.
    await route(setup, 'order.delivered', { subjectId: 's-1', orderId: 'o-1' });
    expect(await route(setup, 'order.shipped', { subjectId: 's-1', orderId: 'o-1' }, 'ship-3')).toEqual([
      { kind: 'started', type: 'order.shipped', journey: 'shipped', subjectId: 's-1', instanceId: expect.stringContaining('ship-3'), key: 'o-1' },
    ]);
    const keys = (await setup.runtime.findInstances({ journey: 'shipped', subjectId: 's-1' })).map((i) => [i.key, i.status]).sort();
    expect(keys).toEqual([['o-1', 'active'], ['o-1', 'exited'], ['o-2', 'active']]);
  });

  it('tells nothing about a re-posted event id: the API answers it as a duplicate', async () => {
    const setup = await routedRuntime(crm);
    expect(await route(setup, 'order.shipped', { subjectId: 's-1', orderId: 'o-1' }, 'ship-1')).toHaveLength(1);
    const again = await setup.runtime.ingest({ type: 'order.shipped', id: 'ship-1', data: { subjectId: 's-1', orderId: 'o-1' } });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    await setup.runtime.tick();
    expect(setup.told).toEqual([]);
  });
});
