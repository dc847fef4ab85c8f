import { nonJsonPlace } from './json.js';

/** What `SourceInstance.query` resolves to. Query never rejects for a data problem: failures are values. */
export type SourceResult<T = unknown> = SourceValue<T> | SourceFailure;

export interface SourceValue<T = unknown> {
  readonly ok: true;
  /** Must match the query's declared `returns:` type; a missing record is `null` when that type allows it. */
  readonly value: T;
}

/** Retryable: the runtime retries the fetch with backoff. Permanent: the journey step fails. */
export interface SourceFailure {
  readonly ok: false;
  readonly retryable: boolean;
  readonly reason: string;
  readonly code?: string;
  /** Retryable only: the provider asked to wait this long (a 429's or 503's `Retry-After`, see `parseRetryAfter`); the next try is no sooner. */
  readonly retryAfterMs?: number;
}

export interface SourceFailureOptions {
  readonly code?: string;
  readonly retryAfterMs?: number;
}

export function sourceOk<T>(value: T): SourceValue<T> {
  return Object.freeze({ ok: true, value });
}

function failure(retryable: boolean, reason: string, options: SourceFailureOptions): SourceFailure {
  return Object.freeze({
    ok: false,
    retryable,
    reason,
    ...(options.code === undefined ? {} : { code: options.code }),
    ...(options.retryAfterMs === undefined ? {} : { retryAfterMs: options.retryAfterMs }),
  });
}

/** `sourceFailed.retryable(reason, { retryAfterMs })` / `sourceFailed.permanent(reason)`. */
export const sourceFailed = Object.freeze({
  retryable: (reason: string, options: SourceFailureOptions = {}): SourceFailure => failure(true, reason, options),
  permanent: (reason: string, options: { readonly code?: string } = {}): SourceFailure => failure(false, reason, options),
});

/** Problems that make `value` not a SourceResult; empty when it is one. */
export function checkSourceResult(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['a SourceResult must be an object'];
  const v = value as Record<string, unknown>;
  if (v['ok'] === true) {
    if (!('value' in v) || v['value'] === undefined) return ['an ok SourceResult needs a value (null for "no record")'];
    // The answer crosses from the worker thread and is stored with the instance: JSON only.
    const notJson = nonJsonPlace(v['value']);
    return notJson === undefined ? [] : [`a query answers JSON (null, true/false, finite numbers, strings, lists, plain objects); ${notJson}`];
  }
  if (v['ok'] !== false) return ['ok must be true or false'];
  const problems: string[] = [];
  if (typeof v['retryable'] !== 'boolean') problems.push('a failed SourceResult needs retryable: true or false');
  if (typeof v['reason'] !== 'string' || v['reason'] === '') problems.push('a failed SourceResult needs a reason');
  if (v['code'] !== undefined && typeof v['code'] !== 'string') problems.push('code must be a string');
  const after = v['retryAfterMs'];
  if (after !== undefined) {
    if (typeof after !== 'number' || !Number.isFinite(after) || after < 0) problems.push('retryAfterMs must be a number of milliseconds, 0 or more');
    else if (v['retryable'] === false) problems.push('retryAfterMs goes with a retryable failure only: a permanent one is not tried again');
  }
  return problems;
}

export function isSourceResult(value: unknown): value is SourceResult {
  return checkSourceResult(value).length === 0;
}
