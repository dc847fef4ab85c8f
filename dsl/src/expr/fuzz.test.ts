/**
 * Bounded fuzzing (seeded, so a failure reproduces): random token soups and mutations of valid
 * expressions must never make parse or check throw, and whatever compiles must evaluate to a
 * value or fail with an ExprRuntimeError, never with a JavaScript error.
 */
import { describe, expect, it } from 'vitest';
import { T, type Type } from '../types/type.js';
import { checkExpression, checkInScope } from './check-expression.js';
import { compileExpression } from './compile-expression.js';
import { parseExpression } from './parse-expression.js';
import type { ExprProblem } from './problem.js';
import { ExprRuntimeError, type EvalEnv } from './values.js';

/** mulberry32: small, fast, good enough to spread inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = [
  'a', 'b', 'x', 'a.b', 'x.list', 'constructor', '__proto__', '1', '0', '2.5', '1e3', '0x1F', '30s', '1h30m', '"s"', "'t'", 'r"\\d+"',
  '"2026-11-23T10:00:00Z"', '(', ')', '[', ']', '{', '}', ',', ':', '.', '?', '??', '||', '&&', '==', '!=', '<', '<=', '>', '>=', 'in',
  '+', '-', '*', '/', '%', '!', 'true', 'false', 'null', 'size', 'has', 'now()', 'timestamp', 'duration', 'matches', 'coalesce',
  'min', 'hour', '#', '"unterminated', '1h30', '5min', '\n', '//c\n', '\\', '=', '`',
];

const VALID = [
  'trigger.amount > 1000 && customer.segment == "business"',
  'a.b.c ?? "x"',
  'has(a.b) ? a.b : [1, 2, 3][1]',
  'size(x.list) + 1 * 2 - 3 / 4 % 5',
  'now() - timestamp("2026-11-23T10:00:00Z") > 7d',
  '{k: [a, "v"], "w": {z: null}}["k"][0] in [1, 2]',
  'lower(x.s).startsWith("a") || x.s.matches(r"^[a-z]+$")',
  'coalesce(a.x, b, 0) != min(1, 2, max([3, 4]))',
  '!(a == b) && -x.n < 0 ? round(2.5, 1) : int("3")',
  'daysBetween(timestamp("2026-01-01"), now(), "Europe/Paris") >= 30',
];

const CHARS = 'ab.()[]{}"\'\\,:?|&=!<>+-*/%0123456789 smhdwe_xyz#\n';

const CODES = new Set([
  'expr-syntax', 'unknown-variable', 'unknown-field', 'unknown-function', 'wrong-argument-count', 'type-mismatch',
  'not-a-bool-condition', 'wrong-expression-type', 'constant-condition', 'invalid-regex', 'invalid-duration', 'invalid-timestamp', 'invalid-argument',
  'duplicate-map-key',
]);

const scope: Record<string, Type> = {
  a: T.object({ b: T.number, c: T.optional(T.string) }),
  b: T.number,
  x: T.dyn,
  trigger: T.object({ amount: T.number }),
  customer: T.object({ segment: T.string }),
};

const env: EvalEnv = {
  vars: {
    a: { b: 1, c: 'c' },
    b: 2,
    x: { list: [1, 2], s: 'abc', n: 3 },
    trigger: { amount: 1500 },
    customer: { segment: 'business' },
  },
  now: () => Date.parse('2026-11-23T10:00:00Z'),
};

function assertWellFormed(text: string, problems: readonly ExprProblem[]): void {
  for (const p of problems) {
    expect(CODES.has(p.code), `${p.code} in ${JSON.stringify(text)}`).toBe(true);
    expect(p.start >= 0 && p.start <= p.end && p.end <= text.length, `${p.start}-${p.end} in ${JSON.stringify(text)}`).toBe(true);
    expect(p.message.length).toBeGreaterThan(0);
  }
}

function exercise(text: string): void {
  const parsed = parseExpression(text);
  assertWellFormed(text, parsed.problems);
  if (!parsed.ast) {
    expect(parsed.problems.length, JSON.stringify(text)).toBeGreaterThan(0);
    return;
  }
  const typed = checkExpression(parsed.ast, scope, T.bool);
  assertWellFormed(text, typed.problems);
  const open = checkInScope(parsed.ast, undefined);
  assertWellFormed(text, open.problems);
  const hasErrors = [...parsed.problems, ...open.problems].some((p) => p.severity === 'error');
  if (hasErrors) return;
  const compiled = compileExpression(open.checked);
  try {
    const value = compiled(env);
    expect(value, JSON.stringify(text)).not.toBeUndefined();
  } catch (e) {
    if (!(e instanceof ExprRuntimeError)) throw new Error(`${JSON.stringify(text)} threw ${String(e)}`);
    expect(e.start >= 0 && e.end <= text.length).toBe(true);
  }
}

describe('fuzz', () => {
  it('random token sequences', () => {
    const random = prng(0xc0ffee);
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(random() * 12);
      const parts: string[] = [];
      for (let j = 0; j < n; j++) parts.push(VOCABULARY[Math.floor(random() * VOCABULARY.length)]!);
      exercise(parts.join(random() < 0.5 ? ' ' : ''));
    }
  });

  it('mutations of valid expressions', () => {
    const random = prng(42);
    let compiled = 0;
    for (const text of VALID) exercise(text);
    for (let i = 0; i < 3000; i++) {
      let text = VALID[Math.floor(random() * VALID.length)]!;
      const edits = 1 + Math.floor(random() * 3);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(random() * (text.length + 1));
        const r = random();
        if (r < 0.35) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
        else if (r < 0.7) text = text.slice(0, at) + CHARS[Math.floor(random() * CHARS.length)]! + text.slice(at);
        else if (r < 0.85) text = text.slice(0, at) + text.slice(at, at + 6) + text.slice(at);
        else text = text.slice(at) + text.slice(0, at);
      }
      exercise(text);
      if (!parseExpression(text).problems.some((p) => p.severity === 'error')) compiled++;
    }
    expect(compiled).toBeGreaterThan(100); // the mutations still reach the compiler and evaluator
  });
});
