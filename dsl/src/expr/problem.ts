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
  /** The text that replaces [start, end) to fix it: the name a did-you-mean names (the editor's quick fix). */
  readonly replacement?: string;
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

const problemOf =
  (severity: ExprProblem['severity']) =>
  (code: ExprProblemCode, message: string, start: number, end: number, hint?: string, replacement?: string): ExprProblem => ({
    code,
    severity,
    message,
    start,
    end,
    ...(hint === undefined ? {} : { hint }),
    ...(replacement === undefined ? {} : { replacement }),
  });

export const exprError = problemOf('error');
export const exprWarning = problemOf('warning');

export function compareProblems(a: ExprProblem, b: ExprProblem): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.end !== b.end) return a.end - b.end;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
