/**
 * `herald dev` only: GET /dev/mail lists the mails the catcher caught, GET /dev/mail/:id shows
 * one (headers, the HTML part in a sandboxed frame, the text part). `?format=json` gives JSON,
 * the one mail as its list item plus its parts, so a script reads both alike.
 * Registered on the dev server only, and public (a browser opens them; dev listens on loopback).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../api/api-error.js';
import { escapeHtml } from '../api/escape-html.js';
import type { CaughtMail, SmtpCatcher } from './smtp-catcher.js';

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.4}table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}' +
  'iframe{width:100%;height:60vh;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}';

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}

/** `to`: where the mail went (the SMTP envelope's recipients), which the To header may not say. */
export const mailSummary = (m: CaughtMail) => ({
  id: m.id,
  receivedAt: new Date(m.receivedAt).toISOString(),
  from: m.from,
  to: m.envelope.to,
  subject: m.subject,
  size: m.size,
});

export const mailJson = (m: CaughtMail) => ({
  ...mailSummary(m),
  messageId: m.messageId,
  envelope: m.envelope,
  headers: m.headers,
  html: m.html ?? null,
  text: m.text ?? null,
});

export function registerDevMailRoutes(server: FastifyInstance, catcher: SmtpCatcher): void {
  const list = async (request: FastifyRequest<{ Querystring: { format?: string } }>, reply: FastifyReply) => {
    const mails = catcher.mails().slice().reverse();
    if (request.query.format === 'json') return { items: mails.map(mailSummary) };
    const rows = mails
      .map(
        (m) =>
          `<tr><td><a href="/dev/mail/${m.id}">#${m.id}</a></td><td>${escapeHtml(new Date(m.receivedAt).toLocaleTimeString())}</td>` +
          `<td>${escapeHtml(m.envelope.to.join(', '))}</td><td><a href="/dev/mail/${m.id}">${escapeHtml(m.subject || '(no subject)')}</a></td></tr>`,
      )
      .join('');
    const body = mails.length
      ? `<table><tr><th>#</th><th>time</th><th>to</th><th>subject</th></tr>${rows}</table>`
      : `<p>No mail yet. Mail sent to ${escapeHtml(`${catcher.host}:${catcher.port}`)} shows up here.</p>`;
    return reply.type('text/html; charset=utf-8').send(layout('Caught mail', `<h1>Caught mail (${mails.length})</h1>${body}`));
  };
  server.get('/dev/mail', { config: { public: true } }, list);
  // Else `/dev/mail/` would be mail "" of the route below: "no caught mail #".
  server.get('/dev/mail/', { config: { public: true } }, list);

  server.get<{ Params: { id: string }; Querystring: { format?: string } }>('/dev/mail/:id', { config: { public: true } }, async (request, reply) => {
    const mail = /^\d+$/.test(request.params.id) ? catcher.get(Number(request.params.id)) : undefined;
    if (!mail) return sendError(reply, 404, 'not_found', `no caught mail #${request.params.id}; the caught mail is listed at /dev/mail`);
    if (request.query.format === 'json') return mailJson(mail);
    const head = [
      ['From', mail.from],
      ['To', mail.to],
      ['Subject', mail.subject],
      ['Message-ID', mail.messageId],
      ['List-Unsubscribe', mail.headers['list-unsubscribe'] ?? ''],
    ]
      .filter(([, v]) => v)
      .map(([k, v]) => `<tr><th>${k}</th><td>${escapeHtml(v!)}</td></tr>`)
      .join('');
    // The mail's HTML goes into a sandboxed srcdoc frame: no scripts, no access to this page.
    const html = mail.html === undefined ? '' : `<h2>HTML</h2><iframe sandbox srcdoc="${escapeHtml(mail.html)}"></iframe>`;
    const text = mail.text === undefined ? '' : `<h2>Text</h2><pre>${escapeHtml(mail.text)}</pre>`;
    return reply
      .type('text/html; charset=utf-8')
      .send(layout(`Mail #${mail.id}`, `<p><a href="/dev/mail">← all mail</a></p><h1>${escapeHtml(mail.subject)}</h1><table>${head}</table>${html}${text}`));
  });
}
