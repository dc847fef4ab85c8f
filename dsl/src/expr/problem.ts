/**
 * Problems found in one expression. Offsets are into the expression text (UTF-16 code units,
 * `end` exclusive); the caller maps them into the file the expression came from.
 */
export interface ExprProblem {
  /** Stable kebab-case code, listed in docs/expressions.md. */
  readonly code: ExprProblemCode;
  readonly severity: 'error' | 'warning';
  /** One line: what is wrong. */
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** What to do about it, e.g. "did you mean `customer`?". */
  readonly hint?: string;
}

export type ExprProblemCode =
  | 'expr-syntax'
  | 'unknown-variable'
  | 'unknown-field'
  | 'unknown-function'
  | 'wrong-argument-count'
  | 'type-mismatch'
  | 'not-a-bool-condition'
  | 'wrong-expression-type'
  | 'constant-condition'
  | 'invalid-regex'
  | 'invalid-duration'
  | 'invalid-timestamp'
  | 'invalid-argument'
  | 'duplicate-map-key';

export function exprError(
  code: ExprProblemCode,
  message: string,
  start: number,
  end: number,
  hint?: string,
): ExprProblem {
  return hint === undefined
    ? { code, severity: 'error', message, start, end }
    : { code, severity: 'error', message, start, end, hint };
}

export function exprWarning(
  code: ExprProblemCode,
  message: string,
  start: number,
  end: number,
  hint?: string,
): ExprProblem {
  return hint === undefined
    ? { code, severity: 'warning', message, start, end }
    : { code, severity: 'warning', message, start, end, hint };
}

export function compareProblems(a: ExprProblem, b: ExprProblem): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.end !== b.end) return a.end - b.end;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
