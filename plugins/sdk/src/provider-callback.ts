/**
 * A provider's status callback, as a channel plugin reads it. Providers that answer a send with
 * `accepted(...)` (most SMS and push APIs) report the outcome later by calling Herald back, each
 * in its own format (Twilio posts a form, others JSON, some sign the request). The runtime
 * receives the call at `POST /callbacks/<channel>` and hands it, unparsed, to the channel's
 * `readCallback`, which says what the provider reported: the runtime matches each receipt to
 * its message by `providerMessageId`.
 */
import type { PluginClock, PluginLogger } from './context.js';

/** The HTTP request the provider made, as received. */
export interface ProviderCallback {
  /**
   * The URL the provider called: the runtime's public URL (`herald start --public-url`) with
   * the path and query string of the request, which is what providers sign (Twilio's
   * `X-Twilio-Signature`). Without a public URL, the request's own `Host` and path.
   */
  readonly url: string;
  /** Header names in lower case; a repeated header's values joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** The media type without parameters, lower case (`application/x-www-form-urlencoded`); `''` when absent. */
  readonly contentType: string;
  /** The body decoded as UTF-8 text (at most the API's body limit). */
  readonly body: string;
  /**
   * The body's bytes as they came: verify a signature over these, not over `body`, which
   * replaced any bytes that are not UTF-8.
   */
  readonly rawBody: Uint8Array;
}

/** An HTTP request as a server has it: header names in any case, a repeated header as a list. */
export interface CallbackRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Uint8Array;
}

/**
 * The `ProviderCallback` of a request: header names lower-cased, a repeated header's values
 * joined with `, `, the media type of its Content-Type, the body as bytes and as UTF-8 text. The
 * runtime builds what `readCallback` gets with it, and the test kit's `providerCallback` too, so
 * a plugin's tests see what it will see.
 */
export function providerCallbackOf(request: CallbackRequest): ProviderCallback {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const joined = typeof value === 'string' ? value : value.join(', ');
    // `X-A` and `x-a` are one header, sent twice.
    headers[key] = Object.hasOwn(headers, key) ? `${headers[key]}, ${joined}` : joined;
  }
  const rawBody = request.body;
  return Object.freeze({
    url: request.url,
    headers: Object.freeze(headers),
    contentType: (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase(),
    // A leading BOM is kept: it is part of what was sent (and signed).
    body: new TextDecoder('utf-8', { ignoreBOM: true }).decode(rawBody),
    rawBody,
  });
}

/** The outcomes a callback can report. Interim statuses (queued, sent) are not receipts: leave them out. */
export type CallbackStatus = 'delivered' | 'bounced' | 'failed';

/** One message's outcome as the provider reported it. */
export interface CallbackReceipt {
  /** The id the send's `accepted({ providerMessageId })` returned. */
  readonly providerMessageId: string;
  readonly status: CallbackStatus;
  /** For `bounced` and `failed`: the provider's words or code, recorded on the message's history. */
  readonly reason?: string;
}

/**
 * What `readCallback` returns. `ok: false` refuses the call with its HTTP status: 400 for a body
 * the plugin cannot read, 401/403 for a signature that does not verify. A callback that reports
 * only interim statuses is `ok: true` with no receipts.
 */
export type CallbackReading =
  | { readonly ok: true; readonly receipts: readonly CallbackReceipt[] }
  | { readonly ok: false; readonly status: 400 | 401 | 403; readonly reason: string };

/** Given with every `readCallback`. */
export interface CallbackContext {
  readonly logger: PluginLogger;
  readonly clock: PluginClock;
}

/** `readCallback`'s answer for a callback it read: the receipts it reports (none for an interim status). */
export function callbackReceipts(...receipts: readonly CallbackReceipt[]): CallbackReading {
  return Object.freeze({ ok: true, receipts: Object.freeze(receipts.map((r) => Object.freeze({ ...r }))) });
}

/** `readCallback`'s answer for a callback it refuses: 400 unreadable, 401/403 not signed as the provider signs. */
export function refuseCallback(status: 400 | 401 | 403, reason: string): CallbackReading {
  return Object.freeze({ ok: false, status, reason });
}

const STATUSES: ReadonlySet<string> = new Set(['delivered', 'bounced', 'failed']);
const REFUSALS: ReadonlySet<unknown> = new Set([400, 401, 403]);

/**
 * Why `value` is not a CallbackReading, or undefined when it is. The runtime checks what a
 * plugin returns before trusting it (a plugin is third-party code).
 */
export function checkCallbackReading(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'readCallback returned no object';
  const v = value as Record<string, unknown>;
  if (v['ok'] === false) {
    if (!REFUSALS.has(v['status'])) return `readCallback refused with status ${String(v['status'])} (400, 401 or 403)`;
    if (typeof v['reason'] !== 'string') return 'readCallback refused without a reason';
    return undefined;
  }
  if (v['ok'] !== true) return 'readCallback returned neither ok: true nor ok: false';
  const receipts = v['receipts'];
  if (!Array.isArray(receipts)) return 'readCallback returned ok without a receipts list';
  for (const [i, r] of receipts.entries()) {
    if (typeof r !== 'object' || r === null) return `receipt ${i} is not an object`;
    const rec = r as Record<string, unknown>;
    if (typeof rec['providerMessageId'] !== 'string' || rec['providerMessageId'] === '') return `receipt ${i} has no providerMessageId`;
    if (typeof rec['status'] !== 'string' || !STATUSES.has(rec['status'])) return `receipt ${i} has status ${JSON.stringify(rec['status'])} (delivered, bounced or failed)`;
    if (rec['reason'] !== undefined && typeof rec['reason'] !== 'string') return `receipt ${i} has a reason that is not a string`;
  }
  return undefined;
}
