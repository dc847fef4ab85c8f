/**
 * POST /callbacks/:channel: a provider's status callback in the provider's own format (Twilio
 * posts a form, others JSON, some sign it), handed unparsed to the channel's plugin
 * (`readCallback`, in a worker thread), which says which messages it reports delivered, bounced
 * or failed. `POST /receipts/:channel` stays the route for Herald's own receipt JSON.
 *
 * Providers rarely can send a bearer token, so with an API token this route also takes it as
 * the password of HTTP basic auth, which providers put in the callback URL
 * (`https://herald:<token>@herald.example/callbacks/sms`). Plugins verify the provider's own
 * signature on top, over the URL the provider called: the public URL, when one is set.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { providerCallbackOf } from '@herald/plugin-sdk';
import type { HeraldRuntime } from '../runtime-api.js';
import { sendError } from './api-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** With an API token, the token is also taken as the password of HTTP basic auth. */
    basicAuth?: boolean;
  }
}

/**
 * The URL the provider called, which is what providers sign: the public URL's origin and path
 * prefix with the request's path and query, else the request's own host.
 */
export function calledUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return `${publicUrl.replace(/\/+$/, '')}${request.url}`;
  return `${request.protocol}://${request.host}${request.url}`;
}

export function registerCallbacksRoutes(server: FastifyInstance, runtime: HeraldRuntime, publicUrl: string | undefined): void {
  // Encapsulated: only this route reads bodies as text, whatever their type; the rest stays JSON-only.
  void server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Bytes, not text: providers sign the bytes they send, which need not be UTF-8.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post<{ Params: { channel: string } }>('/callbacks/:channel', { config: { basicAuth: true } }, async (request, reply) => {
      const { channel } = request.params;
      if (!Object.hasOwn(runtime.graph.channels, channel)) {
        return sendError(reply, 404, 'not_found', `no channel named ${JSON.stringify(channel)} in this project (${Object.keys(runtime.graph.channels).join(', ') || 'none'})`);
      }
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const callback = providerCallbackOf({
        url: calledUrl(request, publicUrl),
        headers: request.headers,
        body: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength),
      });
      const outcome = await runtime.providerCallback(channel, callback);
      switch (outcome.kind) {
        case 'applied':
          // 200 whether or not each receipt found its message: a provider retries what is not 2xx,
          // and an id that is not ours (or already settled) will not become ours by retrying.
          if (outcome.matched < outcome.received) request.log.info({ channel, received: outcome.received, matched: outcome.matched }, 'callback receipts without a message awaiting them');
          return reply.code(200).send({ received: outcome.received, matched: outcome.matched });
        case 'refused':
          return sendError(reply, outcome.status, outcome.status === 400 ? 'invalid_request' : outcome.status === 401 ? 'unauthorized' : 'forbidden', `the ${channel} channel refused this callback: ${outcome.reason}`);
        case 'unsupported':
          return sendError(
            reply,
            404,
            'not_found',
            `the plugin of channel ${JSON.stringify(channel)} reads no provider callbacks; post receipts in Herald's own format to /receipts/${channel}`,
          );
        case 'failed':
          // 503: the provider keeps the callback and retries it, as for any outage.
          // The reason (a plugin's exception text) goes to the log, not to whoever called.
          request.log.warn({ channel, reason: outcome.reason }, 'a provider callback could not be read');
          return sendError(reply, 503, 'unavailable', `the ${channel} channel could not read this callback now; try again later (the server log says why)`);
      }
    });
  });
}
