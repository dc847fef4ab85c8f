/**
 * Which operand types each operator takes, in one table for the checker (result types) and
 * the compiler (which operation to run). Durations are milliseconds and timestamps ISO strings
 * at run time, so a rule also says how to compute.
 */
import { isAssignable, type Type, type TypeKind } from '../types/type.js';
import type { ArithmeticOp } from './ast.js';

export interface ArithmeticRule {
  readonly op: ArithmeticOp;
  readonly left: TypeKind;
  readonly right: TypeKind;
  readonly result: TypeKind;
}

export const ARITHMETIC_RULES: readonly ArithmeticRule[] = [
  { op: '+', left: 'number', right: 'number', result: 'number' },
  { op: '+', left: 'string', right: 'string', result: 'string' },
  { op: '+', left: 'list', right: 'list', result: 'list' },
  { op: '+', left: 'timestamp', right: 'duration', result: 'timestamp' },
  { op: '+', left: 'duration', right: 'timestamp', result: 'timestamp' },
  { op: '+', left: 'duration', right: 'duration', result: 'duration' },
  { op: '-', left: 'number', right: 'number', result: 'number' },
  { op: '-', left: 'timestamp', right: 'duration', result: 'timestamp' },
  { op: '-', left: 'timestamp', right: 'timestamp', result: 'duration' },
  { op: '-', left: 'duration', right: 'duration', result: 'duration' },
  { op: '*', left: 'number', right: 'number', result: 'number' },
  { op: '*', left: 'duration', right: 'number', result: 'duration' },
  { op: '*', left: 'number', right: 'duration', result: 'duration' },
  { op: '/', left: 'number', right: 'number', result: 'number' },
  { op: '/', left: 'duration', right: 'number', result: 'duration' },
  { op: '/', left: 'duration', right: 'duration', result: 'number' },
  { op: '%', left: 'number', right: 'number', result: 'number' },
];

/** Kinds `<`, `<=`, `>`, `>=` order; both sides must be the same kind. */
export const ORDERED_KINDS: readonly TypeKind[] = ['number', 'string', 'timestamp', 'duration', 'bool'];

/** Could a value of static type `t` be of kind `kind`? (dyn could be anything; an object is a map.) */
export function mayBe(t: Type, kind: TypeKind): boolean {
  return t.kind === 'dyn' || t.kind === kind || (kind === 'map' && t.kind === 'object');
}

export function arithmeticCandidates(op: ArithmeticOp, left: Type, right: Type): ArithmeticRule[] {
  return ARITHMETIC_RULES.filter((r) => r.op === op && mayBe(left, r.left) && mayBe(right, r.right));
}

/** `==` and `!=` need types that can hold the same value; null and dyn compare with anything. */
export function comparableForEquality(a: Type, b: Type): boolean {
  if (a.kind === 'dyn' || b.kind === 'dyn' || a.kind === 'null' || b.kind === 'null') return true;
  return isAssignable(a, b) || isAssignable(b, a);
}

export function orderedCandidates(left: Type, right: Type): TypeKind[] {
  return ORDERED_KINDS.filter((k) => mayBe(left, k) && mayBe(right, k));
}
