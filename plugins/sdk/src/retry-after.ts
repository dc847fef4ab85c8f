/**
 * `Retry-After` (RFC 9110) as milliseconds from now, for channel plugins that call an HTTP API
 * and answer a 429 or 503 with `failed.retryable(..., { retryAfterMs })`.
 */

/** Delay-seconds (`120`) or an HTTP date; anything else is ignored rather than guessed at, and a date in the past means "now". */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  // Date.parse also reads bare numbers such as "1.5" as dates; an HTTP date always names a day or month.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
