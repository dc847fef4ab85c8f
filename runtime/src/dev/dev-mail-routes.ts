/**
 * `herald dev` only: GET /dev/mail lists the mails the catcher caught, GET /dev/mail/:id shows
 * one (headers, the HTML part in a sandboxed frame, the text part). `?format=json` gives JSON.
 * Registered on the dev server only, and public (a browser opens them; dev listens on loopback).
 */
import type { FastifyInstance } from 'fastify';
import { escapeHtml } from '../api/escape-html.js';
import type { CaughtMail, SmtpCatcher } from './smtp-catcher.js';

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2rem;line-height:1.4}table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:left}' +
  'iframe{width:100%;height:60vh;border:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}';

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>\n`;
}

const summary = (m: CaughtMail) => ({
  id: m.id,
  receivedAt: new Date(m.receivedAt).toISOString(),
  from: m.from,
  to: m.envelope.to,
  subject: m.subject,
  size: m.size,
});

export function registerDevMailRoutes(server: FastifyInstance, catcher: SmtpCatcher): void {
  server.get<{ Querystring: { format?: string } }>('/dev/mail', { config: { public: true } }, async (request, reply) => {
    const mails = catcher.mails().slice().reverse();
    if (request.query.format === 'json') return { items: mails.map(summary) };
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
  });

  server.get<{ Params: { id: string }; Querystring: { format?: string } }>('/dev/mail/:id', { config: { public: true } }, async (request, reply) => {
    const mail = /^\d+$/.test(request.params.id) ? catcher.get(Number(request.params.id)) : undefined;
    if (!mail) return reply.code(404).send({ error: 'not_found', message: `no caught mail #${request.params.id}` });
    if (request.query.format === 'json') return mail;
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
