import { afterEach, describe, expect, it } from 'vitest';
import emailChannel from '@herald/channel-email';
import { createApiServer } from '../api/create-server.js';
import { createFakeRuntime } from '../testing/fake-runtime.js';
import { registerDevMailRoutes } from './dev-mail-routes.js';
import { decodeEncodedWords, parseMail } from './parse-mail.js';
import { startSmtpCatcher, summariseMail, type SmtpCatcher } from './smtp-catcher.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const clock = { now: () => Date.UTC(2026, 2, 1, 9) };

async function sendWithEmailChannel(port: number, content: { subject: string; html?: string; text?: string }) {
  const config = { host: '127.0.0.1', port, from: 'Acme Billing <billing@acme.example>' };
  const channel = await emailChannel.create(config, { logger, clock, signal: new AbortController().signal, config });
  try {
    return await channel.send(
      {
        channel: 'email',
        kind: 'email',
        to: 'ada@example.com',
        locale: 'en',
        content,
        subjectId: 'c-100',
        journey: 'invoice-overdue',
        step: 'first-reminder',
        metadata: { unsubscribeUrl: 'https://herald.example/unsubscribe/tok' },
      },
      { idempotencyKey: 'k-1', messageId: '<k-1@herald.local>', attempt: 1, signal: new AbortController().signal, logger, clock },
    );
  } finally {
    await channel.close?.();
  }
}

describe('smtp catcher', () => {
  let catcher: SmtpCatcher | undefined;
  afterEach(async () => {
    await catcher?.close();
  });

  it('catches what the email channel sends, with subject, html and text decoded', async () => {
    const lines: string[] = [];
    catcher = await startSmtpCatcher({ port: 0, onMail: (m) => lines.push(summariseMail(m)) });
    const result = await sendWithEmailChannel(catcher.port, {
      subject: 'Rechnung INV-1 ist überfällig',
      html: '<p>Guten Tag <b>Ada</b>, 120,50 € sind fällig.</p>',
      text: 'Guten Tag Ada,\n120,50 € sind fällig. '.repeat(8),
    });
    expect(result.status).toBe('delivered');
    const mail = await catcher.waitFor(() => true);
    expect(mail).toMatchObject({
      id: 1,
      subject: 'Rechnung INV-1 ist überfällig',
      html: '<p>Guten Tag <b>Ada</b>, 120,50 € sind fällig.</p>',
      text: 'Guten Tag Ada,\n120,50 € sind fällig. '.repeat(8),
      messageId: '<k-1@herald.local>',
      envelope: { from: 'billing@acme.example', to: ['ada@example.com'] },
    });
    expect(mail.headers['list-unsubscribe']).toBe('<https://herald.example/unsubscribe/tok>');
    expect(lines[0]).toMatch(/^mail #1: "Rechnung INV-1 ist überfällig" → ada@example\.com \(\d+\.\d kB\)$/);
  });

  it('serves the caught mail on the dev pages', async () => {
    catcher = await startSmtpCatcher({ port: 0 });
    await sendWithEmailChannel(catcher.port, { subject: 'Invoice <INV-1>', html: '<p>Hi <script>alert(1)</script></p>' });
    const server = createApiServer(createFakeRuntime(), { token: 'secret' });
    registerDevMailRoutes(server, catcher);
    const list = await server.inject('/dev/mail?format=json');
    expect(list.json().items).toMatchObject([{ id: 1, subject: 'Invoice <INV-1>', to: ['ada@example.com'] }]);
    const page = await server.inject('/dev/mail/1');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Invoice &lt;INV-1&gt;</h1>');
    expect(page.body).toContain('<iframe sandbox srcdoc="&lt;p&gt;Hi &lt;script&gt;');
    expect((await server.inject('/dev/mail')).body).toContain('<a href="/dev/mail/1">Invoice &lt;INV-1&gt;</a>');
    expect((await server.inject('/dev/mail/2')).statusCode).toBe(404);
  });
});

describe('parseMail', () => {
  it('reads nested multiparts, base64 and encoded words', () => {
    const raw = [
      'Subject: =?UTF-8?B?R3LDvMOfZQ==?= =?UTF-8?Q?_aus_K=C3=B6ln?=',
      'Content-Type: multipart/mixed; boundary="outer"',
      '',
      'preamble',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('Hallo Köln').toString('base64'),
      '--inner',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>Hallo K=C3=B6ln, a long =',
      'line</p>',
      '--inner--',
      '--outer',
      'Content-Type: text/plain',
      'Content-Disposition: attachment; filename=x.txt',
      '',
      'not the body',
      '--outer--',
    ].join('\r\n');
    expect(parseMail(raw)).toMatchObject({ subject: 'Grüße aus Köln', text: 'Hallo Köln', html: '<p>Hallo Köln, a long line</p>' });
    expect(decodeEncodedWords('plain')).toBe('plain');
  });
});
