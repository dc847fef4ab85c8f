import { describe, expect, it } from 'vitest';
import { createApiServer } from '../api/create-server.js';
import { createFakeRuntime } from '../testing/fake-runtime.js';
import { registerDevMailRoutes } from './dev-mail-routes.js';
import type { CaughtMail, SmtpCatcher } from './smtp-catcher.js';

const mail: CaughtMail = {
  id: 1,
  receivedAt: Date.UTC(2026, 2, 1, 9, 30),
  headers: { subject: 'Invoice INV-1 is overdue', to: 'Ada <ada@example.com>' },
  subject: 'Invoice INV-1 is overdue',
  from: 'Acme Billing <billing@acme.example>',
  to: 'Ada <ada@example.com>',
  messageId: '<k-1@herald.local>',
  text: 'Dear Ada',
  html: undefined,
  envelope: { from: 'billing@acme.example', to: ['ada@example.com'] },
  size: 1234,
};

function catcherOf(mails: readonly CaughtMail[]): SmtpCatcher {
  return {
    host: '127.0.0.1',
    port: 2525,
    mails: () => mails,
    get: (id) => mails.find((m) => m.id === id),
    waitFor: async () => mails[0]!,
    clear: () => {},
    close: async () => {},
  };
}

describe('the caught-mail pages', () => {
  const server = createApiServer(createFakeRuntime());
  registerDevMailRoutes(server, catcherOf([mail]));

  it('gives a mail in the same JSON in the list and alone: receivedAt as ISO text, to as the list of recipients', async () => {
    const item = (await server.inject('/dev/mail?format=json')).json().items[0];
    expect(item).toEqual({
      id: 1,
      receivedAt: '2026-03-01T09:30:00.000Z',
      from: 'Acme Billing <billing@acme.example>',
      to: ['ada@example.com'],
      subject: 'Invoice INV-1 is overdue',
      size: 1234,
    });
    const one = (await server.inject('/dev/mail/1?format=json')).json();
    expect(one).toMatchObject(item);
    expect(one).toMatchObject({ messageId: '<k-1@herald.local>', text: 'Dear Ada', html: null, headers: { to: 'Ada <ada@example.com>' } });
  });

  it('answers /dev/mail/ with the list, and an unknown mail with 404', async () => {
    const slash = await server.inject('/dev/mail/');
    expect(slash.statusCode).toBe(200);
    expect(slash.body).toContain('<a href="/dev/mail/1">Invoice INV-1 is overdue</a>');
    expect((await server.inject('/dev/mail/?format=json')).json().items).toHaveLength(1);
    const missing = await server.inject('/dev/mail/7');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not_found', message: 'no caught mail #7; the caught mail is listed at /dev/mail' });
  });
});
