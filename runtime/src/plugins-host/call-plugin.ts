/**
 * Calls into plugin code, defensively: a time limit enforced with an AbortController (the
 * plugin sees its signal abort; the caller gets an answer on time even if the plugin ignores
 * it), throws turned into retryable failures, and results checked with the SDK's own checks.
 * Plugins are not trusted to be typed, to be quick, or to keep their promises.
 */
import { checkCallbackReading, checkDeliveryResult, checkSourceResult, failed, sourceFailed } from '@herald/plugin-sdk';
import type { CallbackReading, CallbackReceipt, DeliveryResult, SourceResult } from '@herald/plugin-sdk';
import { describeError } from './load-plugin-module.js';

export const TIMEOUT_CODE = 'TIMEOUT';
export const PLUGIN_THREW_CODE = 'PLUGIN_THREW';
export const INVALID_RESULT_CODE = 'INVALID_RESULT';
/**
 * The code of a call or task refused, retryably, because what would run it is shutting down:
 * the plugin host (plugin-host.ts) or the worker pool (pool/, with `POOL_CLOSED_REASON`).
 */
export const SHUTDOWN_CODE = 'SHUTDOWN';

/**
 * What went wrong with a plugin call, for the caller to log (the plugin host logs it at warn,
 * rate-limited): the call threw (a bug: failures are values), outlived its time limit, or
 * returned a malformed result.
 */
export type CallProblem =
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] };

type Outcome<T> = { readonly kind: 'value'; readonly value: T } | { readonly kind: 'threw'; readonly error: unknown } | { readonly kind: 'timeout' };

/**
 * Runs `call(signal)` for at most `timeoutMs`. The signal aborts on the deadline or when
 * `outer` aborts (shutdown). Never rejects.
 */
export async function withDeadline<T>(call: (signal: AbortSignal) => Promise<T>, timeoutMs: number, outer?: AbortSignal): Promise<Outcome<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const onOuter = () => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onOuter, { once: true });
  const deadline = new Promise<Outcome<T>>((settle) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timeout after ${timeoutMs}ms`));
      settle({ kind: 'timeout' });
    }, timeoutMs);
  });
  const attempt = (async (): Promise<Outcome<T>> => {
    try {
      return { kind: 'value', value: await call(controller.signal) };
    } catch (error) {
      return { kind: 'threw', error };
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}

/**
 * How a kind of call (a send, a query, reading a callback) is checked and answered: its result
 * check, what a checked result of type V is answered as, and its failure.
 */
interface CallKind<V, R> {
  readonly check: (value: unknown) => string[];
  readonly accept: (value: V) => R;
  readonly retryable: (reason: string, options: { readonly code: string }) => R;
}

const SEND: CallKind<DeliveryResult, DeliveryResult> = { check: checkDeliveryResult, accept: (r) => r, retryable: failed.retryable };
const QUERY: CallKind<SourceResult, SourceResult> = { check: checkSourceResult, accept: (r) => r, retryable: sourceFailed.retryable };

/**
 * What reading a provider's callback came to: the receipts it reports, its refusal (a body the
 * plugin cannot read, a signature that does not verify), a channel whose plugin reads no
 * callbacks, or the plugin's own failure (it threw, hung, answered nonsense, or never started).
 */
export type CallbackAnswer =
  | { readonly kind: 'read'; readonly receipts: readonly CallbackReceipt[] }
  | { readonly kind: 'refused'; readonly status: 400 | 401 | 403; readonly reason: string }
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'failed'; readonly reason: string; readonly code: string };

const CALLBACK: CallKind<CallbackReading, CallbackAnswer> = {
  check: (value) => {
    const problem = checkCallbackReading(value);
    return problem === undefined ? [] : [problem];
  },
  accept: (r) => (r.ok ? { kind: 'read', receipts: r.receipts } : { kind: 'refused', status: r.status, reason: r.reason }),
  retryable: (reason, { code }) => ({ kind: 'failed', reason, code }),
};

/**
 * A call of `kind`, answered at its own deadline whatever the plugin does: a hung call becomes a
 * retryable `timeout after <ms>` the moment its time is up (its signal aborts; the call itself is
 * left to end or not, costing only its own promise), without touching the other calls of the
 * thread; a throw becomes a retryable `plugin threw: ...`, a malformed result a retryable
 * `plugin returned an invalid result: ...`. `onProblem` hears about each. Never rejects.
 */
async function callWithDeadline<V, R>(
  kind: CallKind<V, R>,
  call: (signal: AbortSignal) => Promise<V>,
  timeoutMs: number,
  outer?: AbortSignal,
  onProblem?: (problem: CallProblem) => void,
): Promise<R> {
  const outcome = await withDeadline(call, timeoutMs, outer);
  switch (outcome.kind) {
    case 'timeout':
      onProblem?.({ kind: 'timeout', timeoutMs });
      return kind.retryable(`timeout after ${timeoutMs}ms`, { code: TIMEOUT_CODE });
    case 'threw':
      onProblem?.({ kind: 'threw', error: outcome.error });
      return kind.retryable(`plugin threw: ${describeError(outcome.error)}`, { code: PLUGIN_THREW_CODE });
    case 'value': {
      const problems = kind.check(outcome.value);
      if (problems.length > 0) {
        onProblem?.({ kind: 'invalid', problems });
        return kind.retryable(`plugin returned an invalid result: ${problems.join('; ')}`, { code: INVALID_RESULT_CODE });
      }
      return kind.accept(outcome.value);
    }
  }
}

/**
 * A send, answered at its own deadline whatever the plugin does (`callWithDeadline`): a hung call
 * becomes a retryable `timeout after <ms>` the moment its time is up, without touching the other
 * calls of the thread. Failures are `failed.retryable`; results are checked with
 * `checkDeliveryResult`. `onProblem` hears about throws, timeouts and malformed results. Never rejects.
 */
export function sendWithDeadline(
  call: (signal: AbortSignal) => Promise<DeliveryResult>,
  timeoutMs: number,
  outer?: AbortSignal,
  onProblem?: (problem: CallProblem) => void,
): Promise<DeliveryResult> {
  return callWithDeadline(SEND, call, timeoutMs, outer, onProblem);
}

/**
 * A source query, answered at its own deadline as `sendWithDeadline` answers a send; failures are
 * `sourceFailed.retryable`, results checked with `checkSourceResult`. Never rejects.
 */
export function queryWithDeadline(
  call: (signal: AbortSignal) => Promise<SourceResult>,
  timeoutMs: number,
  outer?: AbortSignal,
  onProblem?: (problem: CallProblem) => void,
): Promise<SourceResult> {
  return callWithDeadline(QUERY, call, timeoutMs, outer, onProblem);
}

/**
 * A provider's callback read by its channel's plugin (`readCallback`), answered at its deadline
 * as a send is; a throw, a hang or a malformed reading is a `failed` answer. Never rejects.
 */
export function readCallbackWithDeadline(
  call: (signal: AbortSignal) => Promise<CallbackReading>,
  timeoutMs: number,
  outer?: AbortSignal,
  onProblem?: (problem: CallProblem) => void,
): Promise<CallbackAnswer> {
  return callWithDeadline(CALLBACK, call, timeoutMs, outer, onProblem);
}
