/**
 * One HTTP request of a channel's `send`, for plugins that call a provider's API with `fetch`:
 * stopped by whichever comes first of the send's signal (the runtime gave up on the send), the
 * channel's own closing signal (its `close()`), and a time limit; and the start of the answer
 * read (readResponseStart). What stopped it is a value the send returns as it is.
 *
 * Why not `AbortSignal.any`: its dependants on a long-lived signal (the channel's closing one)
 * are only released by garbage collection; here each request removes its listeners when it ends.
 */
import { aborted, failed, type RetryableFailure } from './delivery-result.js';
import { readResponseStart } from './read-response-start.js';

export interface FetchLimits {
  /** The send's signal (`ctx.signal`). */
  readonly signal: AbortSignal;
  /** Aborted by the channel's `close()`: requests in flight stop at once. Give it `setMaxListeners(0, ...)`: one listener per request in flight. */
  readonly closing: AbortSignal;
  /** No answer (status and the start of the body) within this many ms: `TIMEOUT`, retryable. */
  readonly timeoutMs: number;
}

/** The `code` of the failure a request that timed out gives. */
export const TIMEOUT_CODE = 'TIMEOUT';

export type FetchOutcome =
  /**
   * The provider answered. `cutShortBy`: what stopped the request while its body was read (the
   * status is in; the body may lack the id or the error detail), else null.
   */
  | { readonly kind: 'answered'; readonly response: Response; readonly body: string; readonly cutShortBy: RetryableFailure | null }
  /** Stopped before an answer: `aborted` (the send's signal or closing) or `TIMEOUT`, both retryable; return it. */
  | { readonly kind: 'stopped'; readonly failure: RetryableFailure }
  /** `fetch` failed on its own (DNS, refused, reset, TLS): the channel says what that means for its provider. */
  | { readonly kind: 'error'; readonly error: unknown };

/** `fetch(url, init)` within `limits`; never rejects. */
export async function fetchWithin(url: string | URL, init: Omit<RequestInit, 'signal'>, limits: FetchLimits): Promise<FetchOutcome> {
  const { signal, closing, timeoutMs } = limits;
  const stop = new AbortController();
  let timedOut = false;
  const stoppedBy = (): RetryableFailure => {
    if (signal.aborted) return aborted(signal);
    if (closing.aborted) return aborted(closing);
    return failed.retryable(`no response within ${timeoutMs} ms`, { code: TIMEOUT_CODE });
  };
  if (signal.aborted || closing.aborted) return { kind: 'stopped', failure: stoppedBy() };
  const onAbort = () => stop.abort(signal.aborted ? signal.reason : closing.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  closing.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    stop.abort(new Error(`no response within ${timeoutMs} ms`));
  }, timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: stop.signal });
    const body = await readResponseStart(response);
    return { kind: 'answered', response, body, cutShortBy: stop.signal.aborted ? stoppedBy() : null };
  } catch (error) {
    if (stop.signal.aborted && (timedOut || signal.aborted || closing.aborted)) return { kind: 'stopped', failure: stoppedBy() };
    return { kind: 'error', error };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    closing.removeEventListener('abort', onAbort);
  }
}
