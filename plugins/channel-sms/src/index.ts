/**
 * @herald/channel-sms: SMS through Twilio's Messages API, or a gateway that speaks it.
 *
 * Config (see herald-plugin.json): accountSid, authToken, from or messagingServiceSid, baseUrl,
 * statusCallback, verifyCallbacks, timeoutMs. Message kind `sms`, content `{ body }`.
 *
 * A send creates the message and answers `accepted` with Twilio's sid: Twilio only queues it.
 * The outcome comes later, when Twilio posts a status callback to Herald's
 * `POST /callbacks/<channel>`; the runtime hands it to `readCallback`, which verifies Twilio's
 * signature and reports delivered, bounced or failed for that sid.
 */
import { setMaxListeners } from 'node:events';
import { aborted, defineChannel, failed, fetchWithin, loadManifest, refuseCallback } from '@herald/plugin-sdk';
import { buildRequest } from './build-request.js';
import { classifyFetchError, classifyResponse } from './classify-response.js';
import type { Redact } from './classify-response.js';
import { readStatusCallback } from './read-callback.js';
import { resolveConfig } from './sms-config.js';
import type { SmsConfig, SmsContent } from './sms-config.js';

export type { SmsConfig, SmsContent } from './sms-config.js';
export { IDEMPOTENCY_HEADER, SIGNATURE_HEADER } from './sms-config.js';
export { BOUNCE_CODES, OPTED_OUT_CODE, classifyFetchError, classifyResponse } from './classify-response.js';
export { twilioSignature, verifyTwilioSignature } from './twilio-signature.js';

const manifest = loadManifest(new URL('../herald-plugin.json', import.meta.url), 'channel');
const USER_AGENT = `Herald-SMS/${manifest.version}`;

export default defineChannel<SmsConfig, SmsContent>({
  manifest,
  create(rawConfig, pluginCtx) {
    const config = resolveConfig(rawConfig);
    // Reasons are archived and logged; a gateway echoing the request must not put the auth token
    // there, nor Herald's API token when statusCallback carries it for basic auth.
    const secrets = [config.authToken, ...callbackPasswords(config.statusCallback)];
    const redact: Redact = (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
    // Aborted by close(): requests in flight stop at once.
    const closing = new AbortController();
    // One listener per send in flight, removed when it ends: many at once are normal.
    setMaxListeners(0, closing.signal);
    if (config.messagesUrl.protocol === 'http:' && !isLoopback(config.messagesUrl.hostname)) {
      pluginCtx.logger.warn('sms: baseUrl is plain http: the auth token travels unencrypted', { origin: config.messagesUrl.origin });
    }
    if (config.statusCallback === undefined) {
      pluginCtx.logger.debug('sms: no statusCallback: delivery outcomes arrive only if the Messaging Service has a status callback');
    }
    pluginCtx.logger.debug('sms: sending through', { origin: config.messagesUrl.origin });

    return {
      async send(message, ctx) {
        if (ctx.signal.aborted) return aborted(ctx.signal);
        if (closing.signal.aborted) return failed.retryable('the sms channel is closed', { code: 'CLOSED' });
        const built = buildRequest(config, message, ctx, USER_AGENT);
        if (!built.ok) return failed.permanent(built.reason, { code: 'INVALID_MESSAGE' });

        const outcome = await fetchWithin(
          built.request.url,
          // A redirect would carry the credentials to another address.
          { method: 'POST', headers: built.request.headers, body: built.request.body, redirect: 'manual' },
          { signal: ctx.signal, closing: closing.signal, timeoutMs: config.timeoutMs },
        );
        if (outcome.kind === 'stopped') return outcome.failure;
        if (outcome.kind === 'error') return classifyFetchError(outcome.error, redact);
        const { response, body, cutShortBy } = outcome;
        const result = classifyResponse({ status: response.status, headers: response.headers, body }, ctx.clock.now(), redact);
        // A body cut short loses the sid or the error code: say what cut it, and let a retry
        // (with the same idempotency token) ask again.
        if (cutShortBy !== null && result.status === 'failed') return cutShortBy;
        ctx.logger.debug('sms: answered', { status: response.status, result: result.status, attempt: ctx.attempt });
        return result;
      },

      readCallback(callback, ctx) {
        try {
          return readStatusCallback(config, callback, ctx);
        } catch (error) {
          // readCallback must not throw; a bug here should refuse the call, not crash the route.
          ctx.logger.warn('sms: could not read a status callback', { error: redact(error instanceof Error ? error.message : String(error)) });
          return refuseCallback(400, 'the status callback could not be read');
        }
      },

      async close() {
        if (closing.signal.aborted) return;
        closing.abort(new Error('the sms channel closed'));
        pluginCtx.logger.debug('sms: closed');
      },
    };
  },
});

/** The password of a status callback URL with basic auth in it, as written and decoded. */
function callbackPasswords(statusCallback: string | undefined): string[] {
  if (statusCallback === undefined) return [];
  const password = new URL(statusCallback).password;
  if (password === '') return [];
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // Not valid percent-encoding: the raw form is all there is.
  }
  return [...new Set([password, decoded])];
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\./.test(hostname);
}
