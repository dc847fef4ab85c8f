import { describe, expect, it } from 'vitest';
import type { Delivery } from '../delivery/types.js';
import { advance } from '../engine/advance.js';
import { compileGraph } from '../engine/compile-graph.js';
import { appendHistory, HISTORY_LIMIT } from '../engine/run-state.js';
import { newInstance } from '../engine/start-instance.js';
import { subjectWithDefaults } from '../engine/subject-defaults.js';
import { compileTestGraph } from '../engine/test-graph.js';
import type { IncomingEvent, Instance } from '../engine/types.js';
import { checkExpectation, type SentMessage } from './check-expectation.js';
import type { Expectation } from '@herald/dsl';

const email: SentMessage = {
  journey: 'invoice-overdue',
  channel: 'email',
  template: 'payment-reminder',
  step: 'first-reminder',
  subject: 'c-100',
  to: 'ada@example.com',
  locale: 'en',
  content: { subject: 'Invoice INV-1 is overdue', text: 'Dear Ada' },
  at: 0,
  outcome: 'delivered',
};

const instance: Instance = {
  id: 'i-1',
  journey: 'invoice-overdue',
  version: 'v',
  subjectId: 'c-100',
  status: 'active',
  at: 'wait-payment',
  waiting: null,
  vars: { daysLate: 11 },
  startedAt: 0,
  updatedAt: 0,
  seq: 1,
  exitReason: null,
  history: [
    { at: 0, node: 'first-reminder', note: 'sent payment-reminder' },
    { at: 0, node: 'wait-payment', note: 'waiting for invoice.paid' },
  ],
};

const observed = { sent: [email], instances: [instance], archive: [] };

describe('checkExpectation', () => {
  it('passes when every expectation holds', () => {
    expect(
      checkExpectation(
        {
          sent: [{ channel: 'email', to: 'ada@example.com', content: { subject: { contains: 'INV-1' }, text: { matches: '^Dear' } } }],
          notSent: [{ channel: 'sms' }],
          sentCount: 1,
          instance: { subject: 'c-100', status: 'active', at: 'wait-payment', vars: { daysLate: 11 }, visited: ['first-reminder'], notVisited: ['thank-you'] },
          noInstance: { journey: 'welcome' },
        },
        observed,
      ),
    ).toEqual([]);
  });

  it('says what was expected and what was sent', () => {
    expect(checkExpectation({ sent: [{ channel: 'sms', subject: 'c-100' }] }, observed)).toEqual([
      'expected an sms to c-100, got: email to ada@example.com (template payment-reminder, step first-reminder); closest: email to ada@example.com (template payment-reminder, step first-reminder): channel is email, not sms',
    ]);
    expect(checkExpectation({ sent: [{ template: 'payment-thanks' }] }, { ...observed, sent: [] })).toEqual([
      'expected a message (template payment-thanks), nothing was sent',
    ]);
    expect(checkExpectation({ sent: [{ channel: 'email', content: { subject: { contains: 'INV-2' } } }] }, observed)[0]).toContain(
      'subject is "Invoice INV-1 is overdue", expected containing "INV-2"',
    );
  });

  it('says why nothing was sent when the deliveries say: deferred, skipped, failed', () => {
    const delivery = (over: Partial<Delivery>): Delivery => ({
      id: 'd-1',
      instanceId: 'i-1',
      journey: 'invoice-overdue',
      version: 'v',
      node: 'first-reminder',
      subjectId: 'c-100',
      template: 'payment-reminder',
      policy: 'dunning',
      category: 'billing',
      vars: {},
      status: 'deferred',
      channels: ['email'],
      channelIndex: 0,
      attempt: 0,
      timerId: null,
      providerMessageId: null,
      createdAt: 0,
      updatedAt: 0,
      history: [{ at: 0, note: 'deferred: quiet hours until 08:00 Europe/Berlin', channel: 'email' }],
      ...over,
    });
    const recent = [
      delivery({}),
      delivery({ id: 'd-2', template: 'welcome', status: 'skipped', history: [{ at: 0, note: 'skipped: no channel: email no address, sms opted out' }] }),
      delivery({ id: 'd-3', template: 'welcome', status: 'skipped', history: [{ at: 0, note: 'skipped: no channel: email no address, sms opted out' }] }),
      delivery({ id: 'd-4', template: 'receipt', status: 'delivered', history: [{ at: 0, note: 'email delivered' }] }),
    ];
    const nothing = { ...observed, sent: [], recent };
    expect(checkExpectation({ sent: [{ locale: 'en' }] }, nothing)).toEqual([
      'expected a message (locale en), nothing was sent; 1 delivery deferred: quiet hours until 08:00 Europe/Berlin; 2 deliveries skipped: no channel: email no address, sms opted out',
    ]);
    // Only deliveries the expected message could have come from.
    expect(checkExpectation({ sent: [{ template: 'payment-reminder' }] }, nothing)).toEqual([
      'expected a message (template payment-reminder), nothing was sent; 1 delivery deferred: quiet hours until 08:00 Europe/Berlin',
    ]);
    expect(checkExpectation({ sent: [{ template: 'receipt' }] }, nothing)).toEqual(['expected a message (template receipt), nothing was sent']);
    expect(checkExpectation({ sentCount: 1 }, { ...nothing, recent: [delivery({ status: 'failed', history: [{ at: 0, note: 'no channel left that the subject allows → failed' }] })] })).toEqual([
      'expected 1 message sent, nothing was sent; 1 delivery failed: no channel left that the subject allows → failed',
    ]);
  });

  it('counts each sent message once, and checks notSent and sentCount', () => {
    expect(checkExpectation({ sent: [{ channel: 'email' }, { channel: 'email' }] }, observed)).toHaveLength(1);
    expect(checkExpectation({ notSent: [{ template: 'payment-reminder' }] }, observed)).toEqual([
      'expected no message (template payment-reminder), but sent email to ada@example.com (template payment-reminder, step first-reminder)',
    ]);
    expect(checkExpectation({ sentCount: 0 }, observed)).toEqual([
      'expected 0 messages sent, got 1: email to ada@example.com (template payment-reminder, step first-reminder)',
    ]);
  });

  it('explains an instance that is elsewhere', () => {
    expect(checkExpectation({ instance: { status: 'exited', exitReason: 'paid', visited: ['thank-you'], vars: { daysLate: 3 } } }, observed)).toEqual([
      'instance invoice-overdue for c-100: expected status exited, got active at wait-payment (last: waiting for invoice.paid)',
      'instance invoice-overdue for c-100: expected exit reason paid, got (none)',
      'instance invoice-overdue for c-100: expected vars.daysLate = 3, got 11',
      'instance invoice-overdue for c-100: expected to pass through thank-you, its path was first-reminder → wait-payment',
    ]);
    expect(checkExpectation({ instance: { journey: 'welcome' } }, observed)).toEqual([
      'expected an instance of welcome, found none; instances: invoice-overdue for c-100 (active at wait-payment)',
    ]);
  });

  it('takes the instance started last when several started at the same instant', () => {
    // Listed as the store lists them (started_at, then id): the ids do not say which started first.
    const first = { ...instance, id: 'invoice-overdue:b-first', vars: { n: 1 }, startedAt: 5 };
    const second = { ...instance, id: 'invoice-overdue:a-second', vars: { n: 2 }, startedAt: 5 };
    const older = { ...instance, id: 'invoice-overdue:z-older', vars: { n: 0 }, startedAt: 1 };
    const startOrder = new Map([
      [older.id, 0],
      [first.id, 1],
      [second.id, 2],
    ]);
    const pick = (instances: Instance[], order?: ReadonlyMap<string, number>) =>
      checkExpectation({ instance: { vars: { n: 2 } } }, { sent: [], instances, archive: [], ...(order ? { startOrder: order } : {}) });
    expect(pick([second, first, older], startOrder)).toEqual([]);
    expect(pick([older, second, first], startOrder)).toEqual([]);
    // Without the start order, the later listed of the same instant is taken as the later started.
    expect(pick([older, first, second])).toEqual([]);
    expect(pick([older, second, first])).toEqual(['instance invoice-overdue for c-100: expected vars.n = 2, got 1']);
  });
});

describe('checkExpectation: visited and notVisited on a trimmed history', () => {
  // Histories made by the engine itself, so its first note and its trimming are the real ones.
  const LOOP = `journey: acks
trigger: { event: order.placed }
steps:
  - id: welcome
    send: note
  - id: ack
    wait: { event: order.paid, timeout: 1d }
    onTimeout: done
  - id: thanks
    send: note
  - goto: ack
  - id: done
    exit: done
`;
  const ir = compileTestGraph({ 'journeys/acks.journey.yaml': LOOP });
  const graph = compileGraph(ir);
  const ctx = { now: 0, subject: subjectWithDefaults(ir, 'c-1', { contacts: { email: 'c1@example.com' } }) };
  const event = (type: string, id: string): IncomingEvent => ({ id, type, data: { subjectId: 'c-1', orderId: 'o-1', amount: 1, at: '2026-03-02T09:00:00Z' }, receivedAt: 0 });

  /** An instance that went through welcome once, then round the ack → thanks loop `payments` times. */
  function looped(payments: number): Instance {
    let i = advance(graph, newInstance(graph, 'acks', 'c-1', event('order.placed', 'e-0'), 0, 'i-1'), { kind: 'start' }, ctx).instance;
    for (let k = 1; k <= payments; k++) i = advance(graph, i, { kind: 'event', event: event('order.paid', `e-${k}`) }, ctx).instance;
    return i;
  }
  const check = (i: Instance, m: NonNullable<Expectation['instance']>) => checkExpectation({ instance: m }, { sent: [], instances: [i], archive: [] });
  const name = 'instance acks for c-1';
  const cannotTell = `its history holds only the last ${HISTORY_LIMIT} entries, so it cannot tell`;

  it('judges a whole history as before', () => {
    const short = looped(2);
    expect(check(short, { visited: ['welcome', 'thanks'], notVisited: ['done'] })).toEqual([]);
    expect(check(short, { visited: ['done'], notVisited: ['welcome'] })).toEqual([
      `${name}: expected to pass through done, its path was welcome → ack → thanks`,
      `${name}: expected not to pass through welcome, its path was welcome → ack → thanks`,
    ]);
  });

  it('cannot tell whether a step missing from a trimmed history was passed long ago', () => {
    const long = looped(HISTORY_LIMIT);
    expect(long.history).toHaveLength(HISTORY_LIMIT);
    expect(long.history.some((h) => h.node === 'welcome')).toBe(false);
    // welcome was passed, before the kept entries: notVisited must not pass, visited must not say "no".
    expect(check(long, { notVisited: ['welcome'] })).toEqual([`${name}: expected not to pass through welcome, but ${cannotTell}`]);
    expect(check(long, { visited: ['welcome'] })).toEqual([`${name}: expected to pass through welcome, but ${cannotTell}; its recent path was ... → ack → thanks`]);
    // What the kept entries do show is still certain either way.
    expect(check(long, { visited: ['thanks', 'ack'] })).toEqual([]);
    expect(check(long, { notVisited: ['thanks'] })).toEqual([`${name}: expected not to pass through thanks, its path was ... → ack → thanks`]);
  });

  it('tells a history exactly at the limit from a trimmed one by its first note', () => {
    const short = looped(1);
    const filler = Array.from({ length: HISTORY_LIMIT - short.history.length }, (_, k) => ({ at: k, node: 'ack', note: `kept ${k}` }));
    const full = { ...short, history: appendHistory(short.history, filler) };
    expect(full.history).toHaveLength(HISTORY_LIMIT);
    expect(check(full, { notVisited: ['done'] })).toEqual([]);
    const over = { ...full, history: appendHistory(full.history, [{ at: 0, node: 'ack', note: 'one more' }]) };
    expect(check(over, { notVisited: ['done'] })).toEqual([`${name}: expected not to pass through done, but ${cannotTell}`]);
  });
});
