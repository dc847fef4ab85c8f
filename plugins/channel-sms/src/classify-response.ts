import { accepted, bounced, delivered, failed, parseRetryAfter } from '@herald/plugin-sdk';
import type { DeliveryFailure, DeliveryResult } from '@herald/plugin-sdk';

/** What we keep of a response: enough to classify it, with the start of its body. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The start of the response body (read up to a limit), decoded as UTF-8. */
  readonly body: string;
}

/** Removes a secret from text that will be archived or logged. */
export type Redact = (text: string) => string;

/**
 * Twilio errors that say the recipient's number cannot take SMS: nothing about the message or
 * the account would change that, so the address is recorded as bounced.
 * 21211 invalid 'To' number; 21612 'To' not reachable by SMS; 21614 'To' is not a mobile number.
 */
export const BOUNCE_CODES: ReadonlySet<number> = new Set([21211, 21612, 21614]);
/** The recipient texted STOP: the number works, they refused this sender. Permanent, not a bounce. */
export const OPTED_OUT_CODE = 21610;
/**
 * The account's geographic permissions do not allow the 'To' number's country. Not a bounce: the
 * address is fine, and enabling the country in the console fixes it for every subject there.
 */
export const GEO_PERMISSION_CODE = 21408;

/** 4xx that say "not now" rather than "never": timeout, too early, rate limit. */
const RETRYABLE_4XX: ReadonlySet<number> = new Set([408, 425, 429]);

const MAX_EXCERPT = 200;
const MAX_REASON = 500;
const MAX_SID = 256;

/**
 * Maps the Messages API's answer to a DeliveryResult:
 * - 2xx with a `sid`: accepted (the outcome arrives by status callback), or delivered when the
 *   API already says `delivered`;
 * - a Twilio error for the recipient's number: bounced; 21610 (opted out): permanent;
 * - 401/403 and other 4xx: permanent; 408, 425, 429 and 5xx: retryable, no sooner than `Retry-After`;
 * - 3xx: permanent (redirects are not followed: the credentials should not travel elsewhere).
 * The code is `TWILIO_<code>` when the body names a Twilio error, else `HTTP_<status>`.
 */
export function classifyResponse(answer: HttpAnswer, nowMs: number, redact: Redact): DeliveryResult {
  const { status } = answer;
  if (status >= 200 && status < 300) return classifySuccess(answer, redact);

  const twilio = twilioError(answer.body);
  const code = twilio?.code === undefined ? `HTTP_${status}` : `TWILIO_${twilio.code}`;
  const what = describe(answer, twilio);
  const reason = (text: string) => truncate(redact(text));

  if (status >= 300 && status < 400) {
    return failed.permanent(reason(`HTTP ${status}: the Messages API redirects; set baseUrl to the final address`), { code });
  }
  if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) {
    if (twilio?.code === OPTED_OUT_CODE) {
      return failed.permanent(reason(`the recipient replied STOP to this sender and gets no SMS from it until they reply START (${what})`), { code });
    }
    if (twilio?.code !== undefined && BOUNCE_CODES.has(twilio.code)) return bounced(reason(what), { code });
    if (twilio?.code === GEO_PERMISSION_CODE) {
      return failed.permanent(reason(`the account may not send SMS to this number's country; enable it in Twilio's geographic permissions (${what})`), { code });
    }
    if (status === 401 || status === 403) return failed.permanent(reason(`Twilio refused the account's credentials (${what}); check accountSid and authToken`), { code });
    return failed.permanent(reason(what), { code });
  }
  const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), nowMs);
  return failed.retryable(reason(what), { code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

function classifySuccess(answer: HttpAnswer, redact: Redact): DeliveryResult {
  const parsed = parseObject(answer.body);
  const sid = parsed?.['sid'];
  const state = parsed?.['status'];
  if (typeof sid !== 'string' || sid === '' || sid.length > MAX_SID) {
    // Without a sid no callback can be matched, and the message may have gone out: a retry could
    // send it twice, so this is permanent, and the policy fails over.
    return failed.permanent(truncate(redact(`HTTP ${answer.status} without a message sid: not a Twilio-compatible answer (${excerpt(answer.body) || 'empty body'})`)), {
      code: 'INVALID_RESPONSE',
    });
  }
  const receipt = { providerMessageId: sid, ...(typeof state === 'string' ? { status: state } : {}) };
  return state === 'delivered' ? delivered(receipt) : accepted(receipt);
}

/**
 * A rejected fetch: connection refused or reset, DNS, TLS, undici's own timeouts. All
 * retryable except a port fetch refuses by specification, which no retry can change.
 */
export function classifyFetchError(error: unknown, redact: Redact): DeliveryFailure {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = codeOf(cause) ?? codeOf(error);
  const message = messageOf(cause) ?? messageOf(error) ?? String(error);
  if (message === 'bad port') return failed.permanent('fetch refuses to connect to this port (a blocked port); give baseUrl another port', { code: 'BAD_PORT' });
  return failed.retryable(truncate(redact(`network error: ${message}`)), { code: code ?? 'NETWORK' });
}

export interface TwilioError {
  readonly code?: number;
  readonly message?: string;
}

/** Twilio's error body, `{ code, message, more_info, status }`, when the body is one. */
export function twilioError(body: string): TwilioError | undefined {
  const parsed = parseObject(body);
  if (parsed === undefined) return undefined;
  const code = parsed['code'];
  const message = parsed['message'];
  const error: TwilioError = {
    ...(typeof code === 'number' && Number.isInteger(code) ? { code } : typeof code === 'string' && /^\d+$/.test(code) ? { code: Number(code) } : {}),
    ...(typeof message === 'string' && message !== '' ? { message } : {}),
  };
  return error.code === undefined && error.message === undefined ? undefined : error;
}

function describe(answer: HttpAnswer, twilio: TwilioError | undefined): string {
  if (twilio !== undefined) {
    const head = twilio.code === undefined ? 'Twilio error' : `Twilio error ${twilio.code}`;
    return `${head}${twilio.message === undefined ? '' : `: ${twilio.message}`} (HTTP ${answer.status})`;
  }
  const text = excerpt(answer.body);
  return text === '' ? `HTTP ${answer.status}` : `HTTP ${answer.status}: ${text}`;
}

function parseObject(body: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
}

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT - 1)}…` : text;
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function messageOf(value: unknown): string | undefined {
  const message = (value as { message?: unknown } | null | undefined)?.message;
  return typeof message === 'string' && message !== '' ? message : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}
