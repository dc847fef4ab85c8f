/**
 * Calls into plugin code, defensively: a time limit enforced with an AbortController (the
 * plugin sees its signal abort; the caller gets an answer on time even if the plugin ignores
 * it), throws turned into retryable failures, and results checked with the SDK's own checks.
 * Plugins are not trusted to be typed, to be quick, or to keep their promises.
 */
import { checkDeliveryResult, checkSourceResult, failed, sourceFailed } from '@herald/plugin-sdk';
import type { DeliveryResult, SourceResult } from '@herald/plugin-sdk';
import { describeError } from './load-plugin-module.js';

export const TIMEOUT_CODE = 'TIMEOUT';
export const PLUGIN_THREW_CODE = 'PLUGIN_THREW';
export const INVALID_RESULT_CODE = 'INVALID_RESULT';

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

export async function sendWithDeadline(
  call: (signal: AbortSignal) => Promise<DeliveryResult>,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<DeliveryResult> {
  const outcome = await withDeadline(call, timeoutMs, outer);
  switch (outcome.kind) {
    case 'timeout':
      return failed.retryable(`timeout after ${timeoutMs}ms`, { code: TIMEOUT_CODE });
    case 'threw':
      return failed.retryable(`plugin threw: ${describeError(outcome.error)}`, { code: PLUGIN_THREW_CODE });
    case 'value': {
      const problems = checkDeliveryResult(outcome.value);
      if (problems.length > 0) return failed.retryable(`plugin returned an invalid result: ${problems.join('; ')}`, { code: INVALID_RESULT_CODE });
      return outcome.value;
    }
  }
}

export async function queryWithDeadline(
  call: (signal: AbortSignal) => Promise<SourceResult>,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<SourceResult> {
  const outcome = await withDeadline(call, timeoutMs, outer);
  switch (outcome.kind) {
    case 'timeout':
      return sourceFailed.retryable(`timeout after ${timeoutMs}ms`, { code: TIMEOUT_CODE });
    case 'threw':
      return sourceFailed.retryable(`plugin threw: ${describeError(outcome.error)}`, { code: PLUGIN_THREW_CODE });
    case 'value': {
      const problems = checkSourceResult(outcome.value);
      if (problems.length > 0) return sourceFailed.retryable(`plugin returned an invalid result: ${problems.join('; ')}`, { code: INVALID_RESULT_CODE });
      return outcome.value;
    }
  }
}
