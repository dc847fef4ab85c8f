import { describe, expect, it } from 'vitest';
import type { PolicyIR } from '@herald/dsl';
import { accepted, bounced, delivered, failed, type DeliveryResult } from '@herald/plugin-sdk';
import type { SubjectProfile } from '../engine/types.js';
import { advanceDelivery, capRecheckSince, type DeliveryEnv } from './advance-delivery.js';
import { newDelivery, type SendEffect } from './new-delivery.js';
import type { Delivery, DeliveryAdvance, DeliveryFacts, DeliveryInput } from './types.js';

const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** 10:00 in Berlin (UTC+1 in January). */
const T0 = Date.parse('2026-01-15T09:00:00Z');

const POLICY: PolicyIR = {
  id: 'dunning',
  category: 'billing',
  channels: ['email', 'sms', 'letter'],
  order: null,
  failover: { on: ['failed', 'bounced', 'timeout'], deliveryTimeoutMs: 2 * HOUR },
  retry: { attempts: 3, backoff: 'exponential', initialMs: 30 * S, maxMs: 10 * MIN },
  quietHours: null,
  frequencyCap: null,
  dedupe: null,
};

const SEND: SendEffect = {
  kind: 'send',
  sendId: 'i1:remind:1',
  instanceId: 'i1',
  journey: 'dunning',
  version: 'sha256:abc',
  node: 'remind',
  subjectId: 'c1',
  template: 'payment-reminder',
  policy: 'dunning',
  vars: { trigger: { invoiceId: 'inv-1' } },
};

const SUBJECT: SubjectProfile = {
  id: 'c1',
  locale: 'en',
  timezone: 'Europe/Berlin',
  contacts: { email: 'c1@example.com', sms: '+49151000', letter: 'Main St 1' },
  channels: [],
  optOuts: [],
};

const FACTS: DeliveryFacts = { sentInCapWindow: 0, duplicate: false, order: null, dedupeKey: null, timezone: 'Europe/Berlin', capSince: null, dedupeSince: null };

function env(now: number, subject: Partial<SubjectProfile> = {}): DeliveryEnv {
  return {
    channelKinds: { email: 'email', sms: 'sms', letter: 'any' },
    templateKinds: new Set(['email', 'sms', 'letter']),
    subject: { ...SUBJECT, ...subject },
    now,
  };
}

/** A delivery driven step by step, with the clock and timers a driver would keep. */
class Sim {
  delivery: Delivery;
  now = T0;
  last: DeliveryAdvance | undefined;
  constructor(
    readonly policy: PolicyIR = POLICY,
    /** The profile as the store has it now: a test may change it between inputs. */
    public subject: Partial<SubjectProfile> = {},
  ) {
    this.delivery = newDelivery(SEND, policy, T0);
  }
  feed(input: DeliveryInput): DeliveryAdvance {
    this.last = advanceDelivery(this.policy, env(this.now, this.subject), this.delivery, input);
    this.delivery = this.last.delivery;
    return this.last;
  }
  start(facts: Partial<DeliveryFacts> = {}): DeliveryAdvance {
    return this.feed({ kind: 'start', facts: { ...FACTS, ...facts } });
  }
  result(result: DeliveryResult): DeliveryAdvance {
    const d = this.delivery;
    return this.feed({ kind: 'result', channel: d.channels[d.channelIndex]!, attempt: d.attempt, result });
  }
  /** Move the clock to the pending timer and fire it. */
  fire(): DeliveryAdvance {
    const schedule = this.last!.effects.find((e) => e.kind === 'schedule');
    if (!schedule || schedule.kind !== 'schedule') throw new Error('no timer scheduled');
    this.now = schedule.at;
    return this.feed({ kind: 'timer', timerId: schedule.timerId });
  }
  notes(): string[] {
    return this.delivery.history.map((h) => h.note);
  }
}

describe('advanceDelivery: start', () => {
  it('attempts the first channel with a stable idempotency key', () => {
    const sim = new Sim();
    const r = sim.start();
    expect(r.effects).toEqual([
      { kind: 'count-sent', deliveryId: 'i1:remind:1', subjectId: 'c1', category: 'billing', dedupeKey: null, at: T0, guard: null },
      { kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'email', attempt: 1, idempotencyKey: 'i1:remind:1:email' },
    ]);
    expect(r.delivery).toMatchObject({ status: 'attempting', counted: true, channels: ['email', 'sms', 'letter'], channelIndex: 0, attempt: 1, updatedAt: T0 + 1 }); // created at T0, changed in the same millisecond
    expect(sim.notes()).toEqual(['email attempt 1']);
  });

  it('orders channels by the evaluated preference', () => {
    const sim = new Sim();
    sim.start({ order: ['sms', 'push'] });
    expect(sim.delivery.channels).toEqual(['sms', 'email', 'letter']);
    expect(sim.last!.effects[1]).toMatchObject({ kind: 'attempt', channel: 'sms' });
    expect(sim.notes()).toEqual(['channel order: sms, email, letter', 'sms attempt 1']);
  });

  it('skips opted-out channels and channels without an address', () => {
    const sim = new Sim(POLICY, { optOuts: ['billing:email'], contacts: { email: 'x@example.com', letter: 'Main St 1' } });
    sim.start();
    expect(sim.delivery.channels).toEqual(['letter']);
    expect(sim.notes()).toEqual(['email skipped: opted out', 'sms skipped: no address', 'letter attempt 1']);
  });

  it('skips the message when no channel is left', () => {
    const sim = new Sim(POLICY, { optOuts: ['email'], contacts: { email: 'x@example.com' } });
    const r = sim.start();
    expect(r.effects).toEqual([]);
    expect(r.delivery.status).toBe('skipped');
    expect(sim.notes()).toEqual(['skipped: no channel: email opted out, sms no address, letter no address']);
  });

  it('skips a duplicate (dedupe) and a capped message', () => {
    const policy: PolicyIR = { ...POLICY, dedupe: { key: 'trigger.invoiceId', windowMs: 30 * DAY }, frequencyCap: { max: 2, perMs: DAY } };
    const dup = new Sim(policy);
    expect(dup.start({ duplicate: true, dedupeKey: 'c1:payment-reminder:inv-1' }).effects).toEqual([]);
    expect(dup.delivery.status).toBe('skipped');
    expect(dup.notes()).toEqual(['skipped: deduplicated: key c1:payment-reminder:inv-1 sent within 30d']);
    const capped = new Sim(policy);
    capped.start({ sentInCapWindow: 2 });
    expect(capped.delivery.status).toBe('skipped');
    expect(capped.notes()).toEqual(['skipped: frequency cap: 2 per 1d reached']);
    const under = new Sim(policy);
    const started = under.start({ sentInCapWindow: 1, dedupeKey: 'c1:payment-reminder:inv-2', capSince: T0 - DAY, dedupeSince: T0 - 30 * DAY });
    expect(started.delivery.status).toBe('attempting');
    // Counted from its start, with what the decision rested on: the store refuses the count if
    // the cap or the key was taken meanwhile.
    expect(started.effects[0]).toEqual({
      kind: 'count-sent',
      deliveryId: 'i1:remind:1',
      subjectId: 'c1',
      category: 'billing',
      dedupeKey: 'c1:payment-reminder:inv-2',
      at: T0,
      guard: { capMax: 2, capSince: T0 - DAY, dedupeSince: T0 - 30 * DAY },
    });
  });

  it('defers across midnight in quiet hours (Europe/Berlin), then attempts at 08:00 local', () => {
    const policy: PolicyIR = { ...POLICY, quietHours: { from: '21:00', to: '08:00', timezone: 'subject.timezone' } };
    const sim = new Sim(policy);
    sim.now = Date.parse('2026-01-15T22:30:00Z'); // 23:30 in Berlin
    const r = sim.start();
    const end = Date.parse('2026-01-16T07:00:00Z'); // 08:00 in Berlin
    // Deferred, it counts already: the cap is about messages decided, not the hour they leave.
    expect(r.effects).toEqual([
      { kind: 'count-sent', deliveryId: 'i1:remind:1', subjectId: 'c1', category: 'billing', dedupeKey: null, at: sim.now, guard: null },
      { kind: 'schedule', timerId: 'i1:remind:1:quiet:0:1', at: end },
    ]);
    expect(r.delivery).toMatchObject({ status: 'deferred', attempt: 0, timerId: 'i1:remind:1:quiet:0:1' });
    expect(sim.notes()).toEqual(['deferred: quiet hours until 08:00 Europe/Berlin']);
    const next = sim.fire();
    expect(next.effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'email', attempt: 1, idempotencyKey: 'i1:remind:1:email' }]);
    expect(next.delivery.updatedAt).toBe(end);
  });

  it('an opt-out while the message waits for the morning holds: the next channel the subject allows, noted', () => {
    const policy: PolicyIR = { ...POLICY, quietHours: { from: '21:00', to: '08:00', timezone: 'subject.timezone' } };
    const sim = new Sim(policy);
    sim.now = Date.parse('2026-01-15T22:30:00Z');
    sim.start();
    sim.subject = { optOuts: ['email'] };
    const next = sim.fire();
    expect(next.effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'sms', attempt: 1, idempotencyKey: 'i1:remind:1:sms' }]);
    expect(next.delivery).toMatchObject({ status: 'attempting', channelIndex: 1, attempt: 1 });
    expect(sim.notes()).toEqual(['deferred: quiet hours until 08:00 Europe/Berlin', 'email skipped: opted out', 'sms attempt 1']);
  });

  it('opted out of everything while it waited, the message is skipped and gives its count back', () => {
    const policy: PolicyIR = { ...POLICY, quietHours: { from: '21:00', to: '08:00', timezone: 'subject.timezone' } };
    const sim = new Sim(policy);
    sim.now = Date.parse('2026-01-15T22:30:00Z');
    sim.start();
    sim.subject = { optOuts: ['billing'] };
    const r = sim.fire();
    expect(r.effects).toEqual([{ kind: 'uncount-sent', deliveryId: 'i1:remind:1' }]);
    expect(r.delivery).toMatchObject({ status: 'skipped', counted: false, timerId: null });
    expect(sim.notes().slice(1)).toEqual(['email skipped: opted out', 'sms skipped: opted out', 'letter skipped: opted out', 'skipped: no channel left that the subject allows']);
  });

  it('resuming after quiet hours, checks the cap again: waits while it is taken, then counts from when it goes out', () => {
    const policy: PolicyIR = {
      ...POLICY,
      quietHours: { from: '21:00', to: '08:00', timezone: 'subject.timezone' },
      frequencyCap: { max: 1, perMs: HOUR },
    };
    const sim = new Sim(policy);
    sim.now = Date.parse('2026-01-15T22:30:00Z'); // 23:30 in Berlin
    sim.start({ capSince: sim.now - HOUR });
    const morning = Date.parse('2026-01-16T07:00:00Z'); // 08:00 in Berlin
    expect(capRecheckSince(policy, sim.delivery, { kind: 'timer', timerId: sim.delivery.timerId! }, morning)).toBe(morning - HOUR);
    expect(capRecheckSince(policy, sim.delivery, { kind: 'timer', timerId: 'another' }, morning)).toBeNull();
    expect(capRecheckSince(POLICY, sim.delivery, { kind: 'timer', timerId: sim.delivery.timerId! }, morning)).toBeNull(); // no cap

    // Another message deferred the same night went out at 08:00 and counts from then.
    sim.now = morning;
    const held = sim.feed({ kind: 'timer', timerId: sim.delivery.timerId!, cap: { since: morning - HOUR, counted: [morning] } });
    const room = morning + HOUR + 1; // the window includes its edge: 09:00 sharp still counts the 08:00 one
    expect(held.effects).toEqual([{ kind: 'schedule', timerId: `i1:remind:1:cap:0:1:${room}`, at: room }]);
    expect(held.delivery).toMatchObject({ status: 'deferred', attempt: 0, timerId: `i1:remind:1:cap:0:1:${room}`, counted: true });
    expect(sim.notes().at(-1)).toBe('frequency cap: 1 per 1h taken; deferred until 09:00 Europe/Berlin');

    // Taken again at 09:00 (another one waiting went first): waits for its count to leave the window.
    sim.now = room;
    const again = sim.feed({ kind: 'timer', timerId: sim.delivery.timerId!, cap: { since: room - HOUR, counted: [room] } });
    expect(again.effects).toEqual([{ kind: 'schedule', timerId: `i1:remind:1:cap:0:1:${room + HOUR + 1}`, at: room + HOUR + 1 }]);

    // Room at last: it goes out, its count moved to now (guarded; its own count left out by the store).
    sim.now = room + HOUR + 1;
    const out = sim.feed({ kind: 'timer', timerId: sim.delivery.timerId!, cap: { since: sim.now - HOUR, counted: [] } });
    expect(out.effects).toEqual([
      { kind: 'uncount-sent', deliveryId: 'i1:remind:1' },
      { kind: 'count-sent', deliveryId: 'i1:remind:1', subjectId: 'c1', category: 'billing', dedupeKey: null, at: sim.now, guard: { capMax: 1, capSince: sim.now - HOUR, dedupeSince: null } },
      { kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'email', attempt: 1, idempotencyKey: 'i1:remind:1:email' },
    ]);
    expect(out.delivery).toMatchObject({ status: 'attempting', attempt: 1, timerId: null, counted: true });
    expect(sim.notes()).toEqual([
      'deferred: quiet hours until 08:00 Europe/Berlin',
      'frequency cap: 1 per 1h taken; deferred until 09:00 Europe/Berlin',
      'frequency cap: 1 per 1h taken; deferred until 10:00 Europe/Berlin',
      'email attempt 1',
    ]);
  });

  it('with max 2, waits for the older of the two counts in the window; a cap wait into quiet hours defers to their end', () => {
    const policy: PolicyIR = {
      ...POLICY,
      quietHours: { from: '21:00', to: '08:00', timezone: 'subject.timezone' },
      frequencyCap: { max: 2, perMs: DAY },
    };
    const sim = new Sim(policy);
    sim.now = Date.parse('2026-01-15T22:30:00Z');
    sim.start({ capSince: sim.now - DAY });
    const morning = Date.parse('2026-01-16T07:00:00Z');
    sim.now = morning;
    const older = Date.parse('2026-01-15T12:00:00Z'); // 13:00 Berlin
    const held = sim.feed({ kind: 'timer', timerId: sim.delivery.timerId!, cap: { since: morning - DAY, counted: [older, morning] } });
    expect(held.effects).toEqual([{ kind: 'schedule', timerId: `i1:remind:1:cap:0:1:${older + DAY + 1}`, at: older + DAY + 1 }]);
    expect(sim.notes().at(-1)).toBe('frequency cap: 2 per 1d taken; deferred until 13:00 Europe/Berlin');
    // Without the facts (a handler that does not read them), it goes out as before.
    const plain = new Sim(policy);
    plain.now = Date.parse('2026-01-15T22:30:00Z');
    plain.start();
    expect(plain.fire().effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'email', attempt: 1, idempotencyKey: 'i1:remind:1:email' }]);
    // A cap wait that ends in quiet hours: to their end, checked again then.
    const late = new Sim(policy);
    late.now = Date.parse('2026-01-15T22:30:00Z');
    late.start();
    late.now = morning;
    const evening = Date.parse('2026-01-15T20:30:00Z'); // 21:30 Berlin: frees at 21:30 the next day, in quiet hours
    late.feed({ kind: 'timer', timerId: late.delivery.timerId!, cap: { since: morning - DAY, counted: [evening, morning] } });
    expect(late.notes().at(-1)).toBe('frequency cap: 2 per 1d taken; deferred until 21:30 Europe/Berlin');
    const q = late.fire();
    expect(q.effects).toEqual([{ kind: 'schedule', timerId: 'i1:remind:1:quiet:0:1', at: Date.parse('2026-01-17T07:00:00Z') }]);
    expect(late.notes().at(-1)).toBe('deferred: quiet hours until 08:00 Europe/Berlin');
  });

  it('uses the subject zone, then UTC, when the evaluated zone is unknown', () => {
    const policy: PolicyIR = { ...POLICY, quietHours: { from: '21:00', to: '08:00', timezone: 'subject.timezone' } };
    const sim = new Sim(policy);
    sim.now = Date.parse('2026-01-15T20:30:00Z'); // 21:30 Berlin, 20:30 UTC
    sim.start({ timezone: 'Mars/Base' });
    expect(sim.delivery.timezone).toBe('Europe/Berlin');
    expect(sim.notes()[0]).toBe('unknown time zone "Mars/Base": quiet hours in Europe/Berlin');
    expect(sim.delivery.status).toBe('deferred');
  });
});

describe('advanceDelivery: results', () => {
  it('delivered: done, counted since its start', () => {
    const sim = new Sim();
    sim.start({ dedupeKey: 'k1' });
    const r = sim.result(delivered({ providerMessageId: 'smtp-1' }));
    expect(r.effects).toEqual([]);
    expect(r.delivery).toMatchObject({ status: 'delivered', providerMessageId: 'smtp-1', counted: true });
    expect(sim.notes()).toEqual(['email attempt 1', 'email delivered']);
  });

  it('a delivery started by a Herald that counted at delivery counts when delivered', () => {
    const sim = new Sim();
    sim.start({ dedupeKey: 'k1' });
    const { counted: _, ...before } = sim.delivery;
    sim.delivery = before;
    const r = sim.result(delivered({ providerMessageId: 'smtp-1' }));
    expect(r.effects).toEqual([{ kind: 'count-sent', deliveryId: 'i1:remind:1', subjectId: 'c1', category: 'billing', dedupeKey: 'k1', at: T0, guard: null }]);
  });


  it('retries a retryable failure with exponential backoff on the same key, then fails over', () => {
    const sim = new Sim();
    sim.start();
    let r = sim.result(failed.retryable('connection refused'));
    expect(r.effects).toEqual([{ kind: 'schedule', timerId: 'i1:remind:1:retry:0:2', at: T0 + 30 * S }]);
    expect(r.delivery).toMatchObject({ status: 'deferred', attempt: 1 });
    r = sim.fire();
    expect(r.effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'email', attempt: 2, idempotencyKey: 'i1:remind:1:email' }]);
    r = sim.result(failed.retryable('connection refused'));
    expect(r.effects).toEqual([{ kind: 'schedule', timerId: 'i1:remind:1:retry:0:3', at: T0 + 30 * S + 60 * S }]);
    sim.fire();
    r = sim.result(failed.retryable('timeout'));
    expect(r.effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'sms', attempt: 1, idempotencyKey: 'i1:remind:1:sms' }]);
    expect(sim.notes()).toEqual([
      'email attempt 1',
      'email attempt 2 in 30s after: connection refused',
      'email attempt 2',
      'email attempt 3 in 1m after: connection refused',
      'email attempt 3',
      'email failed 3 times (last: timeout) → failover to sms',
      'sms attempt 1',
    ]);
  });

  it('a retry or a failover goes only where the subject still allows; after attempts, none left is a failure', () => {
    const sim = new Sim();
    sim.start();
    sim.result(failed.retryable('connection refused'));
    // The address went while the retry waited: the retry goes to sms instead.
    sim.subject = { contacts: { sms: '+49151000', letter: 'Main St 1' } };
    let r = sim.fire();
    expect(r.effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'sms', attempt: 1, idempotencyKey: 'i1:remind:1:sms' }]);
    // Then an opt-out of letters: sms bouncing fails over to nothing.
    sim.subject = { ...sim.subject, optOuts: ['letter'] };
    r = sim.result(bounced('no such number'));
    expect(r.effects).toEqual([{ kind: 'uncount-sent', deliveryId: 'i1:remind:1' }]);
    expect(r.delivery.status).toBe('failed');
    expect(sim.notes().slice(2)).toEqual([
      'email skipped: no address',
      'sms attempt 1',
      'sms bounced (no such number) → failover to letter',
      'letter skipped: opted out',
      'no channel left that the subject allows → failed',
    ]);
  });

  it("honours a provider's retryAfterMs", () => {
    const sim = new Sim();
    sim.start();
    const r = sim.result(failed.retryable('429 too many requests', { retryAfterMs: 5 * MIN }));
    expect(r.effects).toEqual([{ kind: 'schedule', timerId: 'i1:remind:1:retry:0:2', at: T0 + 5 * MIN }]);
    expect(sim.notes().at(-1)).toBe('email attempt 2 in 5m after: 429 too many requests');
  });

  it('fails over on a bounce without retrying', () => {
    const sim = new Sim();
    sim.start();
    const r = sim.result(bounced('550 no such user'));
    expect(r.effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'sms', attempt: 1, idempotencyKey: 'i1:remind:1:sms' }]);
    expect(sim.notes()).toContain('email bounced (550 no such user) → failover to sms');
    expect(sim.delivery.history.at(-2)).toMatchObject({ channel: 'email', outcome: 'bounced' });
    expect(sim.delivery.history.filter((h) => h.outcome !== undefined)).toHaveLength(1);
  });

  it('a permanent failure not in failover.on fails the delivery, which gives its count back', () => {
    const sim = new Sim({ ...POLICY, failover: { on: ['bounced'], deliveryTimeoutMs: null } });
    sim.start();
    const r = sim.result(failed.permanent('invalid credentials'));
    expect(r.effects).toEqual([{ kind: 'uncount-sent', deliveryId: 'i1:remind:1' }]);
    expect(r.delivery).toMatchObject({ status: 'failed', counted: false });
    expect(sim.notes().at(-1)).toBe('email failed permanently (invalid credentials); no failover on failed → failed');
  });

  it('fails when the last channel fails', () => {
    const sim = new Sim({ ...POLICY, channels: ['email', 'sms'] });
    sim.start();
    sim.result(bounced('550'));
    const r = sim.result(failed.permanent('number blocked'));
    expect(r.delivery.status).toBe('failed');
    expect(sim.notes().at(-1)).toBe('sms failed permanently (number blocked); no channel left → failed');
    expect(r.delivery.history.at(-1)).toMatchObject({ channel: 'sms', outcome: 'failed' });
  });

  it('a retry that would land in quiet hours waits for the morning', () => {
    const policy: PolicyIR = { ...POLICY, quietHours: { from: '21:00', to: '08:00', timezone: 'subject.timezone' }, retry: { ...POLICY.retry, initialMs: 10 * MIN } };
    const sim = new Sim(policy);
    sim.now = Date.parse('2026-01-15T19:55:00Z'); // 20:55 Berlin
    sim.start();
    sim.result(failed.retryable('421 try later'));
    const r = sim.fire(); // 21:05 Berlin
    expect(r.effects).toEqual([{ kind: 'schedule', timerId: 'i1:remind:1:quiet:0:2', at: Date.parse('2026-01-16T07:00:00Z') }]);
    expect(sim.fire().effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'email', attempt: 2, idempotencyKey: 'i1:remind:1:email' }]);
  });
});

describe('advanceDelivery: receipts and delivery timeout', () => {
  it('accepted → receipt delivered', () => {
    const sim = new Sim();
    sim.start();
    let r = sim.result(accepted({ providerMessageId: 'sms-77' }));
    expect(r.effects).toEqual([{ kind: 'schedule', timerId: 'i1:remind:1:timeout:0:1', at: T0 + 2 * HOUR }]);
    expect(r.delivery).toMatchObject({ status: 'awaiting-receipt', providerMessageId: 'sms-77' });
    r = sim.feed({ kind: 'receipt', providerMessageId: 'sms-77', outcome: 'delivered' });
    expect(r.effects).toEqual([{ kind: 'cancel', timerId: 'i1:remind:1:timeout:0:1' }]);
    expect(r.delivery.status).toBe('delivered');
    expect(sim.notes()).toEqual(['email attempt 1', 'email accepted (sms-77), waiting up to 2h for a receipt', 'email delivered (receipt)']);
  });

  it('accepted → no receipt within the delivery timeout → failover; the late receipt is stale', () => {
    const sim = new Sim();
    sim.start();
    sim.result(accepted({ providerMessageId: 'mail-1' }));
    const r = sim.fire();
    expect(r.effects).toEqual([{ kind: 'attempt', deliveryId: 'i1:remind:1', channel: 'sms', attempt: 1, idempotencyKey: 'i1:remind:1:sms' }]);
    expect(sim.notes()).toContain('email got no receipt within 2h → failover to sms');
    const before = sim.delivery;
    const late = sim.feed({ kind: 'receipt', providerMessageId: 'mail-1', outcome: 'delivered' });
    expect(late.delivery).toBe(before);
    expect(late.effects).toEqual([]);
  });

  it('a bounce receipt fails over', () => {
    const sim = new Sim();
    sim.start();
    sim.result(accepted({ providerMessageId: 'mail-1' }));
    const r = sim.feed({ kind: 'receipt', providerMessageId: 'mail-1', outcome: 'bounced', reason: 'mailbox full' });
    expect(r.effects[0]).toEqual({ kind: 'cancel', timerId: 'i1:remind:1:timeout:0:1' });
    expect(r.effects[1]).toMatchObject({ kind: 'attempt', channel: 'sms' });
    expect(sim.notes()).toContain('email bounced (mailbox full) → failover to sms');
  });

  it('without timeout in failover.on, keeps waiting for the receipt', () => {
    const sim = new Sim({ ...POLICY, failover: { on: ['bounced'], deliveryTimeoutMs: HOUR } });
    sim.start();
    sim.result(accepted({ providerMessageId: 'p1' }));
    const r = sim.fire();
    expect(r.effects).toEqual([]);
    expect(r.delivery).toMatchObject({ status: 'awaiting-receipt', timerId: null, providerMessageId: 'p1' });
    expect(sim.feed({ kind: 'receipt', providerMessageId: 'p1', outcome: 'delivered' }).delivery.status).toBe('delivered');
  });
});

describe('advanceDelivery: cancelled (its instance stopped by an operator)', () => {
  const CANCEL: DeliveryInput = { kind: 'cancel', reason: 'its instance was stopped by an operator' };

  it('skips a message deferred by quiet hours: its timer cancelled, its count given back', () => {
    const sim = new Sim({ ...POLICY, quietHours: { from: '21:00', to: '08:00', timezone: 'subject.timezone' } });
    sim.now = Date.parse('2026-01-15T22:30:00Z');
    sim.start();
    sim.now += HOUR;
    const r = sim.feed(CANCEL);
    expect(r.effects).toEqual([
      { kind: 'cancel', timerId: 'i1:remind:1:quiet:0:1' },
      { kind: 'uncount-sent', deliveryId: 'i1:remind:1' },
    ]);
    expect(r.delivery).toMatchObject({ status: 'skipped', timerId: null, counted: false });
    expect(sim.notes().at(-1)).toBe('skipped: cancelled, its instance was stopped by an operator');
    // Its timer, had it fired anyway, changes nothing.
    expect(sim.feed({ kind: 'timer', timerId: 'i1:remind:1:quiet:0:1' }).delivery).toBe(r.delivery);
  });

  it('skips a message waiting out a retry\'s backoff, and leaves one whose attempt is under way or that a provider accepted', () => {
    const retrying = new Sim();
    retrying.start();
    retrying.result(failed.retryable('503'));
    expect(retrying.delivery.status).toBe('deferred');
    expect(retrying.feed(CANCEL).delivery.status).toBe('skipped');

    const attempting = new Sim();
    attempting.start();
    const before = attempting.delivery;
    expect(attempting.feed(CANCEL).delivery).toBe(before);

    const awaiting = new Sim();
    awaiting.start();
    awaiting.result(accepted({ providerMessageId: 'p-1' }));
    expect(awaiting.delivery.status).toBe('awaiting-receipt');
    expect(awaiting.feed(CANCEL).delivery.status).toBe('awaiting-receipt');
  });
});

describe('advanceDelivery: stale inputs and replay', () => {
  it('ignores results for another channel or attempt, unknown timers and a second start', () => {
    const sim = new Sim();
    sim.start();
    const d = sim.delivery;
    const same = (input: DeliveryInput) => {
      const r = advanceDelivery(POLICY, env(T0), d, input);
      expect(r.delivery).toBe(d);
      expect(r.effects).toEqual([]);
    };
    same({ kind: 'result', channel: 'sms', attempt: 1, result: delivered() });
    same({ kind: 'result', channel: 'email', attempt: 2, result: delivered() });
    same({ kind: 'timer', timerId: 'i1:remind:1:retry:0:2' });
    same({ kind: 'receipt', providerMessageId: 'x', outcome: 'delivered' });
    same({ kind: 'start', facts: FACTS });
    sim.result(failed.retryable('refused'));
    const deferred = sim.delivery;
    const r = advanceDelivery(POLICY, env(T0), deferred, { kind: 'result', channel: 'email', attempt: 1, result: delivered() });
    expect(r.delivery).toBe(deferred);
  });

  it('the same input on the same delivery gives the same output', () => {
    const d = newDelivery(SEND, POLICY, T0);
    const input: DeliveryInput = { kind: 'start', facts: { ...FACTS, order: ['letter'] } };
    expect(JSON.stringify(advanceDelivery(POLICY, env(T0), d, input))).toBe(JSON.stringify(advanceDelivery(POLICY, env(T0), d, input)));
  });
});

describe('updatedAt as a concurrency token', () => {
  it('changes on every applied input, even when the clock has not moved', () => {
    const sim = new Sim();
    const created = sim.delivery.updatedAt;
    sim.start(); // same millisecond as creation
    const started = sim.delivery.updatedAt;
    expect(started).toBeGreaterThan(created);
    sim.result(failed.retryable('busy')); // still the same millisecond
    expect(sim.delivery.updatedAt).toBeGreaterThan(started);
  });

  it('stays put when an input does not apply', () => {
    const sim = new Sim();
    sim.start();
    const before = sim.delivery;
    const r = sim.feed({ kind: 'timer', timerId: 'not-a-timer-of-this-delivery' });
    expect(r.delivery).toBe(before);
  });
});
