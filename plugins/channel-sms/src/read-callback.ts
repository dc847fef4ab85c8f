import { callbackReceipts, refuseCallback } from '@herald/plugin-sdk';
import type { CallbackContext, CallbackReading, CallbackStatus, ProviderCallback } from '@herald/plugin-sdk';
import { SIGNATURE_HEADER } from './sms-config.js';
import type { ResolvedConfig } from './sms-config.js';
import { verifyTwilioSignature } from './twilio-signature.js';

const FORM = 'application/x-www-form-urlencoded';
const MAX_SID = 256;
const MAX_REASON = 500;

/**
 * Twilio's MessageStatus values and what each reports. Statuses missing here (queued, accepted,
 * scheduled, sending, sent; received and receiving are inbound) are steps on the way and give
 * no receipt: the message's outcome is still to come.
 */
// A Map, not an object literal: a status such as "constructor" must not find Object's.
const OUTCOMES: ReadonlyMap<string, CallbackStatus> = new Map([
  ['delivered', 'delivered'],
  // Read receipts (WhatsApp, RCS) come after delivery; one may arrive where the delivered one was lost.
  ['read', 'delivered'],
  // The carrier could not deliver to the handset: the address is the problem.
  ['undelivered', 'bounced'],
  ['failed', 'failed'],
  // A scheduled message cancelled before it went out will not be sent.
  ['canceled', 'failed'],
]);

/**
 * Reads one of Twilio's status callbacks: a form with MessageSid, MessageStatus and, for a
 * failure, ErrorCode (and sometimes ErrorMessage). Verifies the signature first when asked to,
 * so that an unsigned caller learns nothing about the body. Never throws.
 */
export function readStatusCallback(config: ResolvedConfig, callback: ProviderCallback, ctx: CallbackContext): CallbackReading {
  if (callback.contentType !== FORM) {
    return refuseCallback(400, `expected a Twilio status callback (${FORM}), got ${callback.contentType === '' ? 'no Content-Type' : callback.contentType}`);
  }
  const params = new URLSearchParams(callback.body);

  if (config.verifyCallbacks) {
    const signature = callback.headers[SIGNATURE_HEADER.toLowerCase()];
    if (signature === undefined || signature === '') return refuseCallback(401, `the callback has no ${SIGNATURE_HEADER} header`);
    // Twilio signs the URL it called. That is callback.url when Herald knows its public URL; the
    // configured statusCallback is the same address as Twilio was given it, so it is tried too.
    const urls = config.statusCallback === undefined ? [callback.url] : [callback.url, config.statusCallback];
    if (!verifyTwilioSignature(config.authToken, signature, urls, params)) {
      ctx.logger.warn('sms: a status callback failed signature verification', { url: callback.url });
      return refuseCallback(403, `the ${SIGNATURE_HEADER} does not match: check authToken, and that herald start --public-url is the URL Twilio calls`);
    }
  }

  const sid = params.get('MessageSid') ?? '';
  if (sid === '' || sid.length > MAX_SID) return refuseCallback(400, 'the callback has no MessageSid');
  const status = params.get('MessageStatus') ?? '';
  if (status === '') return refuseCallback(400, 'the callback has no MessageStatus');

  const outcome = OUTCOMES.get(status);
  if (outcome === undefined) {
    ctx.logger.debug('sms: interim status, no receipt', { providerMessageId: sid, status });
    return callbackReceipts();
  }
  if (outcome === 'delivered') return callbackReceipts({ providerMessageId: sid, status: outcome });
  return callbackReceipts({ providerMessageId: sid, status: outcome, reason: failureReason(status, params) });
}

/** `Twilio error 30003: Unreachable destination handset`, or the status alone when Twilio gave no code. */
function failureReason(status: string, params: URLSearchParams): string {
  const code = params.get('ErrorCode') ?? '';
  const message = (params.get('ErrorMessage') ?? '').replace(/\s+/g, ' ').trim();
  const head = code === '' ? `Twilio reported the message ${status}` : `Twilio error ${code}`;
  const text = message === '' ? head : `${head}: ${message}`;
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}
