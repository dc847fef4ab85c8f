/**
 * `herald dev`'s mail catcher: an SMTP server on 127.0.0.1 that accepts every message, keeps
 * the last `keep` in memory and tells `onMail` about each, so a developer sees what a journey
 * sent without a real mail server (and without mailing a customer by accident).
 * No TLS, no auth: it listens on loopback only.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail, type ParsedMail } from './parse-mail.js';

export interface CaughtMail extends ParsedMail {
  /** 1, 2, 3, ... in arrival order. */
  readonly id: number;
  readonly receivedAt: number;
  /** SMTP envelope: MAIL FROM and RCPT TO, which may differ from the headers. */
  readonly envelope: { readonly from: string; readonly to: readonly string[] };
  readonly size: number;
}

export interface SmtpCatcherOptions {
  /** 0 for any free port. */
  readonly port: number;
  readonly host?: string;
  /** How many mails to keep (oldest dropped first). Default 500. */
  readonly keep?: number;
  readonly onMail?: (mail: CaughtMail) => void;
  /** Largest message accepted, bytes. Default 10 MiB. */
  readonly maxSize?: number;
}

export interface SmtpCatcher {
  readonly host: string;
  readonly port: number;
  /** Caught mails, oldest first. */
  mails(): readonly CaughtMail[];
  get(id: number): CaughtMail | undefined;
  /** Resolves with the next mail for which `match` holds (tests). */
  waitFor(match: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  clear(): void;
  close(): Promise<void>;
}

/** `Invoice INV-1 is overdue → ada@example.com (2.1 kB)`. */
export function summariseMail(mail: CaughtMail): string {
  const to = mail.envelope.to.join(', ') || mail.to;
  return `mail #${mail.id}: ${JSON.stringify(mail.subject)} → ${to} (${(mail.size / 1024).toFixed(1)} kB)`;
}

export async function startSmtpCatcher(options: SmtpCatcherOptions): Promise<SmtpCatcher> {
  const host = options.host ?? '127.0.0.1';
  const keep = options.keep ?? 500;
  const maxSize = options.maxSize ?? 10 * 1024 * 1024;
  const caught: CaughtMail[] = [];
  const waiters = new Set<{ match: (m: CaughtMail) => boolean; done: (m: CaughtMail) => void }>();
  let next = 1;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxSize,
    rejectOversized: true,
    logger: false,
    banner: 'Herald dev mail catcher',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(new Error('message too large'));
        const raw = Buffer.concat(chunks);
        const mail: CaughtMail = {
          ...parseMail(raw.toString('latin1')),
          id: next++,
          receivedAt: Date.now(),
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          size: raw.length,
        };
        caught.push(mail);
        if (caught.length > keep) caught.shift();
        options.onMail?.(mail);
        for (const w of waiters) {
          if (w.match(mail)) {
            waiters.delete(w);
            w.done(mail);
          }
        }
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The catcher must not take the dev server down over one bad client.
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;

  return {
    host,
    port,
    mails: () => [...caught],
    get: (id) => caught.find((m) => m.id === id),
    waitFor(match, timeoutMs = 10_000) {
      const already = caught.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          done: (m: CaughtMail) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${caught.length} caught)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    clear: () => void caught.splice(0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
