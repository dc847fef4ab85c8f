import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { checkManifest, messageIdFor } from '@herald/plugin-sdk';
import type { OutboundMessage, SendContext } from '@herald/plugin-sdk';
import { assertChannelContract, memoryLogger, testPluginContext, testSendContext } from '@herald/plugin-sdk/test-kit';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import emailChannel from './index.js';
import type { EmailConfig, EmailContent } from './index.js';

// ---------------------------------------------------------------- a real SMTP server per test

interface TestServer {
  readonly port: number;
  readonly received: ParsedMail[];
  /** Sessions the server saw closed, to prove an aborted send hangs up. */
  readonly closedSessions: string[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<TestServer> {
  const received: ParsedMail[] = [];
  const closedSessions: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
    onClose(session) {
      closedSessions.push(session.id);
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const handle: TestServer = {
    port,
    received,
    closedSessions,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(handle);
  return handle;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

// ---------------------------------------------------------------- fixtures

const message: OutboundMessage<EmailContent> = {
  channel: 'email',
  kind: 'email',
  to: 'ada@example.test',
  locale: 'en-GB',
  content: {
    subject: 'Your invoice INV-7 is overdue',
    html: '<p>Dear Ada, invoice <b>INV-7</b> is overdue.</p>',
    text: 'Dear Ada, invoice INV-7 is overdue.',
  },
  subjectId: 'cust-42',
  journey: 'invoice-overdue',
  step: 'remind',
  category: 'billing',
  headers: { 'X-Campaign': 'dunning-q3', 'Message-ID': '<forged@evil.test>', Subject: 'forged' },
  metadata: { unsubscribeUrl: 'https://acme.test/unsubscribe?u=42' },
};

const config = (port: number, extra: Partial<EmailConfig> = {}): EmailConfig => ({
  host: '127.0.0.1',
  port,
  from: 'Acme Billing <billing@acme.test>',
  replyTo: 'support@acme.test',
  timeoutMs: 5000,
  ...extra,
});

async function open(cfg: EmailConfig) {
  return emailChannel.create(cfg, testPluginContext(cfg));
}

function sendContext(overrides: { idempotencyKey?: string; attempt?: number; signal?: AbortSignal } = {}): SendContext {
  return testSendContext({ messageIdDomain: 'acme.test', logger: memoryLogger(), ...overrides });
}

// ---------------------------------------------------------------- tests

describe('@herald/channel-email', () => {
  it('ships a manifest that is valid and matches package.json and the plugin', () => {
    const manifest = JSON.parse(readFileSync(new URL('../herald-plugin.json', import.meta.url), 'utf8')) as unknown;
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string; files: string[] };
    expect(checkManifest(manifest)).toMatchObject({ ok: true });
    expect(manifest).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'channel', message: 'email' });
    expect(pkg.files).toContain('herald-plugin.json');
    expect(emailChannel).toMatchObject({ kind: 'channel', name: '@herald/channel-email', messageKind: 'email', manifest });
  });

  it('delivers the rendered message with its headers, subject, html and text', async () => {
    const server = await startServer();
    const channel = await open(config(server.port));
    const ctx = sendContext({ idempotencyKey: 'inst-1:remind:email:0' });

    const result = await channel.send(message, ctx);

    expect(result).toMatchObject({ status: 'delivered', receipt: { providerMessageId: ctx.messageId } });
    expect(result.status === 'delivered' && result.receipt['response']).toMatch(/^250 /);
    expect(server.received).toHaveLength(1);
    const mail = server.received[0]!;
    expect(mail.subject).toBe('Your invoice INV-7 is overdue');
    expect(mail.html).toBe('<p>Dear Ada, invoice <b>INV-7</b> is overdue.</p>');
    expect(mail.text?.trim()).toBe('Dear Ada, invoice INV-7 is overdue.');
    expect(mail.from?.value).toEqual([{ name: 'Acme Billing', address: 'billing@acme.test' }]);
    expect(mail.replyTo?.value[0]?.address).toBe('support@acme.test');
    expect(mail.messageId).toBe(ctx.messageId);
    expect(mail.messageId).toBe(messageIdFor('inst-1:remind:email:0', 'acme.test'));
    expect(mail.headers.get('x-herald-idempotency-key')).toBe('inst-1:remind:email:0');
    expect(mail.headers.get('x-campaign')).toBe('dunning-q3');
    const rawHeader = (name: string) => mail.headerLines.find((h) => h.key === name)?.line;
    expect(rawHeader('list-unsubscribe')).toBe('List-Unsubscribe: <https://acme.test/unsubscribe?u=42>');
    expect(rawHeader('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.date?.getTime()).toBe(ctx.clock.now());
    // The template may not forge identity headers.
    expect(ctx.logger).toMatchObject({ entries: expect.arrayContaining([expect.objectContaining({ level: 'warn', fields: { header: 'Message-ID' } })]) });
    await channel.close?.();
  });

  it('gives a retried send the same Message-ID', async () => {
    const server = await startServer();
    const channel = await open(config(server.port));
    const key = 'inst-2:remind:email:0';
    const first = await channel.send(message, sendContext({ idempotencyKey: key, attempt: 1 }));
    const retry = await channel.send(message, sendContext({ idempotencyKey: key, attempt: 2 }));
    const other = await channel.send(message, sendContext({ idempotencyKey: 'inst-3:remind:email:0' }));
    expect([first.status, retry.status, other.status]).toEqual(['delivered', 'delivered', 'delivered']);
    const ids = server.received.map((m) => m.messageId);
    expect(ids[0]).toBe(messageIdFor(key, 'acme.test'));
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).not.toBe(ids[0]);
    await channel.close?.();
  });

  it('reports a recipient rejected with 550 as a permanent bounce', async () => {
    const server = await startServer({
      onRcptTo(address, _session, callback) {
        callback(smtpError(`<${address.address}>: Recipient address rejected: User unknown`, 550));
      },
    });
    const channel = await open(config(server.port));
    const result = await channel.send(message, sendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: false, bounced: true, code: 'SMTP_550' });
    expect(result.status === 'failed' && result.reason).toMatch(/RCPT TO: 550 .*User unknown/);
    expect(server.received).toHaveLength(0);
    await channel.close?.();
  });

  it('reports a 550 policy refusal (5.7.1) as permanent but not a bounce', async () => {
    const server = await startServer({
      onRcptTo(_address, _session, callback) {
        callback(smtpError('5.7.1 Relaying denied', 550));
      },
    });
    const channel = await open(config(server.port));
    const result = await channel.send(message, sendContext());
    expect(result).toEqual(expect.objectContaining({ status: 'failed', retryable: false, code: 'SMTP_550' }));
    expect(result.status === 'failed' && result.bounced).toBeFalsy();
    await channel.close?.();
  });

  it.each([
    ['RCPT TO', { onRcptTo: (_a: unknown, _s: unknown, cb: (e?: Error) => void) => cb(smtpError('4.2.1 Mailbox busy, try later', 451)) }],
    [
      'DATA',
      {
        onData: (stream: NodeJS.ReadableStream, _s: unknown, cb: (e?: Error) => void) => {
          stream.on('end', () => cb(smtpError('4.3.0 Local error in processing', 451)));
          stream.resume();
        },
      },
    ],
  ])('reports a 451 at %s as retryable', async (_when, handlers) => {
    const server = await startServer(handlers as Partial<SMTPServerOptions>);
    const channel = await open(config(server.port));
    const result = await channel.send(message, sendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: true, code: 'SMTP_451' });
    await channel.close?.();
  });

  it('reports a server that is down as retryable', async () => {
    const port = await closedPort();
    for (const pool of [false, true]) {
      const channel = await open(config(port, { pool }));
      const result = await channel.send(message, sendContext());
      expect(result).toMatchObject({ status: 'failed', retryable: true });
      expect(result.status === 'failed' && result.code).toMatch(/^(ECONNREFUSED|ECONNECTION|ESOCKET)$/);
      await channel.close?.();
    }
  });

  it('reports a server that never greets as a retryable timeout', async () => {
    const server = await startServer({
      onConnect() {
        // never call back: the greeting never comes
      },
    });
    const channel = await open(config(server.port, { timeoutMs: 200 }));
    const result = await channel.send(message, sendContext());
    expect(result).toMatchObject({ status: 'failed', retryable: true, code: 'ETIMEDOUT' });
    await channel.close?.();
  });

  it('returns promptly and hangs up when the signal aborts mid-send', async () => {
    const server = await startServer({
      onData(stream) {
        stream.resume(); // swallow the message and never answer
      },
    });
    const channel = await open(config(server.port));
    const controller = new AbortController();
    const started = performance.now();
    const sending = channel.send(message, sendContext({ signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('delivery timeout')), 150);
    const result = await sending;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ status: 'failed', retryable: true, code: 'ABORTED', reason: 'aborted: delivery timeout' });
    await expect.poll(() => server.closedSessions.length, { timeout: 2000 }).toBe(1);
    expect(server.received).toHaveLength(0);
    await channel.close?.();
  });

  it('close() stops an in-flight send and hangs up', async () => {
    const server = await startServer({
      onData(stream) {
        stream.resume(); // never answer
      },
    });
    const channel = await open(config(server.port));
    const sending = channel.send(message, sendContext());
    setTimeout(() => void channel.close?.(), 100);
    expect(await sending).toMatchObject({ status: 'failed', retryable: true, code: 'ABORTED', reason: 'aborted: the email channel closed' });
    await expect.poll(() => server.closedSessions.length, { timeout: 2000 }).toBe(1);
  });

  it('with a pool, reuses connections and still answers an abort promptly', async () => {
    const server = await startServer();
    const channel = await open(config(server.port, { pool: true }));
    const results = await Promise.all([1, 2, 3].map((i) => channel.send(message, sendContext({ idempotencyKey: `pooled-${i}` }))));
    expect(results.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(server.received).toHaveLength(3);
    const abortedResult = await channel.send(message, sendContext({ signal: AbortSignal.abort() }));
    expect(abortedResult).toMatchObject({ status: 'failed', retryable: true, code: 'ABORTED' });
    await channel.close?.();
  });

  it('takes many sends in flight at once without a MaxListenersExceededWarning', async () => {
    const server = await startServer();
    const channel = await open(config(server.port, { pool: true }));
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      // Node warns at the 11th listener on one signal; every send in flight listens on close()'s.
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => channel.send(message, sendContext({ idempotencyKey: `many-${i}` }))));
      expect(results.every((r) => r.status === 'delivered')).toBe(true);
      await new Promise((r) => setImmediate(r));
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await channel.close?.();
    }
  });

  it('refuses a message without a subject or body as permanent, and a closed channel as retryable', async () => {
    const server = await startServer();
    const channel = await open(config(server.port));
    const noBody = await channel.send({ ...message, content: { subject: 'Hi' } }, sendContext());
    expect(noBody).toMatchObject({ status: 'failed', retryable: false, code: 'INVALID_MESSAGE' });
    await channel.close?.();
    await channel.close?.();
    expect(await channel.send(message, sendContext())).toMatchObject({ status: 'failed', retryable: true, code: 'CLOSED' });
    expect(server.received).toHaveLength(0);
  });

  it('passes the SDK channel contract', async () => {
    const server = await startServer();
    await assertChannelContract(emailChannel, {
      config: config(server.port),
      validMessage: message,
      expect: 'delivered',
      stableReceipt: true,
      verifyIdempotency: ([first, retry]) => {
        const seen = server.received.filter((m) => m.headers.get('x-herald-idempotency-key') === first.ctx.idempotencyKey);
        expect(seen.map((m) => m.messageId)).toEqual([first.ctx.messageId, retry.ctx.messageId]);
        expect(retry.ctx.messageId).toBe(first.ctx.messageId);
      },
    });
  });
});
