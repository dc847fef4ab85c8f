import { delivered, failed, parseRetryAfter } from '@herald/plugin-sdk';
import type { DeliveryFailure, DeliveryResult } from '@herald/plugin-sdk';

/** What we keep of a response: enough to classify it, with the start of its body. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The start of the response body (read up to a limit), decoded as UTF-8. */
  readonly body: string;
}

/** 4xx that say "not now" rather than "never": timeout, too early, rate limit. */
const RETRYABLE_4XX: ReadonlySet<number> = new Set([408, 425, 429]);

const MAX_EXCERPT = 200;
const MAX_REASON = 500;
const MAX_PROVIDER_ID = 256;

/**
 * Maps the receiver's answer to a DeliveryResult:
 * - 2xx: delivered; the receipt id is the response's JSON `id` when it has one, else the
 *   idempotency key (so a retry that the receiver dedupes still gets the same receipt);
 * - 408, 425, 429, 5xx: retryable, no sooner than `Retry-After`;
 * - 3xx: permanent: redirects are not followed (a POST may not survive one, and the signature
 *   and credentials should not travel to another host), so the config needs the final URL;
 * - other 4xx, 410 included: permanent. 410 is not a bounce: the URL is the channel's, shared by
 *   every subject, so "gone" says the endpoint is, not the subject's address; a bounce would
 *   mark the address of every subject sent to as undeliverable;
 * - anything else: retryable (the policy's attempt limit bounds it).
 */
export function classifyResponse(answer: HttpAnswer, idempotencyKey: string, nowMs: number): DeliveryResult {
  const { status } = answer;
  const code = `HTTP_${status}`;
  if (status >= 200 && status < 300) {
    return delivered({ providerMessageId: providerIdFrom(answer.body) ?? idempotencyKey, httpStatus: status });
  }
  if (status >= 300 && status < 400) {
    const location = answer.headers.get('location');
    return failed.permanent(truncate(`HTTP ${status}: the webhook URL redirects${location ? ` to ${location}` : ''}; configure the final URL`), { code });
  }
  if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status)) return failed.permanent(describe(answer), { code });
  const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), nowMs);
  return failed.retryable(describe(answer), { code, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

/**
 * A rejected fetch: connection refused or reset, DNS, TLS, undici's own timeouts. All
 * retryable except a port fetch refuses by specification, which no retry can change.
 */
export function classifyFetchError(error: unknown): DeliveryFailure {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = codeOf(cause) ?? codeOf(error);
  const message = messageOf(cause) ?? messageOf(error) ?? String(error);
  if (message === 'bad port') return failed.permanent('fetch refuses to connect to this port (a blocked port); give the webhook another port', { code: 'BAD_PORT' });
  return failed.retryable(truncate(`network error: ${message}`), { code: code ?? 'NETWORK' });
}

function providerIdFrom(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const id = (parsed as Record<string, unknown>)['id'];
  const text = typeof id === 'string' ? id : typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
  return text !== undefined && text !== '' && text.length <= MAX_PROVIDER_ID ? text : undefined;
}

function describe(answer: HttpAnswer): string {
  const excerpt = answer.body.replace(/\s+/g, ' ').trim();
  if (excerpt === '') return `HTTP ${answer.status}`;
  return `HTTP ${answer.status}: ${excerpt.length > MAX_EXCERPT ? `${excerpt.slice(0, MAX_EXCERPT - 1)}…` : excerpt}`;
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
