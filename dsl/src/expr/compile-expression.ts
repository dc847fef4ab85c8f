/**
 * Checked AST -> one JavaScript closure, built once. Each node becomes a small closure that
 * calls its children directly: no `eval`, no `new Function`, no per-call allocation on the
 * common paths (member access is a property read, literals are captured constants).
 *
 * The static types pick the operation (`<` on two timestamps compares instants, `ts + 7d`
 * formats a new ISO string); where a side is `dyn` the closure dispatches on the JS value.
 * Every closure still checks the kinds of the values it gets, since data at run time may not
 * match its declared type: a mismatch is an `ExprRuntimeError`, never a wrong answer.
 *
 * "Tolerant" closures (the left side of `??`, the operand of `has()`, `coalesce` arguments)
 * return `undefined` instead of failing when a field, key or index is missing or a step is null.
 */
import { assertNever, type Type, type TypeKind } from '../types/type.js';
import type { BinaryNode, CallNode, ExprNode, IndexNode, ListNode, MapNode, MemberNode, UnaryNode } from './ast.js';
import { scalarLiteral } from './ast.js';
import type { CheckedExpr } from './check-expression.js';
import { FUNCTION_DEFS, type FunctionImpl } from './functions.js';
import { arithmeticCandidates, orderedCandidates, type ArithmeticRule } from './operators.js';
import { formatTimestamp, parseTimestamp } from './timestamp.js';
import { deepEqual, describeValue, failOn, failThat, hasOwnKey, isMap, ExprRuntimeError, type EvalEnv } from './values.js';

/** A compiled expression: call it with the variables and the clock. Results may be frozen: do not mutate them. */
export type CompiledExpr = (env: EvalEnv) => unknown;

type Fn = (env: EvalEnv) => unknown;
type Rec = Record<string, unknown>;

export function compileExpression(checked: CheckedExpr): CompiledExpr {
  return new Compiler(checked.nodeTypes).compile(checked.ast, false);
}

const DYN: Type = { kind: 'dyn' };
const PRIMITIVE_KINDS: ReadonlySet<TypeKind> = new Set(['number', 'string', 'bool', 'duration', 'null']);

/** Names like `constructor` must be checked as own keys; others can be read directly. */
function isPrototypeName(name: string): boolean {
  return name in Object.prototype;
}

function literalOf(node: ExprNode): { value: unknown } | undefined {
  switch (node.kind) {
    case 'list': {
      const values: unknown[] = [];
      for (const e of node.elements) {
        const v = literalOf(e);
        if (!v) return undefined;
        values.push(v.value);
      }
      return { value: Object.freeze(values) };
    }
    case 'map': {
      const o: Rec = {};
      for (const e of node.entries) {
        if (e.key.kind !== 'string') return undefined;
        const v = literalOf(e.value);
        if (!v) return undefined;
        setKey(o, e.key.value, v.value);
      }
      return { value: Object.freeze(o) };
    }
    default:
      return scalarLiteral(node);
  }
}

/** `o[k] = v`, except that a `__proto__` key stays a plain own key. */
function setKey(o: Rec, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

function timestampEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const x = parseTimestamp(a);
  const y = parseTimestamp(b);
  return x !== undefined && x === y;
}

class Compiler {
  constructor(private readonly types: ReadonlyMap<ExprNode, Type>) {}

  private typeOf(node: ExprNode): Type {
    return this.types.get(node) ?? DYN;
  }

  compile(node: ExprNode, tolerant: boolean): Fn {
    const literal = literalOf(node);
    if (literal) {
      const value = literal.value;
      return () => value;
    }
    switch (node.kind) {
      case 'null':
      case 'bool':
      case 'number':
      case 'string':
      case 'duration':
        throw new Error('literals are handled above');
      case 'error':
        return () => failOn(node, 'this part has a syntax error');
      case 'ident':
        return this.ident(node.name, node, tolerant);
      case 'member':
        return this.member(node, tolerant);
      case 'index':
        return this.index(node, tolerant);
      case 'call':
        return this.call(node);
      case 'list':
        return this.list(node);
      case 'map':
        return this.map(node);
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(node, tolerant);
      case 'conditional': {
        const test = this.compile(node.test, false);
        const a = this.compile(node.consequent, tolerant);
        const b = this.compile(node.alternate, tolerant);
        return (env) => {
          const t = test(env);
          if (t === true) return a(env);
          if (t === false) return b(env);
          return failOn(node.test, `the condition must be a bool, got ${describeValue(t)}`);
        };
      }
      default:
        return assertNever(node);
    }
  }

  private ident(name: string, node: ExprNode, tolerant: boolean): Fn {
    const missing = (): never => failThat(node, 'is not set');
    if (isPrototypeName(name)) {
      return (env) => {
        const vars = env.vars;
        if (hasOwnKey(vars, name) && vars[name] !== undefined) return vars[name];
        return tolerant ? undefined : missing();
      };
    }
    if (tolerant) return (env) => env.vars[name];
    return (env) => {
      const v = env.vars[name];
      return v !== undefined ? v : missing();
    };
  }

  private member(node: MemberNode, tolerant: boolean): Fn {
    const name = node.name;
    const object = this.compile(node.object, tolerant);
    const fail = (o: unknown): never => {
      if (o === null) return failThat(node.object, `is null, so it has no field \`${name}\``);
      if (isMap(o)) return failThat(node.object, `has no field \`${name}\``);
      return failThat(node.object, `is ${describeValue(o)}, which has no field \`${name}\``);
    };
    if (tolerant) {
      return (env) => {
        const o = object(env);
        if (o === undefined || o === null) return undefined;
        if (isMap(o)) return hasOwnKey(o, name) ? o[name] : undefined;
        return fail(o);
      };
    }
    if (isPrototypeName(name)) {
      return (env) => {
        const o = object(env);
        if (isMap(o) && hasOwnKey(o, name)) return o[name];
        return fail(o);
      };
    }
    // The hot path: a plain property read. JSON objects have no own `undefined` values, so
    // `undefined` means "missing"; arrays are excluded because lists have no fields.
    if (node.object.kind === 'ident' && !isPrototypeName(node.object.name)) {
      const varName = node.object.name;
      const objectNode = node.object;
      return (env) => {
        const o = env.vars[varName];
        if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
          const v = (o as Rec)[name];
          if (v !== undefined) return v;
        }
        return o === undefined ? failThat(objectNode, 'is not set') : fail(o);
      };
    }
    return (env) => {
      const o = object(env);
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
        const v = (o as Rec)[name];
        if (v !== undefined) return v;
      }
      return fail(o);
    };
  }

  private index(node: IndexNode, tolerant: boolean): Fn {
    const object = this.compile(node.object, tolerant);
    const index = this.compile(node.index, false);
    return (env) => {
      const o = object(env);
      const k = index(env);
      if (Array.isArray(o)) {
        if (typeof k !== 'number') return failOn(node.index, `a list index must be a number, got ${describeValue(k)}`);
        if (Number.isInteger(k) && k >= 0 && k < o.length) return o[k];
        if (tolerant) return undefined;
        return failOn(node, Number.isInteger(k) ? `index ${k} is out of range (size ${o.length})` : `index ${k} is not a whole number`);
      }
      if (isMap(o)) {
        if (typeof k !== 'string') return failOn(node.index, `a map key must be a string, got ${describeValue(k)}`);
        if (hasOwnKey(o, k)) return o[k];
        return tolerant ? undefined : failThat(node.object, `has no key ${JSON.stringify(k)}`);
      }
      if (tolerant && (o === undefined || o === null)) return undefined;
      return failThat(node.object, `is ${describeValue(o)}, which cannot be indexed`);
    };
  }

  private call(node: CallNode): Fn {
    const method = node.receiver !== undefined;
    const argNodes = method ? [node.receiver!, ...node.args] : node.args;
    const def = FUNCTION_DEFS.get(node.name);
    if (!def) return () => failOn(node, `unknown function \`${node.name}\``);

    if (def.name === 'has' && !method) {
      const arg = argNodes[0];
      if (arg?.kind !== 'member') return () => failOn(node, '`has()` needs a field selection like `has(x.field)`');
      const object = this.compile(arg.object, true);
      const name = arg.name;
      return (env) => {
        const o = object(env);
        if (o === undefined || o === null) return false;
        if (isMap(o)) return hasOwnKey(o, name);
        return failThat(arg.object, `is ${describeValue(o)}, not a map: \`has()\` tests map fields`);
      };
    }
    if (def.name === 'coalesce') {
      const fns = argNodes.map((a) => this.compile(a, true));
      return (env) => {
        for (let i = 0; i < fns.length; i++) {
          const v = fns[i]!(env);
          if (v !== undefined && v !== null) return v;
        }
        return null;
      };
    }

    const impl: FunctionImpl = def.implement({ node, args: argNodes, types: argNodes.map((a) => this.typeOf(a)) });
    const fns = argNodes.map((a) => this.compile(a, false));
    // One argument array per call site, refilled on each call: no allocation per evaluation.
    const scratch: unknown[] = new Array<unknown>(fns.length).fill(undefined);
    switch (fns.length) {
      case 0:
        return (env) => impl(scratch, env);
      case 1: {
        const a0 = fns[0]!;
        return (env) => {
          scratch[0] = a0(env);
          return impl(scratch, env);
        };
      }
      case 2: {
        const a0 = fns[0]!;
        const a1 = fns[1]!;
        return (env) => {
          scratch[0] = a0(env);
          scratch[1] = a1(env);
          return impl(scratch, env);
        };
      }
      default:
        return (env) => {
          for (let i = 0; i < fns.length; i++) scratch[i] = fns[i]!(env);
          return impl(scratch, env);
        };
    }
  }

  private list(node: ListNode): Fn {
    const fns = node.elements.map((e) => this.compile(e, false));
    return (env) => {
      const out = new Array<unknown>(fns.length);
      for (let i = 0; i < fns.length; i++) out[i] = fns[i]!(env);
      return out;
    };
  }

  private map(node: MapNode): Fn {
    const entries = node.entries.map((e) => ({ node: e.key, key: this.compile(e.key, false), value: this.compile(e.value, false) }));
    return (env) => {
      const o: Rec = {};
      for (const e of entries) {
        const k = e.key(env);
        if (typeof k !== 'string') return failOn(e.node, `a map key must be a string, got ${describeValue(k)}`);
        if (hasOwnKey(o, k)) return failOn(e.node, `duplicate map key ${JSON.stringify(k)}`);
        setKey(o, k, e.value(env));
      }
      return o;
    };
  }

  private unary(node: UnaryNode): Fn {
    const operand = this.compile(node.operand, false);
    if (node.op === '!') {
      return (env) => {
        const v = operand(env);
        if (v === true) return false;
        if (v === false) return true;
        return failOn(node.operand, `\`!\` needs a bool, got ${describeValue(v)}`);
      };
    }
    return (env) => {
      const v = operand(env);
      if (typeof v === 'number') return -v;
      return failOn(node.operand, `\`-\` needs a number or a duration, got ${describeValue(v)}`);
    };
  }

  private binary(node: BinaryNode, tolerant: boolean): Fn {
    switch (node.op) {
      case '&&':
        return this.logical(node, false);
      case '||':
        return this.logical(node, true);
      case '??': {
        const left = this.compile(node.left, true);
        const right = this.compile(node.right, tolerant);
        return (env) => {
          const v = left(env);
          return v === undefined || v === null ? right(env) : v;
        };
      }
      case '==':
      case '!=': {
        const eq = this.equality(node);
        if (node.op === '==') return eq;
        return (env) => !eq(env);
      }
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.ordering(node);
      case 'in':
        return this.membership(node);
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.arithmetic(node);
      default:
        return assertNever(node.op);
    }
  }

  /**
   * CEL's commutative `&&`/`||`: a side that decides the answer (`false` for `&&`, `true` for
   * `||`) wins even if the other side fails; otherwise the error (or non-bool value) surfaces.
   */
  private logical(node: BinaryNode, isOr: boolean): Fn {
    const left = this.compile(node.left, false);
    const right = this.compile(node.right, false);
    const decisive = isOr; // `true || x`, `false && x`
    const notBool = (side: ExprNode, v: unknown): never => failOn(side, `\`${node.op}\` needs a bool, got ${describeValue(v)}`);
    return (env) => {
      let l: unknown;
      try {
        l = left(env);
      } catch (e) {
        if (!(e instanceof ExprRuntimeError)) throw e;
        if (right(env) === decisive) return decisive;
        throw e;
      }
      if (l === decisive) return decisive;
      const r = right(env);
      if (r === decisive) return decisive;
      if (l === !decisive && r === !decisive) return !decisive;
      return l === !decisive ? notBool(node.right, r) : notBool(node.left, l);
    };
  }

  private equality(node: BinaryNode): Fn {
    const lt = this.typeOf(node.left);
    const rt = this.typeOf(node.right);
    const left = this.compile(node.left, false);
    const right = this.compile(node.right, false);
    if (lt.kind === 'timestamp' || rt.kind === 'timestamp') return (env) => timestampEqual(left(env), right(env));
    const literal = literalOf(node.right);
    if (literal && (literal.value === null || typeof literal.value !== 'object')) {
      const c = literal.value;
      return (env) => left(env) === c;
    }
    if (PRIMITIVE_KINDS.has(lt.kind) || PRIMITIVE_KINDS.has(rt.kind)) return (env) => left(env) === right(env);
    return (env) => deepEqual(left(env), right(env));
  }

  private ordering(node: BinaryNode): Fn {
    const op = node.op;
    const left = this.compile(node.left, false);
    const right = this.compile(node.right, false);
    const lt = this.typeOf(node.left);
    const rt = this.typeOf(node.right);
    const fail = (a: unknown, b: unknown): never => failOn(node, `cannot compare ${describeValue(a)} with ${describeValue(b)}`);
    if (lt.kind === 'timestamp' || rt.kind === 'timestamp') {
      const ms = (side: ExprNode, v: unknown): number => {
        const t = typeof v === 'string' ? parseTimestamp(v) : undefined;
        return t === undefined ? failThat(side, `is ${typeof v === 'string' ? `\`${v}\`, not a valid timestamp` : describeValue(v)}`) : t;
      };
      const cmp = compareNumbers(op);
      return (env) => cmp(ms(node.left, left(env)), ms(node.right, right(env)));
    }
    const numeric = orderedCandidates(lt, rt).every((k) => k === 'number' || k === 'duration');
    const literal = literalOf(node.right);
    if (numeric && literal && typeof literal.value === 'number') {
      const c = literal.value;
      // One closure per operator so each stays monomorphic and small.
      switch (op) {
        case '<':
          return (env) => {
            const a = left(env);
            return typeof a === 'number' ? a < c : fail(a, c);
          };
        case '<=':
          return (env) => {
            const a = left(env);
            return typeof a === 'number' ? a <= c : fail(a, c);
          };
        case '>':
          return (env) => {
            const a = left(env);
            return typeof a === 'number' ? a > c : fail(a, c);
          };
        default:
          return (env) => {
            const a = left(env);
            return typeof a === 'number' ? a >= c : fail(a, c);
          };
      }
    }
    // Same-kind primitives: numbers, strings, or booleans (false < true, as in CEL); the
    // relational operators do the right thing on each, so one comparator serves all three.
    const cmp = compareNumbers(op) as (a: unknown, b: unknown) => boolean;
    return (env) => {
      const a = left(env);
      const b = right(env);
      const t = typeof a;
      if (t === typeof b && (t === 'number' || t === 'string' || t === 'boolean')) return cmp(a, b);
      return fail(a, b);
    };
  }

  private membership(node: BinaryNode): Fn {
    const left = this.compile(node.left, false);
    const right = this.compile(node.right, false);
    const lt = this.typeOf(node.left);
    const rt = this.typeOf(node.right);
    const element = rt.kind === 'list' ? rt.element : DYN;
    const eq =
      lt.kind === 'timestamp' || element.kind === 'timestamp'
        ? timestampEqual
        : PRIMITIVE_KINDS.has(lt.kind) || PRIMITIVE_KINDS.has(element.kind)
          ? (a: unknown, b: unknown) => a === b
          : deepEqual;
    const literal = literalOf(node.right);
    if (literal && Array.isArray(literal.value) && eq !== timestampEqual && literal.value.every((v) => v === null || typeof v !== 'object')) {
      const set = new Set<unknown>(literal.value);
      return (env) => {
        const v = left(env);
        return v === v && set.has(v); // `v === v`: NaN is in no list, as with `==`
      };
    }
    return (env) => {
      const v = left(env);
      const c = right(env);
      if (Array.isArray(c)) {
        for (let i = 0; i < c.length; i++) if (eq(v, c[i])) return true;
        return false;
      }
      if (isMap(c)) {
        if (typeof v !== 'string') return failOn(node.left, `map keys are strings, got ${describeValue(v)}`);
        return hasOwnKey(c, v);
      }
      return failOn(node.right, `\`in\` needs a list or a map, got ${describeValue(c)}`);
    };
  }

  private arithmetic(node: BinaryNode): Fn {
    const op = node.op as ArithmeticRule['op'];
    const left = this.compile(node.left, false);
    const right = this.compile(node.right, false);
    const lt = this.typeOf(node.left);
    const rt = this.typeOf(node.right);
    const rules = arithmeticCandidates(op, lt, rt);
    const fail = (a: unknown, b: unknown): never => failOn(node, `\`${op}\` cannot take ${describeValue(a)} and ${describeValue(b)}`);
    const numeric = numericOp(op, node);
    if (rules.length > 0 && rules.every((r) => isNumberKind(r.left) && isNumberKind(r.right))) {
      return (env) => {
        const a = left(env);
        const b = right(env);
        return typeof a === 'number' && typeof b === 'number' ? numeric(a, b) : fail(a, b);
      };
    }
    const candidates = rules.length > 0 ? rules : arithmeticCandidates(op, DYN, DYN);
    return (env) => {
      const a = left(env);
      const b = right(env);
      for (let i = 0; i < candidates.length; i++) {
        const r = candidates[i]!;
        if (fits(r.left, a) && fits(r.right, b)) return applyRule(r, a, b, node, numeric);
      }
      return fail(a, b);
    };
  }
}

function isNumberKind(k: TypeKind): boolean {
  return k === 'number' || k === 'duration';
}

/** Could a runtime value be of this kind? (Durations are numbers, timestamps strings.) */
function fits(kind: TypeKind, v: unknown): boolean {
  switch (kind) {
    case 'number':
    case 'duration':
      return typeof v === 'number';
    case 'string':
    case 'timestamp':
      return typeof v === 'string';
    case 'list':
      return Array.isArray(v);
    default:
      return false;
  }
}

function applyRule(rule: ArithmeticRule, a: unknown, b: unknown, node: BinaryNode, numeric: (a: number, b: number) => number): unknown {
  if (isNumberKind(rule.left) && isNumberKind(rule.right)) return numeric(a as number, b as number);
  if (rule.left === 'string') return (a as string) + (b as string);
  if (rule.left === 'list') return [...(a as unknown[]), ...(b as unknown[])];
  const ms = (side: ExprNode, v: unknown): number => {
    if (typeof v === 'number') return v;
    const t = parseTimestamp(v as string);
    return t === undefined ? failThat(side, `is \`${String(v)}\`, not a valid timestamp`) : t;
  };
  const x = ms(node.left, a);
  const y = ms(node.right, b);
  if (rule.result === 'duration') return x - y; // timestamp - timestamp
  const t = rule.op === '-' ? x - y : x + y;
  return formatTimestamp(t) ?? failOn(node, 'the result is out of the timestamp range (years 0001-9999)');
}

function numericOp(op: ArithmeticRule['op'], node: BinaryNode): (a: number, b: number) => number {
  const overflow = (): never => failOn(node, 'numeric overflow');
  switch (op) {
    case '+':
      return (a, b) => {
        const r = a + b;
        return Number.isFinite(r) ? r : overflow();
      };
    case '-':
      return (a, b) => {
        const r = a - b;
        return Number.isFinite(r) ? r : overflow();
      };
    case '*':
      return (a, b) => {
        const r = a * b;
        return Number.isFinite(r) ? r : overflow();
      };
    case '/':
      return (a, b) => {
        if (b === 0) return failOn(node, 'division by zero');
        const r = a / b;
        return Number.isFinite(r) ? r : overflow();
      };
    case '%':
      return (a, b) => {
        if (b === 0) return failOn(node, 'modulo by zero');
        const r = a % b;
        return Number.isFinite(r) ? r : overflow();
      };
    default:
      return assertNever(op);
  }
}

function compareNumbers(op: BinaryNode['op']): (a: number, b: number) => boolean {
  switch (op) {
    case '<':
      return (a, b) => a < b;
    case '<=':
      return (a, b) => a <= b;
    case '>':
      return (a, b) => a > b;
    default:
      return (a, b) => a >= b;
  }
}
