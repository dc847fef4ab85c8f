import { describe, expect, it } from 'vitest';
import type { Instance } from '../engine/types.js';
import { checkExpectation, type SentMessage } from './check-expectation.js';

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
});
