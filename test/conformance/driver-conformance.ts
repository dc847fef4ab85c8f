/**
 * The driver conformance suite: what every Driver (runtime/src/driver/driver.ts) must do,
 * as tests. The embedded driver runs it in embedded.test.ts; the Redis driver runs the same
 * function with its own factory:
 *
 *   describeDriverConformance('redis', ({ clock }) => createRedisDriver({ url, prefix: uniquePrefix(), clock }), {
 *     reopen: (closed, { clock }) => createRedisDriver({ url, prefix: prefixOf(closed), clock }),
 *     cleanup: (driver) => dropKeys(prefixOf(driver)),
 *   });
 *
 * Each test gets a fresh, empty store from `makeDriver` and opens it itself. Time is virtual:
 * every method that takes `now` gets it from the test, and `env.clock` is the same virtual
 * time for the places where the interface passes none (queueDepth's live leases).
 *
 * The tests are written to fail on the bugs that matter: a unit applied in part (each
 * atomicity test puts the conflicting item last, after writes a non-atomic driver would
 * already have made), a job handed out twice, a lease that never expires, a page that repeats.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INVALID_CURSOR_CODE, type ArchiveWrite, type CommitOutcome, type Driver, type SentCount, type UnitOfWork } from '../../runtime/src/driver/driver.js';
import type { Delivery } from '../../runtime/src/delivery/types.js';
import type { Instance } from '../../runtime/src/engine/types.js';
import { eventJob, makeAttempt, makeContent, makeDelivery, makeGraph, makeInstance, T0, timerJob } from './fixtures.js';

export interface DriverTestEnv {
  /** The test's virtual time (epoch ms): give it to the driver as its clock. */
  readonly clock: () => number;
}

export interface DriverConformanceHooks {
  /**
   * Durable drivers: a new, not yet opened driver over the same store as `closed` (already
   * closed). Without it the close/re-open tests are skipped.
   */
  readonly reopen?: (closed: Driver, env: DriverTestEnv) => Promise<Driver>;
  /** After each test, with the last driver (closed): delete files, drop keys. */
  readonly cleanup?: (driver: Driver) => Promise<void>;
}

/** The text a duplicate event id's conflict starts with; ingest reports such a unit as a duplicate. */
export const DUPLICATE_EVENT_CONFLICT_PREFIX = 'duplicate event';

const LEASE = 30_000;

export function describeDriverConformance(
  name: string,
  makeDriver: (env: DriverTestEnv) => Promise<Driver>,
  hooks: DriverConformanceHooks = {},
): void {
  describe(`driver conformance: ${name}`, () => {
    let now = T0;
    const env: DriverTestEnv = { clock: () => now };
    let driver: Driver;

    beforeEach(async () => {
      now = T0;
      driver = await makeDriver(env);
      await driver.open();
    });

    afterEach(async () => {
      await driver.close();
      await hooks.cleanup?.(driver);
    });

    const commit = (unit: UnitOfWork): Promise<CommitOutcome> => driver.commit(unit);
    const mustCommit = async (unit: UnitOfWork): Promise<void> => {
      expect(await driver.commit(unit)).toEqual({ ok: true });
    };
    const mustConflict = async (unit: UnitOfWork): Promise<string> => {
      const outcome = await driver.commit(unit);
      expect(outcome.ok).toBe(false);
      return outcome.ok ? '' : outcome.conflict;
    };
    const create = (instance: Instance): Promise<void> => mustCommit({ instances: [{ instance, expectedSeq: null }] });
    const createDelivery = (delivery: Delivery): Promise<void> => mustCommit({ deliveries: [{ delivery, expectedUpdatedAt: null }] });
    const ids = (xs: readonly { readonly id: string }[]): string[] => xs.map((x) => x.id);
    const reservedIds = async (max: number, at: number, lease = LEASE): Promise<string[]> => ids(await driver.reserve(max, at, lease));

    describe('graphs', () => {
      it('loadGraph returns what saveGraph stored; an unknown version is undefined', async () => {
        const g1 = makeGraph('sha256:1111');
        const g2 = makeGraph('sha256:2222', 'welcome');
        await driver.saveGraph(g1);
        await driver.saveGraph(g2);
        expect(await driver.loadGraph('sha256:1111')).toEqual(g1);
        expect(await driver.loadGraph('sha256:2222')).toEqual(g2);
        expect(await driver.loadGraph('sha256:9999')).toBeUndefined();
      });

      it('saving a version again is harmless', async () => {
        const g = makeGraph('sha256:1111');
        await driver.saveGraph(g);
        await driver.saveGraph(g);
        expect(await driver.loadGraph('sha256:1111')).toEqual(g);
      });

      it('currentGraphVersion is undefined until set, then follows setCurrentGraphVersion', async () => {
        expect(await driver.currentGraphVersion()).toBeUndefined();
        await driver.saveGraph(makeGraph('sha256:1111'));
        await driver.saveGraph(makeGraph('sha256:2222'));
        await driver.setCurrentGraphVersion('sha256:1111');
        expect(await driver.currentGraphVersion()).toBe('sha256:1111');
        await driver.setCurrentGraphVersion('sha256:2222');
        expect(await driver.currentGraphVersion()).toBe('sha256:2222');
        // The old version stays loadable: instances started on it keep running on it.
        expect((await driver.loadGraph('sha256:1111'))?.version).toBe('sha256:1111');
      });

      it('setCurrentGraphVersion refuses a version that was never saved', async () => {
        await expect(driver.setCurrentGraphVersion('sha256:nope')).rejects.toThrow();
        expect(await driver.currentGraphVersion()).toBeUndefined();
      });
    });

    describe('subjects', () => {
      it('getSubject of an unknown id is undefined', async () => {
        expect(await driver.getSubject('nobody')).toBeUndefined();
      });

      it('putSubject creates a profile with empty contacts, channels and optOuts when not given', async () => {
        const stored = await driver.putSubject({ id: 'cust-1', locale: 'fr' });
        expect(stored).toEqual({ id: 'cust-1', locale: 'fr', contacts: {}, channels: [], optOuts: [] });
        expect(await driver.getSubject('cust-1')).toEqual(stored);
      });

      it('given fields replace the stored ones; fields not given are kept', async () => {
        await driver.putSubject({ id: 'cust-1', locale: 'fr', timezone: 'Europe/Paris', channels: ['email', 'sms'], plan: 'pro', optOuts: ['sms'] });
        const merged = await driver.putSubject({ id: 'cust-1', locale: 'de', channels: ['sms'], optOuts: [] });
        expect(merged).toEqual({ id: 'cust-1', locale: 'de', timezone: 'Europe/Paris', channels: ['sms'], plan: 'pro', optOuts: [], contacts: {} });
        expect(await driver.getSubject('cust-1')).toEqual(merged);
      });

      it('contacts merge per channel', async () => {
        await driver.putSubject({ id: 'cust-1', contacts: { email: 'ada@example.com', sms: '+33600000001' } });
        await driver.putSubject({ id: 'cust-1', contacts: { sms: '+33600000002', push: 'token-1' } });
        expect((await driver.getSubject('cust-1'))?.contacts).toEqual({ email: 'ada@example.com', sms: '+33600000002', push: 'token-1' });
      });

      it('a contact given as null removes that channel’s address, and only that one', async () => {
        await driver.putSubject({ id: 'cust-1', contacts: { email: 'ada@example.com', sms: '+33600000001' } });
        const merged = await driver.putSubject({ id: 'cust-1', contacts: { sms: null, push: 'token-1' } });
        expect(merged.contacts).toEqual({ email: 'ada@example.com', push: 'token-1' });
        expect((await driver.getSubject('cust-1'))?.contacts).toEqual({ email: 'ada@example.com', push: 'token-1' });
        await driver.putSubject({ id: 'cust-1', contacts: { fax: null } });
        expect((await driver.getSubject('cust-1'))?.contacts).toEqual({ email: 'ada@example.com', push: 'token-1' });
      });

      it('subjects are independent of each other', async () => {
        await driver.putSubject({ id: 'a', contacts: { email: 'a@example.com' } });
        await driver.putSubject({ id: 'b', contacts: { email: 'b@example.com' } });
        expect((await driver.getSubject('a'))?.contacts).toEqual({ email: 'a@example.com' });
      });
    });

    describe('instances', () => {
      it('create then get returns every field as given', async () => {
        const instance = makeInstance({ id: 'inst-1' });
        await create(instance);
        expect(await driver.getInstance('inst-1')).toEqual(instance);
        expect(await driver.getInstance('inst-2')).toBeUndefined();
      });

      it('creating an id that exists is a conflict and keeps the stored instance', async () => {
        await create(makeInstance({ id: 'inst-1', vars: { first: true } }));
        await mustConflict({ instances: [{ instance: makeInstance({ id: 'inst-1', vars: { first: false } }), expectedSeq: null }] });
        expect((await driver.getInstance('inst-1'))?.vars).toEqual({ first: true });
      });

      it('an update with the seq that was read succeeds; a stale seq is a conflict', async () => {
        await create(makeInstance({ id: 'inst-1', seq: 1 }));
        await mustCommit({ instances: [{ instance: makeInstance({ id: 'inst-1', seq: 2, at: 'b' }), expectedSeq: 1 }] });
        expect(await driver.getInstance('inst-1')).toMatchObject({ seq: 2, at: 'b' });
        // A second writer that read seq 1 loses.
        await mustConflict({ instances: [{ instance: makeInstance({ id: 'inst-1', seq: 2, at: 'c' }), expectedSeq: 1 }] });
        expect(await driver.getInstance('inst-1')).toMatchObject({ seq: 2, at: 'b' });
        await mustCommit({ instances: [{ instance: makeInstance({ id: 'inst-1', seq: 3, at: 'c' }), expectedSeq: 2 }] });
        expect(await driver.getInstance('inst-1')).toMatchObject({ seq: 3, at: 'c' });
      });

      it('an update of an instance that does not exist is a conflict, not a create', async () => {
        await mustConflict({ instances: [{ instance: makeInstance({ id: 'ghost', seq: 2 }), expectedSeq: 1 }] });
        expect(await driver.getInstance('ghost')).toBeUndefined();
      });

      it('of two commits in flight with the same expectedSeq, exactly one wins', async () => {
        await create(makeInstance({ id: 'inst-1', seq: 1 }));
        const outcomes = await Promise.all(
          ['a', 'b', 'c', 'd'].map((at) => commit({ instances: [{ instance: makeInstance({ id: 'inst-1', seq: 2, at }), expectedSeq: 1 }] })),
        );
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        const winner = ['a', 'b', 'c', 'd'][outcomes.findIndex((o) => o.ok)];
        expect(await driver.getInstance('inst-1')).toMatchObject({ seq: 2, at: winner });
      });

      it('findInstances filters by journey, subject and status, and honours limit', async () => {
        await create(makeInstance({ id: 'i1', journey: 'dunning', subjectId: 'a', status: 'active', startedAt: T0 + 1 }));
        await create(makeInstance({ id: 'i2', journey: 'dunning', subjectId: 'b', status: 'completed', startedAt: T0 + 2, waiting: null, at: null }));
        await create(makeInstance({ id: 'i3', journey: 'welcome', subjectId: 'a', status: 'active', startedAt: T0 + 3 }));
        await create(makeInstance({ id: 'i4', journey: 'welcome', subjectId: 'a', status: 'failed', startedAt: T0 + 4, waiting: null, at: null }));
        const find = async (q: Parameters<Driver['findInstances']>[0]): Promise<string[]> => ids(await driver.findInstances(q)).sort();
        expect(await find({ journey: 'dunning' })).toEqual(['i1', 'i2']);
        expect(await find({ subjectId: 'a' })).toEqual(['i1', 'i3', 'i4']);
        expect(await find({ status: 'active' })).toEqual(['i1', 'i3']);
        expect(await find({ journey: 'welcome', subjectId: 'a', status: 'failed' })).toEqual(['i4']);
        expect(await find({ journey: 'nope' })).toEqual([]);
        expect(await find({})).toEqual(['i1', 'i2', 'i3', 'i4']);
        expect(await driver.findInstances({ subjectId: 'a', limit: 2 })).toHaveLength(2);
        // Whole instances come back, not index entries.
        expect((await driver.findInstances({ journey: 'dunning', status: 'active' }))[0]).toEqual(
          makeInstance({ id: 'i1', journey: 'dunning', subjectId: 'a', status: 'active', startedAt: T0 + 1 }),
        );
      });

      it('findInstances waitingFor: active instances waiting for or batching the event type, nothing else', async () => {
        const waitingEvent = makeInstance({ id: 'w-event', subjectId: 'a', waiting: { kind: 'event', event: 'invoice.paid', timerId: 't1', until: T0 + 10 } });
        const batching = makeInstance({
          id: 'w-batch',
          subjectId: 'a',
          waiting: { kind: 'batch', event: 'invoice.paid', timerId: 't2', until: T0 + 10, items: [{ n: 1 }], max: 5 },
        });
        const otherType = makeInstance({ id: 'w-other', subjectId: 'a', waiting: { kind: 'event', event: 'invoice.created', timerId: null, until: null } });
        const timer = makeInstance({ id: 'w-timer', subjectId: 'a', waiting: { kind: 'timer', timerId: 't3', until: T0 + 10 } });
        const fetching = makeInstance({ id: 'w-fetch', subjectId: 'a', waiting: { kind: 'fetch', requestId: 'r1' } });
        const otherSubject = makeInstance({ id: 'w-b', subjectId: 'b', waiting: { kind: 'event', event: 'invoice.paid', timerId: null, until: null } });
        for (const i of [waitingEvent, batching, otherType, timer, fetching, otherSubject]) await create(i);

        expect(ids(await driver.findInstances({ subjectId: 'a', waitingFor: 'invoice.paid' })).sort()).toEqual(['w-batch', 'w-event']);
        expect(ids(await driver.findInstances({ waitingFor: 'invoice.paid' })).sort()).toEqual(['w-b', 'w-batch', 'w-event']);
        expect(ids(await driver.findInstances({ subjectId: 'a', waitingFor: 'invoice.created' }))).toEqual(['w-other']);
        expect(await driver.findInstances({ subjectId: 'c', waitingFor: 'invoice.paid' })).toEqual([]);
      });

      it('waitingFor follows updates: an instance that stops waiting or ends is no longer found', async () => {
        const waiting = makeInstance({ id: 'i1', seq: 1, waiting: { kind: 'event', event: 'invoice.paid', timerId: null, until: null } });
        await create(waiting);
        expect(ids(await driver.findInstances({ subjectId: 'cust-1', waitingFor: 'invoice.paid' }))).toEqual(['i1']);

        await mustCommit({ instances: [{ instance: { ...waiting, seq: 2, waiting: { kind: 'timer', timerId: 't', until: T0 } }, expectedSeq: 1 }] });
        expect(await driver.findInstances({ subjectId: 'cust-1', waitingFor: 'invoice.paid' })).toEqual([]);

        await mustCommit({ instances: [{ instance: { ...waiting, seq: 3 }, expectedSeq: 2 }] });
        expect(ids(await driver.findInstances({ subjectId: 'cust-1', waitingFor: 'invoice.paid' }))).toEqual(['i1']);

        // An ended instance is never waiting, whatever its `waiting` field says.
        await mustCommit({ instances: [{ instance: { ...waiting, seq: 4, status: 'exited', exitReason: 'cancelled' }, expectedSeq: 3 }] });
        expect(await driver.findInstances({ subjectId: 'cust-1', waitingFor: 'invoice.paid' })).toEqual([]);
        expect(ids(await driver.findInstances({ status: 'exited' }))).toEqual(['i1']);
      });

      it('activeVersions: the versions active instances run on, each once; ended instances do not count', async () => {
        expect(await driver.activeVersions()).toEqual([]);
        await create(makeInstance({ id: 'a1', version: 'sha256:1111' }));
        await create(makeInstance({ id: 'a2', version: 'sha256:1111', subjectId: 'cust-2' }));
        await create(makeInstance({ id: 'b1', version: 'sha256:2222', journey: 'welcome' }));
        await create(makeInstance({ id: 'c1', version: 'sha256:3333', status: 'completed', waiting: null, at: null }));
        const ending = makeInstance({ id: 'd1', version: 'sha256:4444' });
        await create(ending);
        expect((await driver.activeVersions()).sort()).toEqual(['sha256:1111', 'sha256:2222', 'sha256:4444']);
        // It follows updates: the last instance of a version that ends takes the version with it.
        await mustCommit({ instances: [{ instance: { ...ending, seq: ending.seq + 1, status: 'exited', exitReason: 'cancelled', waiting: null, at: null }, expectedSeq: ending.seq }] });
        expect((await driver.activeVersions()).sort()).toEqual(['sha256:1111', 'sha256:2222']);
      });
    });

    describe('one instance per journey and subject (exclusive)', () => {
      const claim = (id: string, exclusive: 'once' | 'while-active', over: Partial<Instance> = {}): UnitOfWork => ({
        instances: [{ instance: makeInstance({ id, subjectId: 'cust-9', ...over }), expectedSeq: null, exclusive }],
        events: [`ev-${id}`],
      });

      it('while-active: a second active instance conflicts, writing nothing; once the first ends, another may start', async () => {
        await mustCommit(claim('a1', 'while-active'));
        expect(await mustConflict(claim('a2', 'while-active'))).toMatch(/already has an active instance for subject cust-9/);
        expect(await driver.getInstance('a2')).toBeUndefined();
        expect(await driver.eventSeen('ev-a2')).toBe(false);
        // Another subject, or an instance that claims nothing, is not held up.
        await mustCommit(claim('b1', 'while-active', { subjectId: 'cust-10' }));
        await mustCommit({ instances: [{ instance: makeInstance({ id: 'free', subjectId: 'cust-9' }), expectedSeq: null }] });
        const first = (await driver.getInstance('a1'))!;
        await mustCommit({ instances: [{ instance: { ...first, status: 'completed', seq: first.seq + 1 }, expectedSeq: first.seq }] });
        await mustCommit(claim('a3', 'while-active'));
      });

      it('while-active: an instance that ends in its first advance claims nothing', async () => {
        await mustCommit(claim('done-1', 'while-active', { status: 'completed' }));
        await mustCommit(claim('done-2', 'while-active'));
      });

      it('once: a second instance conflicts even after the first ended', async () => {
        await mustCommit(claim('o1', 'once'));
        const first = (await driver.getInstance('o1'))!;
        await mustCommit({ instances: [{ instance: { ...first, status: 'completed', seq: first.seq + 1 }, expectedSeq: first.seq }] });
        expect(await mustConflict(claim('o2', 'once'))).toMatch(/already has an instance for subject cust-9/);
      });

      it('while-active with a trigger key: the same key conflicts, another key or none does not', async () => {
        await mustCommit(claim('k1', 'while-active', { key: 'INV-1' }));
        expect(await mustConflict(claim('k2', 'while-active', { key: 'INV-1' }))).toMatch(/already has an active instance for subject cust-9 and key INV-1/);
        expect(await driver.getInstance('k2')).toBeUndefined();
        await mustCommit(claim('k3', 'while-active', { key: 'INV-2' }));
        // A claim without a key is the (journey, subject) pair of rows written before keys.
        await mustCommit(claim('k4', 'while-active'));
        expect(await mustConflict(claim('k5', 'while-active'))).toMatch(/already has an active instance for subject cust-9$/);
        const first = (await driver.getInstance('k1'))!;
        expect(first.key).toBe('INV-1');
        await mustCommit({ instances: [{ instance: { ...first, status: 'completed', seq: first.seq + 1 }, expectedSeq: first.seq }] });
        await mustCommit(claim('k6', 'while-active', { key: 'INV-1' }));
      });

      it('once with a trigger key: the same key conflicts even after the first ended, another key commits', async () => {
        await mustCommit(claim('ok1', 'once', { key: 'INV-1' }));
        const first = (await driver.getInstance('ok1'))!;
        await mustCommit({ instances: [{ instance: { ...first, status: 'completed', seq: first.seq + 1 }, expectedSeq: first.seq }] });
        expect(await mustConflict(claim('ok2', 'once', { key: 'INV-1' }))).toMatch(/already has an instance for subject cust-9 and key INV-1/);
        await mustCommit(claim('ok3', 'once', { key: 'INV-2' }));
        await mustCommit(claim('ok4', 'once'));
      });

      it('two creates of one key in flight together: one commits; of two keys, both', async () => {
        const same = await Promise.all([1, 2].map((n) => driver.commit(claim(`same-${n}`, 'once', { key: 'INV-7' }))));
        expect(same.filter((o) => o.ok)).toHaveLength(1);
        const apart = await Promise.all(['INV-8', 'INV-9'].map((key) => driver.commit(claim(`apart-${key}`, 'while-active', { key }))));
        expect(apart.every((o) => o.ok)).toBe(true);
        // In one unit as well: the second create of the same claim is refused and the unit writes nothing.
        const both = (id: string, key: string) => ({ instance: makeInstance({ id, subjectId: 'cust-11', key }), expectedSeq: null, exclusive: 'while-active' as const });
        expect((await driver.commit({ instances: [both('u1', 'INV-1'), both('u2', 'INV-1')] })).ok).toBe(false);
        expect(await driver.getInstance('u1')).toBeUndefined();
        await mustCommit({ instances: [both('u3', 'INV-1'), both('u4', 'INV-2')] });
      });

      it('purgeArchive keeps a keyed reentry-never claim', async () => {
        const ended = (id: string, key: string) => ({
          instance: makeInstance({ id, subjectId: 'cust-12', key, status: 'completed', at: null, waiting: null, startedAt: T0 - 10_000, updatedAt: T0 - 5000 }),
          expectedSeq: null,
          exclusive: 'once' as const,
        });
        await mustCommit({ instances: [ended('p1', 'INV-1')] });
        await driver.purgeArchive(T0);
        expect(await driver.getInstance('p1')).toBeDefined();
        expect(await mustConflict({ instances: [ended('p2', 'INV-1')] })).toMatch(/already has an instance for subject cust-12 and key INV-1/);
        expect((await driver.findInstances({ journey: 'invoice-dunning', subjectId: 'cust-12' })).map((i) => [i.id, i.key])).toEqual([['p1', 'INV-1']]);
      });

      it('of two units in flight together, exactly one starts the journey', async () => {
        const outcomes = await Promise.all([1, 2, 3].map((n) => driver.commit(claim(`race-${n}`, 'while-active'))));
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect((await driver.findInstances({ subjectId: 'cust-9' })).map((i) => i.id)).toHaveLength(1);
      });
    });

    describe('commit is all or nothing', () => {
      /** A store with something of every kind in it, and a unit that touches all of it. */
      async function seed(): Promise<void> {
        await create(makeInstance({ id: 'inst-a', seq: 1 }));
        await create(makeInstance({ id: 'inst-b', seq: 1 }));
        await createDelivery(makeDelivery({ id: 'del-1', createdAt: T0 }));
        await mustCommit({ enqueue: [timerJob('job-running', T0), timerJob('timer-later', T0 + 60_000)] });
        expect(await reservedIds(10, T0)).toEqual(['job-running']);
      }

      function everything(last: Partial<UnitOfWork>): UnitOfWork {
        return {
          events: ['ev-new', ...(last.events ?? [])],
          instances: [
            { instance: makeInstance({ id: 'inst-a', seq: 2, at: 'changed' }), expectedSeq: 1 },
            { instance: makeInstance({ id: 'inst-new', seq: 1 }), expectedSeq: null },
            ...(last.instances ?? []),
          ],
          deliveries: [
            { delivery: makeDelivery({ id: 'del-new' }), expectedUpdatedAt: null },
            { delivery: makeDelivery({ id: 'del-1', status: 'attempting', updatedAt: T0 + 5 }), expectedUpdatedAt: T0 },
            ...(last.deliveries ?? []),
          ],
          enqueue: [timerJob('job-new', T0)],
          cancel: ['timer-later'],
          ack: ['job-running'],
          sent: [{ subjectId: 'cust-1', category: 'billing', at: T0, dedupeKey: 'dk-1', deliveryId: null }],
          archive: [{ deliveryId: 'del-1', content: makeContent(), attempt: makeAttempt() }],
        };
      }

      async function expectUntouched(): Promise<void> {
        expect(await driver.getInstance('inst-a')).toEqual(makeInstance({ id: 'inst-a', seq: 1 }));
        expect(await driver.getInstance('inst-new')).toBeUndefined();
        expect(await driver.getDelivery('del-new')).toBeUndefined();
        expect(await driver.getDelivery('del-1')).toEqual(makeDelivery({ id: 'del-1', createdAt: T0 }));
        expect(await driver.eventSeen('ev-new')).toBe(false);
        expect(await driver.countSent('cust-1', 'billing', 0)).toBe(0);
        expect(await driver.seenDedupeKey('dk-1', 0)).toBe(false);
        expect(await driver.getArchived('del-1')).toEqual({ delivery: makeDelivery({ id: 'del-1', createdAt: T0 }), contents: [], attempts: [] });
        // job-new was not enqueued, timer-later was not cancelled, job-running was not acked:
        // after its lease it is due again.
        expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 1 });
        expect((await reservedIds(10, T0 + 60_000)).sort()).toEqual(['job-running', 'timer-later']);
      }

      it('a stale instance seq (last in the unit) rolls back every other write of the unit', async () => {
        await seed();
        const conflict = await mustConflict(everything({ instances: [{ instance: makeInstance({ id: 'inst-b', seq: 5 }), expectedSeq: 4 }] }));
        expect(conflict).not.toMatch(new RegExp(`^${DUPLICATE_EVENT_CONFLICT_PREFIX}`));
        await expectUntouched();
      });

      it('creating an instance that exists rolls back the unit', async () => {
        await seed();
        await mustConflict(everything({ instances: [{ instance: makeInstance({ id: 'inst-b', seq: 1 }), expectedSeq: null }] }));
        await expectUntouched();
      });

      it('a stale delivery (last in the unit) rolls back the unit', async () => {
        await seed();
        await createDelivery(makeDelivery({ id: 'del-2', createdAt: T0, updatedAt: T0 + 1 }));
        await mustConflict(everything({ deliveries: [{ delivery: makeDelivery({ id: 'del-2', updatedAt: T0 + 9 }), expectedUpdatedAt: T0 }] }));
        await expectUntouched();
        expect((await driver.getDelivery('del-2'))?.updatedAt).toBe(T0 + 1);
      });

      it('a duplicate event id (after a new one) is a duplicate-event conflict and rolls back the unit', async () => {
        await seed();
        await mustCommit({ events: ['ev-old'] });
        const conflict = await mustConflict(everything({ events: ['ev-old'] }));
        expect(conflict.startsWith(DUPLICATE_EVENT_CONFLICT_PREFIX)).toBe(true);
        await expectUntouched();
      });

      it('the same unit without the conflicting item commits all of it', async () => {
        await seed();
        await mustCommit(everything({}));
        expect(await driver.getInstance('inst-a')).toMatchObject({ seq: 2, at: 'changed' });
        expect(await driver.getInstance('inst-new')).toBeDefined();
        expect(await driver.getDelivery('del-new')).toBeDefined();
        expect((await driver.getDelivery('del-1'))?.status).toBe('attempting');
        expect(await driver.eventSeen('ev-new')).toBe(true);
        expect(await driver.countSent('cust-1', 'billing', 0)).toBe(1);
        expect(await driver.seenDedupeKey('dk-1', 0)).toBe(true);
        expect((await driver.getArchived('del-1'))?.contents).toHaveLength(1);
        expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 0 });
        expect(await reservedIds(10, T0 + 60_000)).toEqual(['job-new']);
      });

      it('units in flight together: the conflicting one fails alone, the others commit', async () => {
        await create(makeInstance({ id: 'inst-a', seq: 1 }));
        const units: UnitOfWork[] = Array.from({ length: 20 }, (_, i) => ({
          instances: [{ instance: makeInstance({ id: `new-${i}` }), expectedSeq: null }],
          enqueue: [timerJob(`job-${i}`, T0)],
        }));
        units[7] = { ...units[7]!, instances: [...units[7]!.instances!, { instance: makeInstance({ id: 'inst-a', seq: 9 }), expectedSeq: 8 }] };
        const outcomes = await Promise.all(units.map(commit));
        expect(outcomes.map((o) => o.ok)).toEqual(units.map((_, i) => i !== 7));
        expect(await driver.getInstance('new-7')).toBeUndefined();
        expect(await driver.getInstance('new-8')).toBeDefined();
        const reserved = await reservedIds(100, T0);
        expect(reserved).toHaveLength(19);
        expect(reserved).not.toContain('job-7');
      });

      it('an empty unit commits', async () => {
        await mustCommit({});
      });
    });

    describe('deliveries', () => {
      it('are created once: creating an existing id is a no-op, not a conflict', async () => {
        const first = makeDelivery({ id: 'del-1', template: 'first' });
        await createDelivery(first);
        await createDelivery(makeDelivery({ id: 'del-1', template: 'second' }));
        expect(await driver.getDelivery('del-1')).toEqual(first);
        expect(await driver.getDelivery('del-2')).toBeUndefined();
      });

      it('an update with the updatedAt that was read succeeds; a stale one is a conflict', async () => {
        await createDelivery(makeDelivery({ id: 'del-1', createdAt: T0 }));
        const attempting = makeDelivery({ id: 'del-1', createdAt: T0, updatedAt: T0 + 10, status: 'attempting', attempt: 1 });
        await mustCommit({ deliveries: [{ delivery: attempting, expectedUpdatedAt: T0 }] });
        expect(await driver.getDelivery('del-1')).toEqual(attempting);
        await mustConflict({ deliveries: [{ delivery: makeDelivery({ id: 'del-1', updatedAt: T0 + 20, status: 'failed' }), expectedUpdatedAt: T0 }] });
        expect(await driver.getDelivery('del-1')).toEqual(attempting);
      });

      it('an update of a delivery that does not exist is a conflict', async () => {
        await mustConflict({ deliveries: [{ delivery: makeDelivery({ id: 'ghost', updatedAt: T0 + 1 }), expectedUpdatedAt: T0 }] });
        expect(await driver.getDelivery('ghost')).toBeUndefined();
      });

      it("deliveriesOf gives an instance's deliveries, oldest first, as they are now, and none of another instance or subject", async () => {
        await createDelivery(makeDelivery({ id: 'del-2', createdAt: T0 + 5 }));
        await createDelivery(makeDelivery({ id: 'del-1', createdAt: T0 }));
        await createDelivery(makeDelivery({ id: 'del-other', instanceId: 'inst-2', createdAt: T0 }));
        await createDelivery(makeDelivery({ id: 'del-else', subjectId: 'cust-2', createdAt: T0 }));
        const deferred = makeDelivery({ id: 'del-1', createdAt: T0, updatedAt: T0 + 7, status: 'deferred', timerId: 't-1' });
        await mustCommit({ deliveries: [{ delivery: deferred, expectedUpdatedAt: T0 }] });
        expect(await driver.deliveriesOf({ id: 'inst-1', subjectId: 'cust-1' })).toEqual([deferred, makeDelivery({ id: 'del-2', createdAt: T0 + 5 })]);
        expect(await driver.deliveriesOf({ id: 'inst-9', subjectId: 'cust-1' })).toEqual([]);
      });

      it('findDeliveryByProviderId finds the delivery carrying that provider message id', async () => {
        await createDelivery(makeDelivery({ id: 'del-1', createdAt: T0 }));
        await createDelivery(makeDelivery({ id: 'del-2', createdAt: T0 }));
        expect(await driver.findDeliveryByProviderId('msg-1')).toBeUndefined();
        const accepted = makeDelivery({ id: 'del-1', createdAt: T0, updatedAt: T0 + 1, status: 'awaiting-receipt', providerMessageId: 'msg-1' });
        await mustCommit({ deliveries: [{ delivery: accepted, expectedUpdatedAt: T0 }] });
        expect(await driver.findDeliveryByProviderId('msg-1')).toEqual(accepted);
        // Failover to the next channel: the new provider id replaces the old one.
        const next = { ...accepted, updatedAt: T0 + 2, channelIndex: 1, providerMessageId: 'msg-2' };
        await mustCommit({ deliveries: [{ delivery: next, expectedUpdatedAt: T0 + 1 }] });
        expect(await driver.findDeliveryByProviderId('msg-2')).toEqual(next);
        expect(await driver.findDeliveryByProviderId('msg-1')).toBeUndefined();
      });
    });

    describe('queue', () => {
      it('enqueue is idempotent by id: the job first enqueued stays', async () => {
        await mustCommit({ enqueue: [eventJob('j1', T0 + 10)] });
        await mustCommit({ enqueue: [timerJob('j1', T0)] });
        expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 0 });
        expect(await driver.reserve(10, T0 + 5, LEASE)).toEqual([]);
        expect(await driver.reserve(10, T0 + 10, LEASE)).toEqual([{ ...eventJob('j1', T0 + 10), tries: 0 }]);
      });

      it('enqueueing the id of a reserved job is a no-op: it is not queued a second time', async () => {
        await mustCommit({ enqueue: [timerJob('j1', T0)] });
        expect(await reservedIds(10, T0)).toEqual(['j1']);
        await mustCommit({ enqueue: [timerJob('j1', T0)] });
        expect(await reservedIds(10, T0 + 1)).toEqual([]);
        expect(await driver.queueDepth()).toEqual({ queued: 0, reserved: 1 });
      });

      it('reserve returns the job as enqueued, with tries 0 the first time', async () => {
        const job = eventJob('j1', T0);
        await mustCommit({ enqueue: [job] });
        expect(await driver.reserve(1, T0, LEASE)).toEqual([{ id: 'j1', job: job.job, runAt: T0, tries: 0 }]);
      });

      it('a delayed job is not reserved before its runAt, and is at runAt', async () => {
        await mustCommit({ enqueue: [timerJob('later', T0 + 1000)] });
        expect(await reservedIds(10, T0)).toEqual([]);
        expect(await reservedIds(10, T0 + 999)).toEqual([]);
        expect(await reservedIds(10, T0 + 1000)).toEqual(['later']);
      });

      it('reserve takes at most max jobs, earliest runAt first', async () => {
        await mustCommit({ enqueue: [timerJob('c', T0 + 3), timerJob('a', T0 + 1), timerJob('e', T0 + 5), timerJob('later', T0 + 100)] });
        await mustCommit({ enqueue: [timerJob('d', T0 + 4), timerJob('b', T0 + 2)] });
        expect(await reservedIds(3, T0 + 50)).toEqual(['a', 'b', 'c']);
        expect(await reservedIds(3, T0 + 50)).toEqual(['d', 'e']);
        expect(await reservedIds(3, T0 + 50)).toEqual([]);
        expect(await driver.reserve(0, T0 + 50, LEASE)).toEqual([]);
      });

      it('a reserved job is leased: nobody else gets it until the lease expires, then it comes back with tries + 1', async () => {
        await mustCommit({ enqueue: [timerJob('j1', T0)] });
        const [first] = await driver.reserve(10, T0, 1000);
        expect(first).toMatchObject({ id: 'j1', tries: 0 });
        expect(await reservedIds(10, T0 + 1)).toEqual([]);
        expect(await reservedIds(10, T0 + 999)).toEqual([]);
        const [second] = await driver.reserve(10, T0 + 1000, 1000);
        expect(second).toMatchObject({ id: 'j1', tries: 1, runAt: T0, job: timerJob('j1', T0).job });
        expect(await reservedIds(10, T0 + 1500)).toEqual([]);
        expect(await driver.reserve(10, T0 + 2000, 1000)).toMatchObject([{ id: 'j1', tries: 2 }]);
      });

      it('a job enqueued leased is not reserved until its lease expires, then comes back as a second try', async () => {
        await mustCommit({ enqueue: [{ ...timerJob('mine', T0), leasedUntil: T0 + 1000 }, timerJob('queued', T0)] });
        expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 1 });
        expect(await reservedIds(10, T0, 5000)).toEqual(['queued']);
        expect(await reservedIds(10, T0 + 999)).toEqual([]);
        expect(await driver.nextDueAt()).toBe(T0 + 1000);
        expect(await driver.reserve(10, T0 + 1000, 1000)).toMatchObject([{ id: 'mine', tries: 1, runAt: T0, job: timerJob('mine', T0).job }]);
      });

      it('a job enqueued leased and acked by its runner is gone; enqueueing its id again while leased is a no-op', async () => {
        await mustCommit({ enqueue: [{ ...timerJob('mine', T0), leasedUntil: T0 + 1000 }] });
        await mustCommit({ enqueue: [timerJob('mine', T0)] });
        expect(await reservedIds(10, T0 + 10)).toEqual([]);
        await mustCommit({ ack: ['mine'] });
        expect(await driver.queueDepth()).toEqual({ queued: 0, reserved: 0 });
        expect(await reservedIds(10, T0 + 5000)).toEqual([]);
      });

      it('reserves in flight together never hand out the same job', async () => {
        await mustCommit({ enqueue: Array.from({ length: 30 }, (_, i) => timerJob(`j${i}`, T0 + i)) });
        const batches = await Promise.all([1, 2, 3, 4, 5].map(() => driver.reserve(7, T0 + 100, LEASE)));
        const all = batches.flatMap(ids);
        expect(all).toHaveLength(30);
        expect(new Set(all).size).toBe(30);
      });

      it('ack in a commit removes the reserved job for good', async () => {
        await mustCommit({ enqueue: [timerJob('j1', T0), timerJob('j2', T0)] });
        expect((await reservedIds(10, T0)).sort()).toEqual(['j1', 'j2']);
        await mustCommit({ ack: ['j1'] });
        expect(await driver.queueDepth()).toEqual({ queued: 0, reserved: 1 });
        expect(await reservedIds(10, T0 + 10 * LEASE)).toEqual(['j2']);
        // An acked id can be used again (it no longer exists).
        await mustCommit({ enqueue: [timerJob('j1', T0)] });
        expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 1 });
      });

      it('cancel removes a queued timer job; cancelling an unknown id is harmless', async () => {
        await mustCommit({ enqueue: [timerJob('t1', T0 + 1000), timerJob('t2', T0 + 2000)] });
        await mustCommit({ cancel: ['t1', 'unknown'] });
        expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 0 });
        expect(await reservedIds(10, T0 + 5000)).toEqual(['t2']);
      });

      it('cancel and enqueue of the same id in one unit reschedules the job', async () => {
        await mustCommit({ enqueue: [timerJob('t1', T0 + 1000)] });
        await mustCommit({ cancel: ['t1'], enqueue: [timerJob('t1', T0 + 5000)] });
        expect(await reservedIds(10, T0 + 4999)).toEqual([]);
        expect(await reservedIds(10, T0 + 5000)).toEqual(['t1']);
      });

      it('release gives a reserved job back to run at runAt, and the tries count goes on', async () => {
        await mustCommit({ enqueue: [timerJob('j1', T0)] });
        expect(await driver.reserve(10, T0, LEASE)).toMatchObject([{ id: 'j1', tries: 0 }]);
        await driver.release('j1', T0 + 500);
        expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 0 });
        expect(await reservedIds(10, T0 + 499)).toEqual([]);
        expect(await driver.reserve(10, T0 + 500, LEASE)).toMatchObject([{ id: 'j1', tries: 1, runAt: T0 + 500 }]);
        // Releasing a job that is gone (acked meanwhile) is harmless.
        await mustCommit({ ack: ['j1'] });
        await driver.release('j1', T0);
        expect(await driver.queueDepth()).toEqual({ queued: 0, reserved: 0 });
      });

      it('nextDueAt: null when empty, the earliest runAt, and a leased job counts at its lease expiry', async () => {
        expect(await driver.nextDueAt()).toBeNull();
        await mustCommit({ enqueue: [timerJob('b', T0 + 2000), timerJob('a', T0 + 1000)] });
        expect(await driver.nextDueAt()).toBe(T0 + 1000);
        expect(await reservedIds(1, T0 + 1000, 5000)).toEqual(['a']);
        // 'a' is leased until T0 + 6000; 'b' is due first.
        expect(await driver.nextDueAt()).toBe(T0 + 2000);
        await mustCommit({ cancel: ['b'] });
        // Only the lease is left: a scheduler must wake when it runs out, in case its holder died.
        expect(await driver.nextDueAt()).toBe(T0 + 6000);
        await mustCommit({ ack: ['a'] });
        expect(await driver.nextDueAt()).toBeNull();
      });

      it('queueDepth counts queued (due or not) and reserved jobs; an expired lease counts as queued', async () => {
        expect(await driver.queueDepth()).toEqual({ queued: 0, reserved: 0 });
        await mustCommit({ enqueue: [timerJob('now-1', T0), timerJob('now-2', T0), timerJob('later', T0 + 60_000)] });
        expect(await driver.queueDepth()).toEqual({ queued: 3, reserved: 0 });
        await driver.reserve(1, T0, 1000);
        expect(await driver.queueDepth()).toEqual({ queued: 2, reserved: 1 });
        now = T0 + 1000;
        expect(await driver.queueDepth()).toEqual({ queued: 3, reserved: 0 });
      });
    });

    describe('idempotency ledger', () => {
      it('new, then in-flight since the first begin, then done with its result', async () => {
        expect(await driver.ledgerBegin('k1', T0)).toEqual({ state: 'new' });
        expect(await driver.ledgerBegin('k1', T0 + 100)).toEqual({ state: 'in-flight', since: T0 });
        expect(await driver.ledgerBegin('k2', T0 + 100)).toEqual({ state: 'new' });
        const result = { status: 'accepted', providerMessageId: 'msg-1', meta: { tries: [1, 2] } };
        await driver.ledgerFinish('k1', result, T0 + 200);
        expect(await driver.ledgerBegin('k1', T0 + 300)).toEqual({ state: 'done', result });
        expect(await driver.ledgerBegin('k2', T0 + 300)).toEqual({ state: 'in-flight', since: T0 + 100 });
      });

      it('a unit finishes ledger entries with its other writes, and a conflicting unit does not', async () => {
        expect(await driver.ledgerBegin('k1', T0)).toEqual({ state: 'new' });
        expect(await driver.ledgerBegin('k2', T0)).toEqual({ state: 'new' });
        await mustCommit({ instances: [{ instance: makeInstance({ id: 'inst-l' }), expectedSeq: null }] });
        const result = { status: 'accepted', providerMessageId: 'msg-7' };
        await mustCommit({ ledger: [{ key: 'k1', result, at: T0 + 50 }], enqueue: [timerJob('after-send', T0 + 60_000)] });
        expect(await driver.ledgerBegin('k1', T0 + 100)).toEqual({ state: 'done', result });
        // Rolled back whole: the ledger entry stays in flight.
        await mustConflict({
          instances: [{ instance: makeInstance({ id: 'inst-l' }), expectedSeq: null }],
          ledger: [{ key: 'k2', result, at: T0 + 50 }],
        });
        expect(await driver.ledgerBegin('k2', T0 + 100)).toEqual({ state: 'in-flight', since: T0 });
      });

      it('begins in flight together: exactly one is new', async () => {
        const entries = await Promise.all([1, 2, 3, 4].map(() => driver.ledgerBegin('k1', T0)));
        expect(entries.filter((e) => e.state === 'new')).toHaveLength(1);
        expect(entries.filter((e) => e.state === 'in-flight')).toHaveLength(3);
      });
    });

    describe('sent counters, dedupe keys, event ids', () => {
      it('countSent counts a subject’s messages of a category since a time (inclusive)', async () => {
        await mustCommit({
          sent: [
            { subjectId: 'a', category: 'billing', at: T0, dedupeKey: null, deliveryId: null },
            { subjectId: 'a', category: 'billing', at: T0 + 100, dedupeKey: null, deliveryId: null },
            { subjectId: 'a', category: 'marketing', at: T0 + 100, dedupeKey: null, deliveryId: null },
            { subjectId: 'b', category: 'billing', at: T0 + 100, dedupeKey: null, deliveryId: null },
          ],
        });
        await mustCommit({ sent: [{ subjectId: 'a', category: 'billing', at: T0 + 200, dedupeKey: null, deliveryId: null }] });
        expect(await driver.countSent('a', 'billing', T0)).toBe(3);
        expect(await driver.countSent('a', 'billing', T0 + 1)).toBe(2);
        expect(await driver.countSent('a', 'billing', T0 + 100)).toBe(2);
        expect(await driver.countSent('a', 'billing', T0 + 201)).toBe(0);
        expect(await driver.countSent('a', 'marketing', T0)).toBe(1);
        expect(await driver.countSent('c', 'billing', T0)).toBe(0);
      });

      it('seenDedupeKey is true only for a key sent within the window', async () => {
        await mustCommit({ sent: [{ subjectId: 'a', category: 'billing', at: T0 + 100, dedupeKey: 'invoice-42', deliveryId: null }] });
        expect(await driver.seenDedupeKey('invoice-42', T0)).toBe(true);
        expect(await driver.seenDedupeKey('invoice-42', T0 + 100)).toBe(true);
        expect(await driver.seenDedupeKey('invoice-42', T0 + 101)).toBe(false);
        expect(await driver.seenDedupeKey('invoice-43', T0)).toBe(false);
      });

      it('a guarded count conflicts, writing nothing, when the cap is taken in the store or earlier in its unit', async () => {
        const guard = { capMax: 2, capSince: T0, dedupeSince: null };
        const count = (deliveryId: string, at = T0 + 10) => ({ subjectId: 'a', category: 'billing', at, dedupeKey: null, deliveryId, guard });
        await mustCommit({ sent: [{ subjectId: 'a', category: 'billing', at: T0 - 1, dedupeKey: null, deliveryId: 'before-window' }] });
        await mustCommit({ sent: [count('d-1')] });
        // The second of a pair in one unit would be the third message: the whole unit is refused.
        expect(await mustConflict({ sent: [count('d-2'), count('d-3')], enqueue: [eventJob('with-the-counts', T0)] })).toMatch(/frequency cap/);
        expect(await driver.countSent('a', 'billing', T0)).toBe(1);
        expect(await reservedIds(10, T0)).toEqual([]);
        await mustCommit({ sent: [count('d-2')] });
        expect(await mustConflict({ sent: [count('d-3')] })).toMatch(/frequency cap/);
        // Another category, another subject, or a count without a guard is not held back.
        await mustCommit({ sent: [{ ...count('d-4'), category: 'marketing' }, { ...count('d-5'), subjectId: 'b' }, { ...count('d-6'), guard: null }] });
        expect(await driver.countSent('a', 'billing', T0)).toBe(3);
      });

      it('a guarded count conflicts when its dedupe key is held in the window; a count given back frees cap and key', async () => {
        const guard = { capMax: 1, capSince: T0, dedupeSince: T0 };
        const count = (deliveryId: string, dedupeKey: string) => ({ subjectId: 'a', category: 'billing', at: T0 + 10, dedupeKey, deliveryId, guard });
        await mustCommit({ sent: [{ subjectId: 'z', category: 'other', at: T0 + 5, dedupeKey: 'invoice-1', deliveryId: 'd-0' }] });
        expect(await mustConflict({ sent: [count('d-1', 'invoice-1')] })).toMatch(/dedupe key invoice-1/);
        expect(await mustConflict({ sent: [{ ...count('d-1', 'invoice-2'), guard: { ...guard, capMax: null } }, { ...count('d-2', 'invoice-2'), subjectId: 'y', guard: { ...guard, capMax: null } }] })).toMatch(/dedupe key invoice-2/);
        await mustCommit({ sent: [count('d-1', 'invoice-2')] });
        expect(await mustConflict({ sent: [count('d-2', 'invoice-3')] })).toMatch(/frequency cap/);
        await mustCommit({ unsent: ['d-1', 'never-counted'] });
        expect(await driver.countSent('a', 'billing', T0)).toBe(0);
        expect(await driver.seenDedupeKey('invoice-2', T0)).toBe(false);
        await mustCommit({ sent: [count('d-2', 'invoice-2')] });
        expect(await driver.seenDedupeKey('invoice-2', T0)).toBe(true);
      });

      it('a delivery counts once: counting it again is a no-op', async () => {
        const count = { subjectId: 'a', category: 'billing', at: T0, dedupeKey: 'k', deliveryId: 'd-1' };
        await mustCommit({ sent: [count] });
        await mustCommit({ sent: [count], enqueue: [eventJob('beside-the-repeat', T0)] });
        expect(await driver.countSent('a', 'billing', T0)).toBe(1);
        expect(await reservedIds(10, T0)).toEqual(['beside-the-repeat']);
      });

      it('eventSeen is true once a unit with the event id committed; a second unit with it is a duplicate-event conflict', async () => {
        expect(await driver.eventSeen('ev-1')).toBe(false);
        await mustCommit({ events: ['ev-1'], enqueue: [eventJob('route-ev-1', T0)] });
        expect(await driver.eventSeen('ev-1')).toBe(true);
        const conflict = await mustConflict({ events: ['ev-1'], enqueue: [eventJob('route-ev-1-again', T0)] });
        expect(conflict.startsWith(DUPLICATE_EVENT_CONFLICT_PREFIX)).toBe(true);
        expect(await reservedIds(10, T0)).toEqual(['route-ev-1']);
      });

      it('of two ingests of one event id in flight together, exactly one is accepted', async () => {
        const outcomes = await Promise.all([1, 2, 3].map((n) => commit({ events: ['ev-1'], enqueue: [eventJob(`route-${n}`, T0)] })));
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(await reservedIds(10, T0)).toHaveLength(1);
      });

      // A message resuming after quiet hours moves its count to the moment it goes out (the frequency cap is checked again).
      const moved = (deliveryId: string, at: number, extra: Partial<SentCount> = {}): SentCount => ({
        subjectId: 'c1',
        category: 'billing',
        at,
        dedupeKey: null,
        deliveryId,
        ...extra,
      });
      const HOUR = 3_600_000;

      it('unsent and sent of one delivery in a unit move its count; sentTimes lists the others’ times since a time', async () => {
        await mustCommit({ sent: [moved('a', T0 - 10 * HOUR, { dedupeKey: 'k' }), moved('b', T0 - 30 * 60_000)] });
        expect(await driver.sentTimes('c1', 'billing', T0 - HOUR, 'a')).toEqual([T0 - 30 * 60_000]);
        expect(await driver.sentTimes('c1', 'billing', T0 - HOUR, 'b')).toEqual([]);
        await mustCommit({ unsent: ['a'], sent: [moved('a', T0, { dedupeKey: 'k' })] });
        expect(await driver.sentTimes('c1', 'billing', 0, 'x')).toEqual([T0 - 30 * 60_000, T0]);
        expect(await driver.seenDedupeKey('k', T0)).toBe(true);
        expect(await driver.countSent('c1', 'billing', 0)).toBe(2);
      });

      it('a guard leaves out the counts the unit gives back, and still sees the others', async () => {
        await mustCommit({ sent: [moved('a', T0 - 30 * 60_000)] });
        const guard = { capMax: 1, capSince: T0 - HOUR, dedupeSince: null };
        // Its own count in the window does not take the cap from itself.
        await mustCommit({ unsent: ['a'], sent: [moved('a', T0, { guard })] });
        expect(await driver.sentTimes('c1', 'billing', 0, 'x')).toEqual([T0]);
        // Another delivery's count does: refused, nothing written.
        await mustCommit({ sent: [moved('b', T0 - 20 * HOUR)] });
        await mustConflict({ unsent: ['b'], sent: [moved('b', T0 + 1, { guard: { ...guard, capSince: T0 + 1 - HOUR } })] });
        expect(await driver.sentTimes('c1', 'billing', 0, 'x')).toEqual([T0 - 20 * HOUR, T0]);
      });
    });

    describe('archive', () => {
      it('getArchived returns the delivery with its contents and attempts in write order', async () => {
        const delivery = makeDelivery({ id: 'del-1' });
        const email = makeContent({ channel: 'email' });
        const sms = makeContent({ channel: 'sms', kind: 'sms', to: '+33600000001', fields: { text: 'Pay' }, renderedAt: T0 + 50 });
        const a1 = makeAttempt({ attempt: 1, result: { status: 'failed', retryable: true, error: 'timeout' } });
        const a2 = makeAttempt({ attempt: 2, at: T0 + 10 });
        const a3 = makeAttempt({ channel: 'sms', attempt: 1, at: T0 + 50 });
        await mustCommit({ deliveries: [{ delivery, expectedUpdatedAt: null }], archive: [{ deliveryId: 'del-1', content: email, attempt: a1 }] });
        await mustCommit({ archive: [{ deliveryId: 'del-1', attempt: a2 }] });
        await mustCommit({ archive: [{ deliveryId: 'del-1', content: sms }, { deliveryId: 'del-1', attempt: a3 }] });
        expect(await driver.getArchived('del-1')).toEqual({ delivery, contents: [email, sms], attempts: [a1, a2, a3] });
        expect(await driver.getArchived('del-2')).toBeUndefined();
      });

      /** 12 deliveries over 4 subjects, 2 journeys, 3 statuses, 2 channels, one per second. */
      async function seedArchive(): Promise<Delivery[]> {
        const statuses = ['delivered', 'failed', 'skipped'] as const;
        const deliveries = Array.from({ length: 12 }, (_, i) =>
          makeDelivery({
            id: `del-${String(i).padStart(2, '0')}`,
            subjectId: `s${i % 4}`,
            journey: i % 2 === 0 ? 'dunning' : 'welcome',
            status: statuses[i % 3]!,
            channels: ['email', 'sms'],
            channelIndex: i % 5 === 0 ? 1 : 0,
            createdAt: T0 + i * 1000,
          }),
        );
        await mustCommit({
          deliveries: deliveries.map((delivery) => ({ delivery, expectedUpdatedAt: null })),
          archive: deliveries.map((d): ArchiveWrite => ({ deliveryId: d.id, content: makeContent({ renderedAt: d.createdAt }) })),
        });
        return deliveries;
      }

      const searchIds = async (q: Parameters<Driver['searchArchive']>[0]): Promise<string[]> =>
        (await driver.searchArchive({ limit: 100, ...q })).items.map((m) => m.delivery.id);
      const newestFirst = (ds: readonly Delivery[]): string[] => ds.map((d) => d.id).reverse();

      it('searchArchive filters by subject, journey, status, current channel and creation time, newest first', async () => {
        const ds = await seedArchive();
        expect(await searchIds({})).toEqual(newestFirst(ds));
        expect(await searchIds({ subjectId: 's1' })).toEqual(['del-09', 'del-05', 'del-01']);
        expect(await searchIds({ journey: 'dunning' })).toEqual(newestFirst(ds.filter((_, i) => i % 2 === 0)));
        expect(await searchIds({ status: 'failed' })).toEqual(['del-10', 'del-07', 'del-04', 'del-01']);
        // The channel is the one the delivery is on now (delivered on, or last tried).
        expect(await searchIds({ channel: 'sms' })).toEqual(['del-10', 'del-05', 'del-00']);
        expect(await searchIds({ channel: 'push' })).toEqual([]);
        // from inclusive, to exclusive.
        expect(await searchIds({ from: T0 + 3000, to: T0 + 6000 })).toEqual(['del-05', 'del-04', 'del-03']);
        expect(await searchIds({ subjectId: 's0', journey: 'dunning', status: 'delivered', channel: 'email', from: T0, to: T0 + 100_000 })).toEqual([]);
        expect(await searchIds({ subjectId: 's0', journey: 'dunning', from: T0 + 1 })).toEqual(['del-08', 'del-04']);
        // Items carry their archive.
        const [item] = (await driver.searchArchive({ subjectId: 's1', limit: 1 })).items;
        expect(item).toEqual({ delivery: ds[9], contents: [makeContent({ renderedAt: T0 + 9000 })], attempts: [] });
      });

      it('pages of `limit`, newest first, no item twice, cursor null on the last page', async () => {
        const ds = await seedArchive();
        const seen: string[] = [];
        let cursor: string | undefined;
        const sizes: number[] = [];
        for (let page = 0; page < 10; page++) {
          const result = await driver.searchArchive({ limit: 5, ...(cursor === undefined ? {} : { cursor }) });
          sizes.push(result.items.length);
          seen.push(...result.items.map((m) => m.delivery.id));
          if (result.cursor === null) break;
          cursor = result.cursor;
        }
        expect(sizes).toEqual([5, 5, 2]);
        expect(seen).toEqual(newestFirst(ds));
        // Exactly a page's worth left: the page before the end already says so or the next is empty.
        const full = await driver.searchArchive({ limit: 12 });
        expect(full.items).toHaveLength(12);
        if (full.cursor !== null) expect((await driver.searchArchive({ limit: 12, cursor: full.cursor })).items).toEqual([]);
      });

      it('pagination keeps its place when newer messages arrive between pages, and combines with filters', async () => {
        await seedArchive();
        const first = await driver.searchArchive({ journey: 'dunning', limit: 2 });
        expect(first.items.map((m) => m.delivery.id)).toEqual(['del-10', 'del-08']);
        await createDelivery(makeDelivery({ id: 'del-new', journey: 'dunning', createdAt: T0 + 50_000 }));
        const second = await driver.searchArchive({ journey: 'dunning', limit: 2, cursor: first.cursor! });
        expect(second.items.map((m) => m.delivery.id)).toEqual(['del-06', 'del-04']);
        const third = await driver.searchArchive({ journey: 'dunning', limit: 2, cursor: second.cursor! });
        expect(third.items.map((m) => m.delivery.id)).toEqual(['del-02', 'del-00']);
      });

      it('a cursor the driver did not make throws an error with INVALID_CURSOR_CODE (the API answers it as a bad cursor)', async () => {
        await seedArchive();
        for (const bad of ['garbage', Buffer.from('["x"]').toString('base64url')]) {
          await expect(driver.searchArchive({ limit: 2, cursor: bad })).rejects.toMatchObject({ code: INVALID_CURSOR_CODE });
        }
      });

      it('a cursor is only valid with the filters of the search that made it (limit aside)', async () => {
        await seedArchive();
        const first = await driver.searchArchive({ journey: 'dunning', limit: 2 });
        expect((await driver.searchArchive({ journey: 'dunning', limit: 5, cursor: first.cursor! })).items.length).toBeGreaterThan(0);
        for (const other of [{}, { journey: 'other' }, { journey: 'dunning', status: 'delivered' as const }, { journey: 'dunning', from: T0 }]) {
          await expect(driver.searchArchive({ ...other, limit: 2, cursor: first.cursor! })).rejects.toMatchObject({ code: INVALID_CURSOR_CODE });
        }
      });

      it('deliveries created in the same millisecond page without loss', async () => {
        await mustCommit({
          deliveries: Array.from({ length: 7 }, (_, i) => ({ delivery: makeDelivery({ id: `same-${i}`, createdAt: T0 }), expectedUpdatedAt: null })),
        });
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<Driver['searchArchive']>> = await driver.searchArchive({ limit: 3, ...(cursor === null ? {} : { cursor }) });
          seen.push(...page.items.map((m) => m.delivery.id));
          cursor = page.cursor;
        } while (cursor !== null);
        expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `same-${i}`));
      });

      it('purgeArchive deletes finished deliveries created before the time, with their archive, and counts them', async () => {
        const ds = await seedArchive(); // delivered / failed / skipped: all finished
        await mustCommit({
          deliveries: [
            { delivery: makeDelivery({ id: 'old-pending', status: 'attempting', createdAt: T0 - 1000 }), expectedUpdatedAt: null },
            { delivery: makeDelivery({ id: 'old-deferred', status: 'deferred', createdAt: T0 - 2000 }), expectedUpdatedAt: null },
          ],
          archive: [{ deliveryId: 'old-pending', content: makeContent(), attempt: makeAttempt() }],
        });
        expect(await driver.purgeArchive(T0 + 5000)).toBe(5);
        for (const d of ds.slice(0, 5)) {
          expect(await driver.getArchived(d.id)).toBeUndefined();
          expect(await driver.getDelivery(d.id)).toBeUndefined();
        }
        expect(await searchIds({})).toEqual([...newestFirst(ds.slice(5)), 'old-pending', 'old-deferred']);
        // Deliveries still in progress are live state, never purged.
        expect((await driver.getArchived('old-pending'))?.contents).toHaveLength(1);
        expect(await driver.getDelivery('old-deferred')).toBeDefined();
        expect(await driver.purgeArchive(T0 + 5000)).toBe(0);
        expect(await driver.purgeArchive(T0 + 100_000)).toBe(7);
        expect(await searchIds({})).toEqual(['old-pending', 'old-deferred']);
      });

      it('purgeArchive deletes an accepted message that only a receipt would end, and keeps one whose delivery timeout is pending', async () => {
        await mustCommit({
          deliveries: [
            { delivery: makeDelivery({ id: 'accepted-no-timer', status: 'awaiting-receipt', timerId: null, providerMessageId: 'p-1', createdAt: T0 - 1000 }), expectedUpdatedAt: null },
            { delivery: makeDelivery({ id: 'accepted-timer', status: 'awaiting-receipt', timerId: 'accepted-timer:timeout:0:1', providerMessageId: 'p-2', createdAt: T0 - 1000 }), expectedUpdatedAt: null },
            { delivery: makeDelivery({ id: 'accepted-later', status: 'awaiting-receipt', timerId: null, providerMessageId: 'p-3', createdAt: T0 + 1000 }), expectedUpdatedAt: null },
          ],
          archive: [{ deliveryId: 'accepted-no-timer', content: makeContent(), attempt: makeAttempt() }],
        });
        expect(await driver.purgeArchive(T0)).toBe(1);
        expect(await driver.getDelivery('accepted-no-timer')).toBeUndefined();
        expect(await driver.getArchived('accepted-no-timer')).toBeUndefined();
        expect(await driver.findDeliveryByProviderId('p-1')).toBeUndefined();
        expect(await driver.getDelivery('accepted-timer')).toBeDefined();
        expect(await driver.getDelivery('accepted-later')).toBeDefined();
      });

      it('purgeArchive deletes ended instances last changed before the time, keeping active ones and reentry-never claims', async () => {
        const ended = (id: string, updatedAt: number, exclusive?: 'once' | 'while-active') => ({
          instance: makeInstance({ id, subjectId: id, status: 'completed', at: null, waiting: null, startedAt: T0 - 10_000, updatedAt }),
          expectedSeq: null,
          ...(exclusive ? { exclusive } : {}),
        });
        await mustCommit({
          instances: [
            ended('ended-old', T0 - 5000),
            ended('ended-old-after-exit', T0 - 5000, 'while-active'),
            ended('ended-recently', T0 + 10_000),
            ended('ended-old-never', T0 - 5000, 'once'),
            { instance: makeInstance({ id: 'active-old', startedAt: T0 - 10_000, updatedAt: T0 - 5000 }), expectedSeq: null },
          ],
        });
        await driver.purgeArchive(T0);
        expect(await driver.getInstance('ended-old')).toBeUndefined();
        expect(await driver.getInstance('ended-old-after-exit')).toBeUndefined();
        for (const kept of ['ended-recently', 'ended-old-never', 'active-old']) expect(await driver.getInstance(kept)).toBeDefined();
        // The claim of `reentry: never` still holds after the purge.
        const again = await driver.commit({ instances: [ended('ended-old-never-2', T0, 'once')].map((e) => ({ ...e, instance: { ...e.instance, subjectId: 'ended-old-never' } })) });
        expect(again.ok).toBe(false);
      });
    });

    // A store that lives in memory has no durability to test: the block is not registered, not skipped.
    if (hooks.reopen) describe('durability', () => {
      it('close and re-open keep every kind of data', async () => {
        const graph = makeGraph('sha256:1111');
        await driver.saveGraph(graph);
        await driver.setCurrentGraphVersion('sha256:1111');
        const subject = await driver.putSubject({ id: 'cust-1', contacts: { email: 'ada@example.com' }, channels: ['email'] });
        const instance = makeInstance({ id: 'inst-1', waiting: { kind: 'event', event: 'invoice.paid', timerId: null, until: null } });
        const delivery = makeDelivery({ id: 'del-1', status: 'delivered', providerMessageId: 'msg-1' });
        await mustCommit({
          events: ['ev-1'],
          instances: [{ instance, expectedSeq: null }],
          deliveries: [{ delivery, expectedUpdatedAt: null }],
          enqueue: [timerJob('leased', T0), timerJob('timer', T0 + 60_000)],
          sent: [{ subjectId: 'cust-1', category: 'billing', at: T0, dedupeKey: 'dk', deliveryId: null }],
          archive: [{ deliveryId: 'del-1', content: makeContent(), attempt: makeAttempt() }],
        });
        expect(await reservedIds(1, T0, 1000)).toEqual(['leased']);
        expect(await driver.ledgerBegin('k-open', T0)).toEqual({ state: 'new' });
        await driver.ledgerFinish('k-done', { ok: 1 }, T0);

        await driver.close();
        driver = await hooks.reopen!(driver, env);
        await driver.open();

        expect(await driver.loadGraph('sha256:1111')).toEqual(graph);
        expect(await driver.currentGraphVersion()).toBe('sha256:1111');
        expect(await driver.getSubject('cust-1')).toEqual(subject);
        expect(await driver.getInstance('inst-1')).toEqual(instance);
        expect(ids(await driver.findInstances({ subjectId: 'cust-1', waitingFor: 'invoice.paid' }))).toEqual(['inst-1']);
        expect(await driver.getDelivery('del-1')).toEqual(delivery);
        expect(await driver.findDeliveryByProviderId('msg-1')).toEqual(delivery);
        expect(await driver.eventSeen('ev-1')).toBe(true);
        expect(await driver.countSent('cust-1', 'billing', T0)).toBe(1);
        expect(await driver.seenDedupeKey('dk', T0)).toBe(true);
        expect(await driver.getArchived('del-1')).toEqual({ delivery, contents: [makeContent()], attempts: [makeAttempt()] });
        expect(await driver.ledgerBegin('k-open', T0 + 5)).toEqual({ state: 'in-flight', since: T0 });
        expect(await driver.ledgerBegin('k-done', T0 + 5)).toEqual({ state: 'done', result: { ok: 1 } });
        // The lease survived the restart; when it runs out the job is due again.
        expect(await driver.queueDepth()).toEqual({ queued: 1, reserved: 1 });
        expect(await driver.nextDueAt()).toBe(T0 + 1000);
        expect(await reservedIds(10, T0 + 999)).toEqual([]);
        expect(await driver.reserve(10, T0 + 1000, 100_000)).toMatchObject([{ id: 'leased', tries: 1 }]);
        expect(await reservedIds(10, T0 + 60_000)).toEqual(['timer']);
      });

      it('a unit in flight at close is committed or rejected, never half there', async () => {
        const pending = commit({
          instances: [{ instance: makeInstance({ id: 'inst-1' }), expectedSeq: null }],
          enqueue: [timerJob('j1', T0)],
        });
        await driver.close();
        const outcome = await pending.catch(() => undefined);
        driver = await hooks.reopen!(driver, env);
        await driver.open();
        const present = (await driver.getInstance('inst-1')) !== undefined;
        expect(present).toBe(outcome?.ok === true);
        expect(await driver.queueDepth()).toEqual({ queued: present ? 1 : 0, reserved: 0 });
      });
    });
  });
}
