/**
 * examples/invoice-dunning end to end on a virtual clock: the engine and the delivery
 * machine driven together by a tiny in-memory "driver" (timers, counters, a CRM, channels
 * that deliver at once), weeks simulated in milliseconds.
 */
import { describe, expect, it } from 'vitest';
import type { GraphIR } from '@herald/dsl';
import { delivered, type DeliveryResult } from '@herald/plugin-sdk';
import { advanceDelivery, deliveryEnv } from '../delivery/advance-delivery.js';
import { deliveryFacts, evaluatePolicyValues } from '../delivery/evaluate-policy.js';
import { newDelivery } from '../delivery/new-delivery.js';
import type { Delivery, DeliveryAdvance, DeliveryInput } from '../delivery/types.js';
import { advance } from './advance.js';
import { compileGraph, type CompiledGraph } from './compile-graph.js';
import { mayStart, newInstance, triggeredJourneys } from './start-instance.js';
import { subjectWithDefaults } from './subject-defaults.js';
import { compileRepoProject } from './test-graph.js';
import type { AdvanceResult, Effect, EngineInput, IncomingEvent, Instance, SubjectProfile } from './types.js';

const DAY = 86_400_000;
/** Monday 10:00 in Berlin. */
const T0 = Date.parse('2026-02-02T09:00:00Z');

const ir: GraphIR = compileRepoProject('examples/invoice-dunning');
const graph: CompiledGraph = compileGraph(ir);

const CRM: Record<string, { name: string; segment: string }> = {
  biz: { name: 'Acme GmbH', segment: 'business' },
  alice: { name: 'Alice', segment: 'consumer' },
};

class World {
  now = T0;
  instances = new Map<string, Instance>();
  deliveries = new Map<string, Delivery>();
  timers = new Map<string, { at: number; target: string }>();
  sent: { template: string; channel: string; at: number }[] = [];
  emitted: { type: string; data: unknown }[] = [];
  counters: { subjectId: string; category: string; at: number; key: string | null; deliveryId: string }[] = [];
  attemptResult: (channel: string) => DeliveryResult = () => delivered({ providerMessageId: `p-${this.sent.length}` });
  private nextId = 1;

  constructor(readonly subject: SubjectProfile) {}

  ingest(type: string, data: Record<string, unknown>): void {
    const event: IncomingEvent = { id: `e${this.nextId++}`, type, data, receivedAt: this.now };
    const { triggered } = triggeredJourneys(graph, event, (id) => (id === this.subject.id ? this.subject : undefined));
    for (const t of triggered) {
      const existing = [...this.instances.values()].filter((i) => i.journey === t.journey && i.subjectId === t.subjectId);
      if (!mayStart(t.reentry, existing, t.key)) continue;
      const inst = newInstance(graph, t.journey, t.subjectId, event, this.now, `inst${this.nextId++}`, t.key);
      this.instances.set(inst.id, inst);
      this.feed(inst.id, { kind: 'start' });
    }
    for (const inst of this.instances.values()) {
      const w = inst.waiting;
      if (inst.status === 'active' && w && (w.kind === 'event' || w.kind === 'batch') && w.event === type) this.feed(inst.id, { kind: 'event', event });
    }
  }

  feed(instanceId: string, input: EngineInput): AdvanceResult {
    const r = advance(graph, this.instances.get(instanceId)!, input, { now: this.now, subject: this.subject });
    this.instances.set(instanceId, r.instance);
    for (const e of r.effects) this.effect(instanceId, e);
    return r;
  }

  private effect(instanceId: string, e: Effect): void {
    switch (e.kind) {
      case 'schedule':
        this.timers.set(e.timerId, { at: e.at, target: `instance:${instanceId}` });
        break;
      case 'cancel':
        this.timers.delete(e.timerId);
        break;
      case 'fetch': {
        const data = Object.fromEntries(e.loads.map((l) => [l.name, CRM[l.args['id'] as string] ?? null]));
        this.feed(instanceId, { kind: 'fetched', requestId: e.requestId, result: { ok: true, data } });
        break;
      }
      case 'send': {
        const d = newDelivery(e, ir.policies[e.policy]!, this.now);
        this.deliveries.set(d.id, d);
        const values = evaluatePolicyValues(graph, d, this.subject, this.now);
        const sentInCapWindow = values.capSince === null ? 0 : this.counters.filter((c) => c.subjectId === d.subjectId && c.category === d.category && c.at > values.capSince!).length;
        const duplicate = values.dedupeSince !== null && this.counters.some((c) => c.key === values.dedupeKey && c.at > values.dedupeSince!);
        this.deliver(d.id, { kind: 'start', facts: deliveryFacts(values, { sentInCapWindow, duplicate }) });
        break;
      }
      case 'emit':
        this.emitted.push(e.event);
        break;
      case 'await':
        break;
      default:
        throw new Error(`unknown effect ${JSON.stringify(e satisfies never)}`);
    }
  }

  deliver(deliveryId: string, input: DeliveryInput): DeliveryAdvance {
    const d = this.deliveries.get(deliveryId)!;
    const r = advanceDelivery(ir.policies[d.policy]!, deliveryEnv(ir, d.template, this.subject, this.now), d, input);
    this.deliveries.set(deliveryId, r.delivery);
    for (const e of r.effects) {
      switch (e.kind) {
        case 'attempt': {
          this.sent.push({ template: d.template, channel: e.channel, at: this.now });
          this.deliver(deliveryId, { kind: 'result', channel: e.channel, attempt: e.attempt, result: this.attemptResult(e.channel) });
          break;
        }
        case 'schedule':
          this.timers.set(e.timerId, { at: e.at, target: `delivery:${deliveryId}` });
          break;
        case 'cancel':
          this.timers.delete(e.timerId);
          break;
        case 'count-sent':
          this.counters.push({ subjectId: e.subjectId, category: e.category, at: e.at, key: e.dedupeKey, deliveryId: e.deliveryId });
          break;
        case 'uncount-sent':
          this.counters = this.counters.filter((c) => c.deliveryId !== e.deliveryId);
          break;
        default:
          throw new Error(`unknown effect ${JSON.stringify(e satisfies never)}`);
      }
    }
    return r;
  }

  /** Move the clock forward, firing due timers in time order. */
  advanceTo(t: number): void {
    for (;;) {
      const due = [...this.timers.entries()].filter(([, v]) => v.at <= t).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [timerId, { at, target }] = due;
      this.timers.delete(timerId);
      this.now = Math.max(this.now, at);
      const [kind, id] = target.split(/:(.*)/s) as [string, string];
      if (kind === 'instance') this.feed(id, { kind: 'timer', timerId });
      else this.deliver(id, { kind: 'timer', timerId });
    }
    this.now = t;
  }

  only(): Instance {
    const all = [...this.instances.values()];
    expect(all).toHaveLength(1);
    return all[0]!;
  }
}

const overdue = (subjectId: string, amount: number, invoiceId = `inv-${subjectId}`) => ({ subjectId, invoiceId, amount, currency: 'EUR', dueDate: '2026-01-20T00:00:00Z' });
const profile = (id: string, s: Partial<SubjectProfile> = {}) =>
  subjectWithDefaults(ir, id, { name: id, contacts: { email: `${id}@example.com`, sms: '+49151', letter: 'Street 1' }, ...s });

describe('examples/invoice-dunning', () => {
  it('payment within the week → thank-you, exit paid', () => {
    const w = new World(profile('alice'));
    w.ingest('invoice.overdue', overdue('alice', 80));
    expect(w.sent).toEqual([{ template: 'payment-reminder', channel: 'email', at: T0 }]);
    w.advanceTo(T0 + 3 * DAY);
    w.ingest('invoice.paid', { subjectId: 'alice', invoiceId: 'inv-other' }); // another invoice: no match
    expect(w.only().status).toBe('active');
    w.ingest('invoice.paid', { subjectId: 'alice', invoiceId: 'inv-alice' });
    expect(w.only()).toMatchObject({ status: 'exited', exitReason: 'paid' });
    // The thank-you shares the reminder's policy and dedupe key, but is another message: not deduplicated.
    expect(w.sent.map((s) => s.template)).toEqual(['payment-reminder', 'payment-thanks']);
    expect(w.timers.size).toBe(0);
    w.advanceTo(T0 + 30 * DAY);
    expect(w.sent).toHaveLength(2);
  });

  it('no payment → second notice after 7 days → a business customer over 1000 is escalated', () => {
    const w = new World(profile('biz', { channels: ['sms'] }));
    w.ingest('invoice.overdue', overdue('biz', 5000));
    expect(w.sent).toEqual([{ template: 'payment-reminder', channel: 'sms', at: T0 }]); // preference first (policy `dunning`)
    w.advanceTo(T0 + 7 * DAY);
    expect(w.sent[1]).toEqual({ template: 'payment-reminder', channel: 'email', at: T0 + 7 * DAY }); // dunning-urgent ignores preference
    expect(w.only().vars['daysLate']).toBe(20);
    w.advanceTo(T0 + 14 * DAY);
    expect(w.emitted).toEqual([{ type: 'invoice.escalated', data: { subjectId: 'biz', invoiceId: 'inv-biz', reason: 'business customer, 20 days late' } }]);
    expect(w.sent.map((s) => s.template)).toEqual(['payment-reminder', 'payment-reminder', 'final-notice']);
    expect(w.only()).toMatchObject({ status: 'exited', exitReason: 'escalated' });
  });

  it('no payment → a consumer gets the final notice without escalation', () => {
    const w = new World(profile('alice'));
    w.ingest('invoice.overdue', overdue('alice', 5000));
    w.advanceTo(T0 + 15 * DAY);
    expect(w.emitted).toEqual([]);
    expect(w.sent.map((s) => s.template)).toEqual(['payment-reminder', 'payment-reminder', 'final-notice']);
    const history = w.only().history.map((h) => h.note);
    expect(history).toContain('branch: no condition held → final-notice');
  });

  it('payment during the second week → thank-you', () => {
    const w = new World(profile('biz'));
    w.ingest('invoice.overdue', overdue('biz', 5000));
    w.advanceTo(T0 + 9 * DAY);
    w.ingest('invoice.paid', { subjectId: 'biz', invoiceId: 'inv-biz' });
    expect(w.only()).toMatchObject({ status: 'exited', exitReason: 'paid' });
    expect(w.sent.map((s) => s.template)).toEqual(['payment-reminder', 'payment-reminder', 'payment-thanks']);
  });

  it('trigger.when, and key + reentry after-exit: one live instance per overdue invoice', () => {
    const w = new World(profile('alice'));
    w.ingest('invoice.overdue', overdue('alice', 0)); // when: event.amount > 0
    expect(w.instances.size).toBe(0);
    w.ingest('invoice.overdue', overdue('alice', 10, 'INV-1'));
    w.ingest('invoice.overdue', overdue('alice', 10, 'INV-1')); // the same invoice again: its instance is still active
    expect([...w.instances.values()].map((i) => i.key)).toEqual(['INV-1']);
    expect(w.sent).toHaveLength(1);
    w.ingest('invoice.overdue', overdue('alice', 20, 'INV-2')); // another invoice starts its own instance while the first waits
    expect([...w.instances.values()].map((i) => [i.key, i.status])).toEqual([['INV-1', 'active'], ['INV-2', 'active']]);
    // Once INV-1's instance has ended, the same invoice may start a journey again.
    w.ingest('invoice.paid', { subjectId: 'alice', invoiceId: 'INV-1' });
    w.ingest('invoice.overdue', overdue('alice', 10, 'INV-1'));
    expect([...w.instances.values()].map((i) => [i.key, i.status])).toEqual([['INV-1', 'exited'], ['INV-2', 'active'], ['INV-1', 'active']]);
  });

  it('an email bounce fails over to sms; the journey never waits for delivery', () => {
    const w = new World(profile('alice'));
    w.attemptResult = (channel) => (channel === 'email' ? { status: 'failed', retryable: false, bounced: true, reason: '550 unknown user' } : delivered());
    w.ingest('invoice.overdue', overdue('alice', 10));
    expect(w.sent.map((s) => s.channel)).toEqual(['email', 'sms']);
    const d = [...w.deliveries.values()][0]!;
    expect(d.status).toBe('delivered');
    expect(d.history.map((h) => h.note)).toContain('email bounced (550 unknown user) → failover to sms');
    expect(w.only().waiting).toMatchObject({ kind: 'event', event: 'invoice.paid' });
  });
});
