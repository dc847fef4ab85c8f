import type { OutboundMessage, SendContext } from '@herald/plugin-sdk';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { EmailConfig, EmailContent } from './email-config.js';

export const IDEMPOTENCY_HEADER = 'X-Herald-Idempotency-Key';

/**
 * Headers a template may not set: they identify the message (and so must come from the
 * runtime's idempotency key and the channel config) or describe its MIME structure.
 */
const RESERVED_HEADERS = new Set([
  'message-id',
  IDEMPOTENCY_HEADER.toLowerCase(),
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'subject',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
]);

// RFC 5322 field name: printable US-ASCII except colon.
const FIELD_NAME = /^[!-9;-~]+$/;

export type BuildMailResult = { readonly ok: true; readonly mail: Mail.Options } | { readonly ok: false; readonly reason: string };

/**
 * Turns a rendered message into nodemailer's mail options. The Message-ID is the runtime's
 * deterministic `ctx.messageId`, so a retry of the same send is the same email to the receiver.
 */
export function buildMail(
  config: EmailConfig,
  message: OutboundMessage<EmailContent>,
  ctx: Pick<SendContext, 'idempotencyKey' | 'messageId' | 'clock' | 'logger'>,
): BuildMailResult {
  const { logger } = ctx;
  const { subject, html, text } = message.content;
  if (typeof subject !== 'string') return { ok: false, reason: 'the email has no subject field' };
  if (typeof html !== 'string' && typeof text !== 'string') return { ok: false, reason: 'the email has neither an html nor a text field' };
  if (message.to.trim() === '') return { ok: false, reason: 'the subject has no email address' };

  const headers = new Map<string, { name: string; value: string }>();
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const key = name.toLowerCase();
    if (!FIELD_NAME.test(name) || RESERVED_HEADERS.has(key)) {
      logger.warn('email: ignoring a header the template may not set', { header: name });
      continue;
    }
    headers.set(key, { name, value });
  }
  const unsubscribe = message.metadata['unsubscribeUrl'];
  if (unsubscribe !== undefined) {
    const url = parseUrl(unsubscribe);
    if (url === undefined || !['https:', 'http:', 'mailto:'].includes(url.protocol)) {
      logger.warn('email: metadata.unsubscribeUrl is not an http(s) or mailto URL; no List-Unsubscribe header', { unsubscribeUrl: unsubscribe });
    } else {
      headers.set('list-unsubscribe', { name: 'List-Unsubscribe', value: `<${url.href}>` });
      // RFC 8058 one-click unsubscribe: mailbox providers POST to the URL; it must be HTTPS.
      if (url.protocol === 'https:') headers.set('list-unsubscribe-post', { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' });
    }
  }
  headers.set(IDEMPOTENCY_HEADER.toLowerCase(), { name: IDEMPOTENCY_HEADER, value: ctx.idempotencyKey });

  return {
    ok: true,
    mail: {
      from: config.from,
      to: message.to,
      ...(config.replyTo === undefined ? {} : { replyTo: config.replyTo }),
      subject,
      ...(typeof html === 'string' ? { html } : {}),
      ...(typeof text === 'string' ? { text } : {}),
      messageId: ctx.messageId,
      date: new Date(ctx.clock.now()),
      headers: Object.fromEntries([...headers.values()].map((h) => [h.name, h.value])),
      // Content comes from templates and data sources: never let it make nodemailer read files or fetch URLs.
      disableFileAccess: true,
      disableUrlAccess: true,
    },
  };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
