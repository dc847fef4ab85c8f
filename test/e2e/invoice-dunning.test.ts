/**
 * The invoice-dunning example end to end: its own herald.yaml, the embedded driver in memory,
 * the real email plugin talking to a real SMTP server, the log channel for SMS and letters,
 * the file source for the CRM, and a virtual clock that turns weeks into milliseconds.
 *
 * The example's email channel is `host: ${SMTP_HOST}, port: 2525`: the port is fixed, so each
 * test's SMTP server listens on 2525 at its own loopback address (127.x.y.z), which keeps
 * parallel test files apart.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedDriver } from '../../runtime/src/driver/embedded/index.js';
import { createRuntime, createVirtualClock, loadProjectGraph, type Runtime, type VirtualClock } from '../../runtime/src/orchestrator/index.js';
import type { GraphIR } from '@herald/dsl';
import { messageIdFor } from '@herald/plugin-sdk';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';

const projectRoot = fileURLToPath(new URL('../../examples/invoice-dunning/', import.meta.url));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Tuesday 2030-01-01, 10:00 in Berlin: outside the policies' quiet hours (21:00-08:00).
const T0 = Date.UTC(2030, 0, 1, 9, 0);

let graph: GraphIR;
beforeAll(() => {
  const loaded = loadProjectGraph(projectRoot);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  graph = loaded.ir!;
});

interface Harness {
  readonly runtime: Runtime;
  readonly clock: VirtualClock;
  readonly smtp: SmtpSink;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.runtime.stop();
    await h.smtp.close();
  }
});

async function harness(): Promise<Harness> {
  const host = `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
  const smtp = await startSmtpSink({ host, port: 2525 });
  const clock = createVirtualClock(T0);
  const runtime = createRuntime({
    driver: createEmbeddedDriver({ path: ':memory:', clock: clock.now }),
    graph,
    projectRoot,
    clock,
    pool: { threads: 1, env: { ...process.env, SMTP_HOST: host }, logLevel: 'error' },
  });
  await runtime.start();
  const h = { runtime, clock, smtp };
  open.push(h);
  return h;
}

const overdue = (subjectId: string, invoiceId: string, amount = 1200) => ({
  type: 'invoice.overdue',
  id: `overdue-${invoiceId}`,
  data: { subjectId, invoiceId, amount, currency: 'EUR', dueDate: '2029-12-01T00:00:00Z' },
});

describe('invoice-dunning, end to end', () => {
  it('reminds by email, sends the second notice after 7 days without payment, then escalates a business customer', async () => {
    const { runtime, smtp } = await harness();
    await runtime.putSubject({ id: 'c-100', contacts: { email: 'ada@example.com', sms: '+15550100' } });
    expect(await runtime.ingest(overdue('c-100', 'INV-1'))).toEqual({ ok: true, eventId: 'overdue-INV-1', duplicate: false });
    // The same event posted again is recognised.
    expect(await runtime.ingest(overdue('c-100', 'INV-1'))).toMatchObject({ ok: true, duplicate: true });

    await runtime.runUntilIdle(T0 + HOUR);
    expect(smtp.mails).toHaveLength(1);
    const first = smtp.mails[0]!;
    expect(first.to).toEqual(['ada@example.com']);
    expect(first.subject).toBe('Invoice INV-1 is overdue');
    expect(first.html).toContain('<p>Dear Ada Lovelace,</p>');
    expect(first.html).toContain('Your account manager Grace is happy to help.');
    expect(first.text).toContain('invoice INV-1 over 1200 EUR was due on 2029-12-01T00:00:00Z');
    const [instance] = await runtime.findInstances({ subjectId: 'c-100' });
    expect(instance).toMatchObject({ journey: 'invoice-overdue', status: 'active', at: 'wait-payment' });
    // The Message-ID is the deterministic one of the delivery's idempotency key.
    const { items } = await runtime.searchArchive({ subjectId: 'c-100' });
    const attempt = items[0]!.attempts[0]!;
    expect(first.messageId).toBe(messageIdFor(attempt.idempotencyKey, 'acme.example'));

    await runtime.runUntilIdle(T0 + 7 * DAY + HOUR);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Invoice INV-1 is overdue', 'Invoice INV-1 is overdue']);

    await runtime.runUntilIdle(T0 + 14 * DAY + 2 * HOUR);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Invoice INV-1 is overdue', 'Invoice INV-1 is overdue', 'Final notice: invoice INV-1']);
    // daysLate was set at the second notice: 2030-01-08 minus the due date 2029-12-01.
    expect(smtp.mails[2]!.text).toContain('invoice INV-1, 38 days late');
    const ended = await runtime.getInstance(instance!.id);
    expect(ended).toMatchObject({ status: 'exited', exitReason: 'escalated' });
    // The escalation event was emitted and routed (no journey starts on it here).
    const archive = await runtime.searchArchive({ subjectId: 'c-100' });
    expect(archive.items).toHaveLength(3);
    expect(archive.items.every((m) => m.delivery.status === 'delivered')).toBe(true);
    expect(await runtime.metrics()).toMatch(/herald_messages_total\{channel="email",status="delivered"\} 3/);
  });

  it('with a subject.source (the CRM), ingest only records the event: the scheduler routes it, querying the CRM', async () => {
    const { runtime } = await harness();
    await runtime.putSubject({ id: 'c-100', contacts: { email: 'ada@example.com' } });
    expect(await runtime.ingest(overdue('c-100', 'INV-Q'))).toMatchObject({ ok: true, duplicate: false });
    expect(await runtime.findInstances({ subjectId: 'c-100' })).toEqual([]);
    await runtime.runUntilIdle(T0 + HOUR);
    expect((await runtime.findInstances({ subjectId: 'c-100' })).map((i) => i.journey)).toEqual(['invoice-overdue']);
  });

  it('says thank you when the payment arrives', async () => {
    const { runtime, smtp } = await harness();
    await runtime.putSubject({ id: 'c-200', contacts: { email: 'alan@example.com' } });
    await runtime.ingest(overdue('c-200', 'INV-2', 80));
    await runtime.runUntilIdle(T0 + HOUR);
    await runtime.ingest({ type: 'invoice.paid', data: { subjectId: 'c-200', invoiceId: 'INV-2' } });
    await runtime.runUntilIdle(T0 + 2 * HOUR);
    expect(smtp.mails.map((m) => m.subject)).toEqual(['Invoice INV-2 is overdue', 'Thank you for your payment']);
    expect(smtp.mails[1]!.text).toContain('Dear Alan Turing, we received the payment for invoice INV-2');
    const [instance] = await runtime.findInstances({ subjectId: 'c-200' });
    expect(instance).toMatchObject({ status: 'exited', exitReason: 'paid' });
  });

  it('uses SMS (the log channel) for a subject who opted out of email', async () => {
    const { runtime, smtp } = await harness();
    await runtime.putSubject({ id: 'c-200', contacts: { email: 'alan@example.com', sms: '+15550200' }, optOuts: ['email'] });
    await runtime.ingest(overdue('c-200', 'INV-3', 50));
    await runtime.runUntilIdle(T0 + HOUR);
    expect(smtp.mails).toHaveLength(0);
    const { items } = await runtime.searchArchive({ subjectId: 'c-200' });
    expect(items).toHaveLength(1);
    // email: opted out; letter: no address (the delivery policy's consent check).
    expect(items[0]!.delivery).toMatchObject({ status: 'delivered', channels: ['sms'] });
    expect(items[0]!.delivery.history.map((h) => h.note)).toEqual(expect.arrayContaining(['email skipped: opted out', 'letter skipped: no address']));
    expect(items[0]!.contents[0]).toMatchObject({ channel: 'sms', to: '+15550200' });
    expect(items[0]!.contents[0]!.fields['body']).toBe('Acme: invoice INV-3 (50 EUR) is overdue. Reply STOP to opt out.');
  });

  it('fails over to SMS when the mail server refuses the recipient (550), and the archive says so', async () => {
    const { runtime, smtp } = await harness();
    smtp.refuse.add('nobody@example.com');
    await runtime.putSubject({ id: 'c-100', contacts: { email: 'nobody@example.com', sms: '+15550100' } });
    await runtime.ingest(overdue('c-100', 'INV-4'));
    await runtime.runUntilIdle(T0 + HOUR);
    expect(smtp.mails).toHaveLength(0);
    const { items } = await runtime.searchArchive({ subjectId: 'c-100' });
    const message = items[0]!;
    expect(message.delivery.status).toBe('delivered');
    expect(message.attempts.map((a) => [a.channel, (a.result as { status: string }).status])).toEqual([
      ['email', 'failed'],
      ['sms', 'delivered'],
    ]);
    expect(message.attempts[0]!.result).toMatchObject({ bounced: true, retryable: false });
    expect(message.delivery.history.map((h) => h.note)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^email bounced .*→ failover to sms$/), 'sms delivered']),
    );
    // Searchable by subject, channel and status.
    expect((await runtime.searchArchive({ subjectId: 'c-100', status: 'delivered' })).items).toHaveLength(1);
    expect((await runtime.searchArchive({ subjectId: 'c-200' })).items).toHaveLength(0);
  });

  it('refuses invalid events with field errors and unknown types with a did-you-mean', async () => {
    const { runtime } = await harness();
    const bad = await runtime.ingest({ type: 'invoice.overdue', data: { subjectId: 'c-1', invoiceId: 'X', amount: '12', currency: 'EUR', dueDate: 'yesterday' } });
    expect(bad).toEqual({
      ok: false,
      errors: [
        { path: '/amount', message: 'must be a number, got a string ("12")' },
        { path: '/dueDate', message: 'must be an RFC 3339 timestamp such as 2026-11-01T09:00:00Z' },
      ],
    });
    expect(await runtime.ingest({ type: 'invoice.overdu', data: {} })).toEqual({
      ok: false,
      errors: [{ path: '/type', message: expect.stringContaining('is not a declared event type: "invoice.overdu"; did you mean "invoice.overdue"?') }],
    });
    expect(await runtime.metrics()).toMatch(/herald_events_rejected_total\{type="invoice.overdue"\} 1/);
  });
});
