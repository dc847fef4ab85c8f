/**
 * The delay before the next attempt on the same channel, after attempt `failedAttempt`
 * (1-based) failed with a retryable error:
 * - fixed: `initialMs` every time;
 * - linear: `initialMs * n` (30s, 60s, 90s, ...);
 * - exponential: `initialMs * 2^(n-1)` (30s, 60s, 120s, ...);
 * each capped at `maxMs`. A provider's `retryAfterMs` (HTTP 429 `Retry-After`) is a floor:
 * never sooner than it asked, even beyond `maxMs`.
 */
import type { PolicyIR } from '@herald/dsl';

export function backoffDelay(retry: PolicyIR['retry'], failedAttempt: number, retryAfterMs?: number): number {
  const n = Math.max(1, failedAttempt);
  let delay: number;
  switch (retry.backoff) {
    case 'fixed':
      delay = retry.initialMs;
      break;
    case 'linear':
      delay = retry.initialMs * n;
      break;
    case 'exponential':
      // 2^(n-1) overflows to Infinity long after any cap: min() below keeps it finite.
      delay = retry.initialMs * 2 ** (n - 1);
      break;
    default:
      throw new Error(`unknown backoff ${JSON.stringify(retry.backoff satisfies never)}`);
  }
  delay = Math.min(delay, retry.maxMs);
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > delay) delay = retryAfterMs;
  return Math.max(0, delay);
}
