/**
 * Runtime values are plain JSON: null, boolean, number, string, array, object. A timestamp is
 * an ISO-8601 string, a duration a number of milliseconds (see docs/expressions.md).
 */
import type { ExprNode } from './ast.js';
import { quoteExpression } from './print-expression.js';

/** An expression failed at run time (missing field, division by zero, wrong type of value...). */
export class ExprRuntimeError extends Error {
  override readonly name = 'ExprRuntimeError';
  constructor(
    message: string,
    /** Offsets of the failing part in the expression text, `end` exclusive. */
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

export function failAt(node: ExprNode, message: string): never {
  throw new ExprRuntimeError(message, node.start, node.end);
}

/** `failAt` with the node's text in front: "`a / b`: division by zero". */
export function failOn(node: ExprNode, message: string): never {
  throw new ExprRuntimeError(`${quoteExpression(node)}: ${message}`, node.start, node.end);
}

/** The node's text as the subject of the message: "`customer` has no field `x`". */
export function failThat(node: ExprNode, predicate: string): never {
  throw new ExprRuntimeError(`${quoteExpression(node)} ${predicate}`, node.start, node.end);
}

/** The JSON kind of a runtime value, for messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (missing)';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'boolean':
      return 'a bool';
    case 'number':
      return 'a number';
    case 'string':
      return 'a string';
    case 'object':
      return 'a map';
    default:
      return `a ${typeof v}`;
  }
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own keys only: `o.constructor` or `o.__proto__` never leak through. */
export function hasOwnKey(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

/** CEL equality on JSON values: deep on lists and maps; values of different kinds are unequal. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!hasOwnKey(b, k) || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** Unicode code points, as CEL's `size` counts them (not UTF-16 units). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** What a compiled expression reads: the variables in scope and the clock (virtual in tests and simulations). */
export interface EvalEnv {
  readonly vars: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds; what `now()` returns. */
  readonly now: () => number;
}
