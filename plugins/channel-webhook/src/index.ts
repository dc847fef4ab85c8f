/**
 * @herald/channel-webhook: each message as an HTTP POST of JSON to one configured URL.
 *
 * Config (see herald-plugin.json): url, headers, secret, timeoutMs. Message kind `webhook`:
 * templates declare a `webhook` variant whose `body` is JSON text, and the compiler checks that
 * every template sent on this channel has one. (Not `any`: then the payload's shape would
 * depend on which variants a template happens to have, email fields one day and SMS the next.)
 *
 * The body is `{ id, channel, to, locale, subjectId, journey, step, category, content,
 * metadata }`, with `content` the parsed template body and `id` the idempotency key, which is
 * also sent as `Idempotency-Key`. Receivers that drop a key they have seen get each message
 * effectively once, whatever retries and crash re-runs the runtime makes.
 */
import { setMaxListeners } from 'node:events';
import { aborted, defineChannel, failed, fetchWithin, loadManifest } from '@herald/plugin-sdk';
import { buildRequest } from './build-request.js';
import { classifyFetchError, classifyResponse } from './classify-response.js';
import { resolveConfig } from './webhook-config.js';
import type { WebhookConfig, WebhookContent } from './webhook-config.js';

export type { WebhookPayload } from './build-request.js';
export type { WebhookConfig, WebhookContent } from './webhook-config.js';
export { IDEMPOTENCY_HEADER, SIGNATURE_HEADER } from './webhook-config.js';
export { signatureHeader } from './sign.js';
export { classifyFetchError, classifyResponse } from './classify-response.js';

const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'channel');
const USER_AGENT = `Herald-Webhook/${manifest.version}`;

export default defineChannel<WebhookConfig, WebhookContent>({
  manifest,
  create(rawConfig, pluginCtx) {
    const config = resolveConfig(rawConfig);
    // Aborted by close(): requests in flight stop at once.
    const closing = new AbortController();
    // One listener per send in flight, removed when it ends: many at once are normal.
    setMaxListeners(0, closing.signal);
    pluginCtx.logger.debug('webhook: posting messages', { origin: config.url.origin });

    return {
      async send(message, ctx) {
        if (ctx.signal.aborted) return aborted(ctx.signal);
        if (closing.signal.aborted) return failed.retryable('the webhook channel is closed', { code: 'CLOSED' });
        const built = buildRequest(config, message, ctx, USER_AGENT);
        if (!built.ok) return failed.permanent(built.reason, { code: 'INVALID_MESSAGE' });

        const outcome = await fetchWithin(
          built.request.url,
          { method: 'POST', headers: built.request.headers, body: built.request.body, redirect: 'manual' },
          { signal: ctx.signal, closing: closing.signal, timeoutMs: config.timeoutMs },
        );
        if (outcome.kind === 'stopped') return outcome.failure;
        if (outcome.kind === 'error') return classifyFetchError(outcome.error);
        // Once a status is in, a body cut short by an abort only loses detail, not the outcome.
        const { response, body } = outcome;
        const result = classifyResponse({ status: response.status, headers: response.headers, body }, ctx.idempotencyKey, ctx.clock.now());
        ctx.logger.debug('webhook: answered', { status: response.status, result: result.status, attempt: ctx.attempt });
        return result;
      },

      async close() {
        if (closing.signal.aborted) return;
        closing.abort(new Error('the webhook channel closed'));
        pluginCtx.logger.debug('webhook: closed');
      },
    };
  },
});
