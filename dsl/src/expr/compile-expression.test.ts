import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { T, type Type } from '../types/type.js';
import { benchExpressionEval } from './bench-eval.js';
import { checkExpression } from './check-expression.js';
import { compileExpression } from './compile-expression.js';
import { compileExpressionText, ExprCompileError } from './compile-text.js';
import { parseExpression } from './parse-expression.js';
import { ExprRuntimeError, type EvalEnv } from './values.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');

const vars = {
  trigger: {
    amount: 1500,
    invoiceId: 'INV-1',
    at: '2026-11-23T10:00:00.000Z',
    items: [
      { sku: 'A', price: 10 },
      { sku: 'B', price: 20 },
    ],
    tags: ['new', 'vip'],
    meta: { source: 'crm' },
  },
  customer: { name: 'Ann', segment: 'business', email: null, address: { zip: '75001', city: 'Paris' }, vip: true },
  delay: 3_600_000,
  payload: { n: 5, s: 'x', list: [1, 2], when: '2026-11-23T11:00:00+01:00', nested: { deep: null } },
  flag: true,
  zero: 0,
};

const scope: Record<string, Type> = {
  trigger: T.object({
    amount: T.number,
    invoiceId: T.string,
    at: T.timestamp,
    items: T.list(T.object({ sku: T.string, price: T.number })),
    tags: T.list(T.string),
    meta: T.map(T.string),
  }),
  customer: T.object({
    name: T.string,
    segment: T.string,
    email: T.optional(T.string),
    address: T.object({ zip: T.string, city: T.string }),
    vip: T.bool,
  }),
  delay: T.duration,
  payload: T.dyn,
  flag: T.bool,
  zero: T.number,
};

const env: EvalEnv = { vars, now: () => NOW };

/** Evaluate with the typed scope. */
function run(text: string, e: EvalEnv = env): unknown {
  return compileExpressionText(text, scope)(e);
}

/** Evaluate with every name dyn. */
function runDyn(text: string, e: EvalEnv = env): unknown {
  return compileExpressionText(text)(e);
}

function runtimeError(text: string, e: EvalEnv = env, dyn = false): ExprRuntimeError {
  try {
    (dyn ? runDyn : run)(text, e);
  } catch (err) {
    expect(err).toBeInstanceOf(ExprRuntimeError);
    return err as ExprRuntimeError;
  }
  throw new Error(`expected ${text} to fail`);
}

describe('operators', () => {
  it.each([
    ['1 + 2 * 3 == 7', true],
    ['(1 + 2) * 3', 9],
    ['7 - 2 - 1', 4],
    ['7 / 2', 3.5],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['-trigger.amount', -1500],
    ['!flag', false],
    ['"ab" + "cd"', 'abcd'],
    ['[1] + [2, 3]', [1, 2, 3]],
    ['1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3', true],
    ['"a" < "b"', true],
    ['false < true', true],
    ['1 == 1.0', true],
    ['1 != 2', true],
    ['[1, [2, {"a": 3}]] == [1, [2, {"a": 3}]]', true],
    ['{"a": 1, "b": 2} == {"b": 2, "a": 1}', true],
    ['{"a": 1} == {"a": 1, "b": 2}', false],
    ['[1, 2] != [2, 1]', true],
    ['null == null', true],
    ['customer.email == null', true],
    ['"vip" in trigger.tags', true],
    ['"gold" in trigger.tags', false],
    ['"source" in trigger.meta', true],
    ['"x" in trigger.meta', false],
    ['2 in [1, 2, 3]', true],
    ['[2] in [[1], [2]]', true],
    ['flag ? "y" : "n"', 'y'],
    ['!flag ? "y" : "n"', 'n'],
    ['trigger.amount > 1000 && customer.segment == "business"', true],
    ['trigger.amount > 1000 || customer.segment == "consumer"', true],
    ['trigger.items[1].sku', 'B'],
    ['trigger.meta["source"]', 'crm'],
    ['customer["name"]', 'Ann'],
    ['{name: customer.name, n: 1}', { name: 'Ann', n: 1 }],
    ['[trigger.amount, customer.name]', [1500, 'Ann']],
    ['{(customer.name): 1}', { Ann: 1 }],
  ])('%s', (text, expected) => {
    expect(run(text)).toEqual(expected);
  });

  it('precedence: ?? below ||, ?: lowest', () => {
    expect(runDyn('payload.missing ?? false || true')).toBe(true);
    expect(runDyn('payload.missing ?? flag ? "a" : "b"')).toBe('a');
    expect(runDyn('a.b ?? c.d ?? "x"', { vars: { a: {}, c: {} }, now: () => 0 })).toBe('x');
  });
});

describe('CEL semantics', () => {
  it('&& and || short-circuit', () => {
    expect(run('false && 1 / zero > 0')).toBe(false);
    expect(run('true || 1 / zero > 0')).toBe(true);
  });

  it('&& and || are commutative with respect to errors', () => {
    expect(run('1 / zero > 0 && false')).toBe(false);
    expect(run('1 / zero > 0 || true')).toBe(true);
    expect(runtimeError('1 / zero > 0 && true').message).toBe('`1 / zero`: division by zero');
    expect(runtimeError('1 / zero > 0 || false').message).toBe('`1 / zero`: division by zero');
  });

  it('a non-bool value in && is an error unless the other side decides', () => {
    expect(runDyn('payload.n && false')).toBe(false);
    expect(runtimeError('payload.n && true', env, true).message).toBe('`payload.n`: `&&` needs a bool, got a number');
  });

  it('missing fields and keys fail, naming the part', () => {
    const e = runtimeError('payload.nope == 1', env, true);
    expect(e.message).toBe('`payload` has no field `nope`');
    expect([e.start, e.end]).toEqual([0, 7]);
    expect(runtimeError('trigger.meta["nope"]').message).toBe('`trigger.meta` has no key "nope"');
    expect(runtimeError('trigger.items[2]').message).toBe('`trigger.items[2]`: index 2 is out of range (size 2)');
    expect(runtimeError('nobody.x', env, true).message).toBe('`nobody` is not set');
    expect(runtimeError('payload.nested.deep.x', env, true).message).toBe('`payload.nested.deep` is null, so it has no field `x`');
    expect(runtimeError('payload.list.x', env, true).message).toBe('`payload.list` is a list, which has no field `x`');
  });

  it('?? and has() never fail on missing fields or null steps', () => {
    expect(runDyn('payload.a.b.c ?? "x"')).toBe('x');
    expect(runDyn('payload.nested.deep.x ?? "x"')).toBe('x');
    expect(runDyn('nobody.x ?? 1')).toBe(1);
    expect(runDyn('payload.list[9] ?? 0')).toBe(0);
    expect(runDyn('payload.meta["k"] ?? "d"')).toBe('d');
    expect(runDyn('payload.n ?? 0')).toBe(5);
    expect(runDyn('payload.nested.deep ?? "was null"')).toBe('was null');
    expect(runDyn('has(payload.n)')).toBe(true);
    expect(runDyn('has(payload.nested.deep)')).toBe(true); // present, even though null (CEL)
    expect(runDyn('has(payload.a.b.c)')).toBe(false);
    expect(runDyn('has(nobody.x)')).toBe(false);
    expect(run('has(customer.email)')).toBe(true);
  });

  it('the right side of ?? is not tolerant', () => {
    expect(runtimeError('payload.a ?? payload.b.c', env, true).message).toBe('`payload` has no field `b`');
  });

  it('other errors inside ?? still surface', () => {
    expect(runtimeError('(1 / zero) ?? 1').message).toBe('`1 / zero`: division by zero');
  });

  it('division and modulo by zero, overflow', () => {
    expect(runtimeError('1 / zero').message).toBe('`1 / zero`: division by zero');
    expect(runtimeError('1 % zero').message).toBe('`1 % zero`: modulo by zero');
    expect(runtimeError('1e308 * 10').message).toBe('`1e308 * 10`: numeric overflow');
  });

  it('fields never come from Object.prototype', () => {
    expect(runtimeError('payload.constructor', env, true).message).toBe('`payload` has no field `constructor`');
    expect(runDyn('has(payload.toString)')).toBe(false);
    expect(runDyn('"constructor" in payload')).toBe(false);
    expect(runtimeError('constructor', env, true).message).toBe('`constructor` is not set');
  });

  it('values of the wrong type at run time are errors, not wrong answers', () => {
    const bad: EvalEnv = { vars: { ...vars, trigger: { ...vars.trigger, amount: '1500' } }, now: () => NOW };
    expect(runtimeError('trigger.amount > 1000', bad).message).toBe('`trigger.amount > 1000`: cannot compare a string with a number');
    expect(runtimeError('flag ? 1 : 2', { vars: { ...vars, flag: 'yes' }, now: () => NOW }).message).toBe('`flag`: the condition must be a bool, got a string');
  });

  it('maps built at run time reject non-string and duplicate keys', () => {
    expect(runtimeError('{(payload.n): 1}', env, true).message).toBe('`payload.n`: a map key must be a string, got a number');
    expect(runtimeError('{(payload.s): 1, (payload.s): 2}', env, true).message).toContain('duplicate map key');
  });

  it('a `__proto__` key stays data', () => {
    const m = runDyn('{"__proto__": 1}') as Record<string, unknown>;
    expect(Object.keys(m)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(m)).toBe(Object.prototype);
  });

  it('literal lists and maps are frozen constants', () => {
    const f = compileExpressionText('["email", "sms"]');
    expect(f(env)).toBe(f(env));
    expect(Object.isFrozen(f(env))).toBe(true);
  });
});

describe('timestamps and durations', () => {
  it('timestamp +/- duration gives an ISO string', () => {
    expect(run('trigger.at + 7d')).toBe('2026-11-30T10:00:00.000Z');
    expect(run('trigger.at - 1h30m')).toBe('2026-11-23T08:30:00.000Z');
    expect(run('30m + trigger.at')).toBe('2026-11-23T10:30:00.000Z');
    expect(run('trigger.at + delay * 2')).toBe('2026-11-23T12:00:00.000Z');
  });

  it('timestamp - timestamp gives a duration in ms; durations add and scale', () => {
    expect(run('now() - trigger.at')).toBe(7_200_000);
    expect(run('now() - trigger.at == 2h')).toBe(true);
    expect(run('delay + 30m')).toBe(5_400_000);
    expect(run('delay / 4')).toBe(900_000);
    expect(run('delay / 1m')).toBe(60);
    expect(run('-delay')).toBe(-3_600_000);
  });

  it('comparisons of timestamps compare instants, whatever the offset', () => {
    expect(run('trigger.at < now()')).toBe(true);
    expect(run('trigger.at == timestamp("2026-11-23T11:00:00+01:00")')).toBe(true);
    expect(run('trigger.at >= timestamp("2026-11-23T11:00:01+01:00")')).toBe(false);
    expect(run('now() - trigger.at > 1h && now() - trigger.at < 3h')).toBe(true);
  });

  it('dyn timestamps: the static side decides', () => {
    expect(runDyn('payload.when + 1h', env)).toBe('2026-11-23T11:00:00.000Z');
    expect(run('payload.when < trigger.at')).toBe(false);
    expect(run('payload.when == trigger.at')).toBe(true);
    expect(run('now() - payload.when')).toBe(7_200_000);
  });

  it('now() reads the environment clock', () => {
    expect(run('now()', { vars, now: () => 0 })).toBe('1970-01-01T00:00:00.000Z');
  });

  it('invalid timestamps and out-of-range results are runtime errors', () => {
    expect(runtimeError('trigger.at < now()', { vars: { ...vars, trigger: { ...vars.trigger, at: 'soon' } }, now: () => NOW }).message).toBe(
      '`trigger.at` is `soon`, not a valid timestamp',
    );
    expect(runtimeError('trigger.at + 10000000d').message).toContain('out of the timestamp range');
  });
});

describe('compileExpression and compileExpressionText', () => {
  it('compiles a checked AST once, evaluates many times', () => {
    const parsed = parseExpression('trigger.amount * 2');
    const f = compileExpression(checkExpression(parsed.ast!, scope).checked);
    expect(f(env)).toBe(3000);
    expect(f({ vars: { ...vars, trigger: { ...vars.trigger, amount: 1 } }, now: () => 0 })).toBe(2);
  });

  it('throws ExprCompileError listing the problems', () => {
    let error: unknown;
    try {
      compileExpressionText('custmer.name == (1 +', scope);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExprCompileError);
    expect((error as ExprCompileError).problems.map((p) => p.code)).toEqual(['expr-syntax']);
    expect(() => compileExpressionText('custmer.name', scope)).toThrow(/unknown variable `custmer`.*\[unknown-variable\]/);
  });

  it('warnings do not stop compilation', () => {
    expect(compileExpressionText('true || flag', scope)(env)).toBe(true);
  });

  it('without a scope every name is dyn', () => {
    expect(compileExpressionText('anything.goes + 1')({ vars: { anything: { goes: 1 } }, now: () => 0 })).toBe(2);
  });
});

describe('no eval', () => {
  it('the expression sources never use eval or new Function', () => {
    const dir = dirname(fileURLToPath(import.meta.url));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      // Comments may say "no eval"; the code may not call it.
      const text = readFileSync(join(dir, file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      expect(text, file).not.toMatch(/\beval\s*\(/);
      expect(text, file).not.toMatch(/\bnew\s+Function\b/);
      expect(text, file).not.toMatch(/\bFunction\s*\(/);
    }
  });
});

describe('throughput', () => {
  it('evaluates the reference condition fast (the 10M/s target is measured by bench/, this is a floor)', () => {
    const { perSecond, baselinePerSecond } = benchExpressionEval(300);
    expect(baselinePerSecond).toBeGreaterThan(0);
    expect(perSecond).toBeGreaterThan(1_000_000);
  });
});
