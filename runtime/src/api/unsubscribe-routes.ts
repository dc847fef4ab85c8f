/**
 * Unsubscribe links: GET /unsubscribe/:token shows a page with a confirm button, and
 * POST /unsubscribe/:token records the opt-out: RFC 8058 one-click (the mailbox provider POSTs
 * `List-Unsubscribe=One-Click`) and the page's own button both land here.
 *
 * GET never opts out: mail scanners and link previewers fetch every URL in a message, and
 * RFC 8058 (section 3.2) says for that reason the unsubscription must not be triggered by a GET.
 * Both routes are public (no API token): the signed token is the authorisation. The token names
 * the subject and the message category; the opt-out is from that category on every channel.
 *
 * Without a secret no link can be valid, and the routes answer 404 — still public: a customer
 * clicking a link from before the secret was removed must not be asked for an API token.
 */
import type { FastifyInstance } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';
import { verifyUnsubscribeToken } from '../subjects/unsubscribe-token.js';
import { escapeHtml } from './escape-html.js';

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.5rem 1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>
`;
}

// Tokens do not expire (subjects/unsubscribe-token.ts): a link that does not work is one that is not valid.
const invalidPage = page('This link does not work', '<p>This unsubscribe link is not valid. Use the link in a more recent message, or contact us.</p>');

/**
 * `secret`: the one the runtime signs links with (subjects/unsubscribe-token.ts). Undefined:
 * no link is valid, and both routes answer 404 with the page saying the link does not work.
 */
export function registerUnsubscribeRoutes(server: FastifyInstance, runtime: HeraldRuntime, secret: string | undefined): void {
  const verify = (token: string) => (secret === undefined ? null : verifyUnsubscribeToken(token, secret));
  const invalid = secret === undefined ? 404 : 400;
  // Encapsulated: only these routes read form bodies; the rest of the API stays JSON-only.
  void server.register(async (scope) => {
    scope.addContentTypeParser(['application/x-www-form-urlencoded', 'multipart/form-data'], { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) =>
      done(null, body),
    );

    scope.get<{ Params: { token: string } }>('/unsubscribe/:token', { config: { public: true } }, async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store');
      const claim = verify(request.params.token);
      if (!claim) return reply.code(invalid).send(invalidPage);
      return page(
        'Unsubscribe',
        `<p>Stop receiving ${escapeHtml(claim.category)} messages?</p><form method="post"><button type="submit" name="List-Unsubscribe" value="One-Click">Unsubscribe</button></form>`,
      );
    });

    scope.post<{ Params: { token: string } }>('/unsubscribe/:token', { config: { public: true, accepts: 'application/x-www-form-urlencoded' } }, async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store');
      const claim = verify(request.params.token);
      if (!claim) return reply.code(invalid).send(invalidPage);
      await runtime.optOut(claim.subjectId, claim.category);
      request.log.info({ subjectId: claim.subjectId, category: claim.category }, 'unsubscribed');
      return page('You are unsubscribed', `<p>You will no longer receive ${escapeHtml(claim.category)} messages from us.</p>`);
    });
  });
}
