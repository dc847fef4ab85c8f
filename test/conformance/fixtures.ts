/**
 * Values for driver tests: instances, deliveries, graphs and archive records with every
 * field filled, so a driver that drops or mangles a field fails a deep-equality check.
 */
import type { GraphIR } from '@herald/dsl';
import type { ArchivedContent, AttemptRecord, Job, NewJob } from '../../runtime/src/driver/driver.js';
import type { Delivery } from '../../runtime/src/delivery/types.js';
import type { Instance } from '../../runtime/src/engine/types.js';

export const T0 = 1_700_000_000_000;

export function makeInstance(over: Partial<Instance> & { readonly id: string }): Instance {
  return {
    journey: 'invoice-dunning',
    version: 'sha256:aaaa',
    subjectId: 'cust-1',
    status: 'active',
    at: 'wait-payment',
    waiting: { kind: 'timer', timerId: `${over.id}:t`, until: T0 + 86_400_000 },
    vars: {
      trigger: { invoice: { id: 'inv-42', amount: 129.5, due: '2024-01-31', lines: [{ sku: 'A', qty: 2 }] } },
      note: 'ünïcødé ✓ "quoted" \\ back',
      big: 2 ** 52,
      nothing: null,
    },
    startedAt: T0,
    updatedAt: T0,
    seq: 1,
    exitReason: null,
    history: [
      { at: T0, node: 'start', note: 'started by invoice.created' },
      { at: T0, node: 'send-reminder', note: 'sent reminder' },
    ],
    ...over,
  };
}

export function makeDelivery(over: Partial<Delivery> & { readonly id: string }): Delivery {
  const createdAt = over.createdAt ?? T0;
  return {
    instanceId: 'inst-1',
    journey: 'invoice-dunning',
    version: 'sha256:aaaa',
    node: 'send-reminder',
    subjectId: 'cust-1',
    template: 'reminder',
    policy: 'billing',
    category: 'billing',
    vars: { invoice: { id: 'inv-42', amount: 129.5 } },
    status: 'pending',
    channels: ['email', 'sms'],
    channelIndex: 0,
    attempt: 0,
    timerId: null,
    providerMessageId: null,
    createdAt,
    updatedAt: createdAt,
    history: [{ at: createdAt, note: 'created' }],
    ...over,
  };
}

export function timerJob(id: string, runAt: number, instanceId = 'inst-1'): NewJob {
  const job: Job = { kind: 'instance', instanceId, input: { kind: 'timer', timerId: id } };
  return { id, job, runAt };
}

export function eventJob(id: string, runAt: number): NewJob {
  return { id, job: { kind: 'event', event: { id: `ev-${id}`, type: 'invoice.paid', data: { invoice: 'inv-42' }, receivedAt: runAt } }, runAt };
}

export function makeContent(over: Partial<ArchivedContent> = {}): ArchivedContent {
  return {
    channel: 'email',
    kind: 'email',
    locale: 'en',
    to: 'ada@example.com',
    fields: { subject: 'Invoice inv-42 is due', text: 'Please pay €129.50.', html: '<p>Please pay €129.50.</p>' },
    renderedAt: T0,
    ...over,
  };
}

export function makeAttempt(over: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    channel: 'email',
    attempt: 1,
    idempotencyKey: 'inst-1:send-reminder:1:email',
    at: T0,
    result: { status: 'accepted', providerMessageId: 'msg-1' },
    ...over,
  };
}

export function makeGraph(version: string, journeyId = 'invoice-dunning'): GraphIR {
  const span = { file: 'journeys/dunning.yaml', start: [1, 1], end: [3, 10] } as const;
  return {
    format: 'herald.ir/v1',
    version,
    project: { name: 'acme', defaults: { locale: 'en', timezone: 'Europe/Paris', policy: null }, subjectSource: null, archive: { retentionMs: null, redact: [] } },
    events: { 'invoice.created': { type: { kind: 'object', fields: { id: { type: { kind: 'string' }, optional: false } } } } },
    subject: { type: { kind: 'dyn' } },
    channels: { email: { use: '@herald/channel-log', message: 'email', config: { to: 'stdout' } } },
    sources: {},
    journeys: [
      {
        id: journeyId,
        trigger: { event: 'invoice.created', subject: 'event.customer', when: null, reentry: 'never' },
        data: [],
        scope: { trigger: { kind: 'dyn' } },
        entry: 'wait',
        nodes: [
          { id: 'wait', kind: 'wait', mode: 'duration', ms: 86_400_000, next: 'done', span },
          { id: 'done', kind: 'exit', reason: 'paid', span },
        ],
        span,
      },
    ],
    templates: {},
    policies: {},
  };
}
