/**
 * Type-checks an expression against the declared types of the names in scope. Reports every
 * problem it can (a wrong part gets type `dyn` so one mistake does not cascade) and records
 * each node's type for the compiler.
 */
import { didYouMean, didYouMeanHint, inScopeHint } from '../diagnostics/did-you-mean.js';
import { assertNever, isAssignable, T, typeToString, unifyTypes, type Field, type Type } from '../types/type.js';
import type { BinaryNode, CallNode, ConditionalNode, ExprNode, IndexNode, MapNode, MemberNode, UnaryNode } from './ast.js';
import { scalarLiteral } from './ast.js';
import { comparedNames, comparesWithText, isBooleanWord } from './bare-words.js';
import { arityText, FUNCTION_DEFS, type CallCheck } from './functions.js';
import { arithmeticCandidates, comparableForEquality, orderedCandidates } from './operators.js';
import { quoteExpression } from './print-expression.js';
import { exprError, exprWarning, compareProblems, type ExprProblem, type ExprProblemCode } from './problem.js';

export interface CheckedExpr {
  readonly ast: ExprNode;
  /** The type of the whole expression. */
  readonly type: Type;
  /** The type of every node (`dyn` where checking failed), for the compiler and for hover. */
  readonly nodeTypes: ReadonlyMap<ExprNode, Type>;
  /** Member reads of fields declared optional (`T?`): a missing one fails a strict read at run time. */
  readonly optionalReads: readonly MemberNode[];
}

export interface CheckResult {
  readonly checked: CheckedExpr;
  readonly problems: ExprProblem[];
}

/**
 * `scope` gives the type of every name the expression may use. `expected`, when given, is the
 * type the context needs: `bool` for a condition (`not-a-bool-condition` otherwise), or any
 * other type (`wrong-expression-type` when the expression's type cannot be used as one).
 */
export function checkExpression(ast: ExprNode, scope: Readonly<Record<string, Type>>, expected?: Type): CheckResult {
  return checkInScope(ast, scope, expected);
}

/** `scope` undefined: every name is `dyn` (what `compileExpressionText` does without a scope). */
export function checkInScope(ast: ExprNode, scope: Readonly<Record<string, Type>> | undefined, expected?: Type): CheckResult {
  const checker = new Checker(scope);
  const type = checker.checkRoot(ast);
  if (expected) checker.checkExpected(ast, type, expected);
  const problems = checker.problems.sort(compareProblems);
  return { checked: { ast, type, nodeTypes: checker.types, optionalReads: checker.optionalReads }, problems };
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

function isDyn(t: Type): boolean {
  return t.kind === 'dyn';
}

function fmt(t: Type): string {
  return `\`${typeToString(t)}\``;
}


const NON_BOOL_HINTS: Partial<Record<Type['kind'], string>> = {
  string: 'compare it, e.g. `x != ""`',
  number: 'compare it, e.g. `x > 0`',
  list: 'test its size, e.g. `size(x) > 0`',
  map: 'test a field, e.g. `has(x.field)`',
  object: 'test a field, e.g. `has(x.field)`',
  null: 'compare it, e.g. `x != null`',
};

class Checker {
  readonly types = new Map<ExprNode, Type>();
  readonly optionalReads: MemberNode[] = [];
  readonly problems: ExprProblem[] = [];
  /** Bare names that are a side of `==` / `!=`, with the other side: when unknown, perhaps text without quotes. */
  private compared: ReadonlyMap<ExprNode, ExprNode> = new Map();

  constructor(private readonly scope: Readonly<Record<string, Type>> | undefined) {}

  private error(code: ExprProblemCode, message: string, at: { start: number; end: number }, hint?: string, replacement?: string): void {
    this.problems.push(exprError(code, message, at.start, at.end, hint, replacement));
  }

  private warn(message: string, at: { start: number; end: number }, hint?: string): void {
    this.problems.push(exprWarning('constant-condition', message, at.start, at.end, hint));
  }

  /** Check the whole expression (the entry point: it looks at the expression's shape first). */
  checkRoot(node: ExprNode): Type {
    this.compared = new Map(comparedNames(node).map((c) => [c.name, c.other]));
    return this.check(node);
  }

  check(node: ExprNode): Type {
    const t = this.visit(node);
    this.types.set(node, t);
    return t;
  }

  checkExpected(node: ExprNode, type: Type, expected: Type): void {
    if (isDyn(type) || node.kind === 'error') return;
    if (expected.kind === 'bool') {
      if (type.kind !== 'bool') {
        this.error('not-a-bool-condition', `a condition must be \`bool\`, got ${fmt(type)}`, node, NON_BOOL_HINTS[type.kind]);
      }
    } else if (!isAssignable(type, expected)) {
      this.error('wrong-expression-type', `expected ${fmt(expected)}, got ${fmt(type)}`, node, conversionHint(type, expected));
    }
  }

  private visit(node: ExprNode): Type {
    switch (node.kind) {
      case 'null':
        return T.null;
      case 'bool':
        return T.bool;
      case 'number':
        return T.number;
      case 'string':
        return T.string;
      case 'duration':
        return T.duration;
      case 'error':
        return T.dyn;
      case 'ident':
        return this.ident(node.name, node);
      case 'member':
        return this.member(node);
      case 'index':
        return this.index(node);
      case 'call':
        return this.call(node);
      case 'list': {
        let element: Type | undefined;
        for (const e of node.elements) {
          const t = this.check(e);
          element = element === undefined ? t : unifyTypes(element, t);
        }
        return T.list(element === undefined || element.kind === 'null' ? T.dyn : element);
      }
      case 'map':
        return this.map(node);
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(node);
      case 'conditional':
        return this.conditional(node);
      default:
        return assertNever(node);
    }
  }

  private ident(name: string, at: ExprNode): Type {
    if (this.scope === undefined) return T.dyn;
    if (hasOwn(this.scope, name)) return this.scope[name]!;
    const hint = this.unknownNameHint(name, at);
    // Only a plain did-you-mean is a fix: "... or, for the text, quote it" leaves the choice to the author.
    const fix = hint?.startsWith('did you mean') && !hint.includes(' or, ') ? didYouMean(name, Object.keys(this.scope)) : undefined;
    this.error('unknown-variable', `unknown variable \`${name}\``, at, hint, fix);
    return T.dyn;
  }

  private unknownNameHint(name: string, at: ExprNode): string | undefined {
    const scope = this.scope ?? {};
    if (FUNCTION_DEFS.get(name)) return `\`${name}\` is a function: write \`${name}(...)\``;
    // `when: "yes"`: YAML's words for booleans are no literals here.
    if (isBooleanWord(name)) return `\`${name}\` is no boolean in an expression: write \`true\` or \`false\``;
    const similar = didYouMean(name, Object.keys(scope));
    const other = this.compared.get(at);
    if (other && comparesWithText(this.types.get(other))) {
      const quote = `quote it: \`${JSON.stringify(name)}\``;
      return similar === undefined ? `for the text, ${quote}` : `did you mean \`${similar}\`? or, for the text, ${quote}`;
    }
    if (similar !== undefined) return `did you mean \`${similar}\`?`;
    // `event` is the name of the event being matched, in `trigger.when`, `trigger.subject` and a wait's `match` only.
    if (name === 'event' && hasOwn(scope, 'trigger')) {
      return '`event` is in scope only where an event is being matched (`trigger.when`, a wait\'s `match`): the event that started the journey is `trigger`, one a wait took is its `as:` name';
    }
    return inScopeHint(Object.keys(scope));
  }

  /** The type of field `name` of a value of type `objectType`; reports when it cannot exist. */
  private field(objectType: Type, object: ExprNode, name: string, at: { start: number; end: number }): Type {
    switch (objectType.kind) {
      case 'dyn':
        return T.dyn;
      case 'map':
        return objectType.value;
      case 'object': {
        const f: Field | undefined = hasOwn(objectType.fields, name) ? objectType.fields[name] : undefined;
        if (f) return f.type;
        const names = Object.keys(objectType.fields);
        const similar = didYouMean(name, names);
        const hint =
          (similar === undefined ? undefined : `did you mean \`${similar}\`?`) ??
          (names.length === 0 ? undefined : names.length <= 10 ? `its fields are ${names.map((n) => `\`${n}\``).join(', ')}` : undefined);
        this.error('unknown-field', `${quoteExpression(object)} has no field \`${name}\``, at, hint, similar);
        return T.dyn;
      }
      default: {
        const fn = FUNCTION_DEFS.get(name);
        const hint = fn && fn.style !== 'global' ? `call it: \`.${name}()\`` : undefined;
        this.error('type-mismatch', `${quoteExpression(object)} is ${fmt(objectType)}, which has no fields`, at, hint);
        return T.dyn;
      }
    }
  }

  private member(node: MemberNode): Type {
    const objectType = this.check(node.object);
    if (node.name === '') return T.dyn; // `a.` while typing: the parser already reported it
    if (objectType.kind === 'object' && hasOwn(objectType.fields, node.name) && objectType.fields[node.name]!.optional) this.optionalReads.push(node);
    return this.field(objectType, node.object, node.name, { start: node.nameStart, end: node.nameEnd });
  }

  private index(node: IndexNode): Type {
    const objectType = this.check(node.object);
    const indexType = this.check(node.index);
    const needIndex = (kind: 'number' | 'string', what: string): void => {
      if (!isDyn(indexType) && indexType.kind !== kind) this.error('type-mismatch', `${what} must be \`${kind}\`, got ${fmt(indexType)}`, node.index);
    };
    switch (objectType.kind) {
      case 'dyn':
        if (!isDyn(indexType) && indexType.kind !== 'number' && indexType.kind !== 'string') {
          this.error('type-mismatch', `an index must be \`number\` or \`string\`, got ${fmt(indexType)}`, node.index);
        }
        return T.dyn;
      case 'list':
        needIndex('number', 'a list index');
        return objectType.element;
      case 'map':
        needIndex('string', 'a map key');
        return objectType.value;
      case 'object': {
        needIndex('string', 'a map key');
        if (node.index.kind === 'string') return this.field(objectType, node.object, node.index.value, node.index);
        const fields = Object.values(objectType.fields);
        return fields.reduce<Type | undefined>((acc, f) => (acc ? unifyTypes(acc, f.type) : f.type), undefined) ?? T.dyn;
      }
      default:
        this.error('type-mismatch', `${quoteExpression(node.object)} is ${fmt(objectType)}, which cannot be indexed`, node);
        return T.dyn;
    }
  }

  private map(node: MapNode): Type {
    const seen = new Set<string>();
    const fields: Record<string, Field> = {};
    let allLiteralKeys = true;
    let value: Type | undefined;
    for (const e of node.entries) {
      const keyType = this.check(e.key);
      const valueType = this.check(e.value);
      value = value === undefined ? valueType : unifyTypes(value, valueType);
      if (e.key.kind === 'string') {
        if (seen.has(e.key.value)) this.error('duplicate-map-key', `the key \`${e.key.value}\` appears twice in this map`, e.key);
        seen.add(e.key.value);
        fields[e.key.value] = { type: valueType, optional: false };
      } else {
        allLiteralKeys = false;
        if (!isDyn(keyType) && keyType.kind !== 'string') {
          this.error('type-mismatch', `map keys must be \`string\`, got ${fmt(keyType)}`, e.key, 'runtime maps are JSON objects');
        }
      }
    }
    if (node.entries.length === 0) return T.map(T.dyn);
    // `{name: "x", n: 1}` is a record: keep the per-field types.
    if (allLiteralKeys) return { kind: 'object', fields };
    return T.map(value === undefined || value.kind === 'null' ? T.dyn : value);
  }

  private call(node: CallNode): Type {
    const method = node.receiver !== undefined;
    const args: ExprNode[] = method ? [node.receiver!, ...node.args] : [...node.args];
    const nameSpan = { start: node.nameStart, end: node.nameEnd };
    const def = FUNCTION_DEFS.get(node.name);

    if (def?.name === 'has' && !method) return this.has(node);

    const types = args.map((a) => this.check(a));
    if (!def) {
      if (node.name === '') return T.dyn;
      const similar = didYouMean(node.name, FUNCTION_DEFS.keys());
      this.error('unknown-function', `unknown function \`${node.name}\``, nameSpan, similar === undefined ? undefined : `did you mean \`${similar}\`?`, similar);
      return T.dyn;
    }
    if (method && def.style === 'global') {
      const hint = `write \`${node.name}(${[printArg(args[0]!), ...node.args.map(printArg)].join(', ')})\``;
      this.error('unknown-function', `\`${node.name}\` is not a method`, nameSpan, hint);
      return T.dyn;
    }
    if (!method && def.style === 'method') {
      const hint = args.length > 0 ? `write \`${printArg(args[0]!)}.${node.name}(${args.slice(1).map(printArg).join(', ')})\`` : undefined;
      this.error('unknown-function', `\`${node.name}\` is a method: call it on a value`, nameSpan, hint);
      return T.dyn;
    }
    if (args.length < def.minArgs || args.length > def.maxArgs) {
      const given = args.length - (method ? 1 : 0);
      this.error(
        'wrong-argument-count',
        `\`${node.name}\` takes ${arityText(def, method)}, got ${given}`,
        node,
        def.signatures.join('; '),
      );
      return T.dyn;
    }
    if (def.name === 'coalesce') return this.unifyAll(args, types, '`coalesce` arguments');

    const checker = this;
    const ctx: CallCheck = {
      name: node.name,
      args,
      types,
      method,
      report(code, message, argIndex, hint) {
        checker.error(code, message, argIndex === undefined ? node : args[argIndex] ?? node, hint);
      },
    };
    return def.check(ctx);
  }

  /** `has(a.b)`: a macro, the argument is a field selection that is not evaluated as such. */
  private has(node: CallNode): Type {
    if (node.args.length !== 1) {
      this.error('wrong-argument-count', `\`has\` takes 1 argument, got ${node.args.length}`, node, 'has(x.field)');
      node.args.forEach((a) => this.check(a));
      return T.bool;
    }
    const arg = node.args[0]!;
    if (arg.kind !== 'member') {
      this.check(arg);
      if (arg.kind !== 'error') {
        this.error('invalid-argument', '`has()` needs a field selection like `has(x.field)`', arg, arg.kind === 'index' ? 'for a map key write `"key" in m`' : undefined);
      }
      return T.bool;
    }
    const objectType = this.check(arg.object);
    let fieldType: Type = T.dyn;
    if (arg.name !== '') {
      const kind = objectType.kind;
      if (kind === 'dyn' || kind === 'map' || kind === 'object') {
        fieldType = this.field(objectType, arg.object, arg.name, { start: arg.nameStart, end: arg.nameEnd });
      } else {
        this.error('type-mismatch', `\`has()\` tests a field of a map, ${quoteExpression(arg.object)} is ${fmt(objectType)}`, arg.object);
      }
    }
    this.types.set(arg, fieldType);
    return T.bool;
  }

  /** The common type of `a ?? b`, `c ? a : b`, `coalesce(...)`; different types are a mismatch. */
  private unifyAll(nodes: readonly ExprNode[], types: readonly Type[], what: string): Type {
    let result: Type | undefined;
    types.forEach((t, i) => {
      if (result !== undefined && !comparableForEquality(result, t)) {
        this.error('type-mismatch', `${what} have different types ${fmt(result)} and ${fmt(t)}`, nodes[i]!);
        result = T.dyn;
        return;
      }
      result = result === undefined ? t : unifyTypes(result, t);
    });
    return result ?? T.dyn;
  }

  private unary(node: UnaryNode): Type {
    const t = this.check(node.operand);
    if (node.op === '!') {
      if (!isDyn(t) && t.kind !== 'bool') this.error('type-mismatch', `\`!\` needs a \`bool\`, got ${fmt(t)}`, node.operand);
      return T.bool;
    }
    if (isDyn(t) || t.kind === 'number' || t.kind === 'duration') return t;
    this.error('type-mismatch', `\`-\` needs a \`number\` or a \`duration\`, got ${fmt(t)}`, node.operand);
    return T.dyn;
  }

  private binary(node: BinaryNode): Type {
    // A bare name's hint depends on what it is compared with (unknownNameHint): type that side first.
    const rightFirst = (node.op === '==' || node.op === '!=') && node.left.kind === 'ident';
    const r0 = rightFirst ? this.check(node.right) : undefined;
    const l = this.check(node.left);
    const r = r0 ?? this.check(node.right);
    const opSpan = { start: node.opStart, end: node.opEnd };
    switch (node.op) {
      case '&&':
      case '||': {
        for (const [side, t] of [
          [node.left, l],
          [node.right, r],
        ] as const) {
          if (!isDyn(t) && t.kind !== 'bool' && side.kind !== 'error') {
            this.error('type-mismatch', `\`${node.op}\` needs \`bool\` operands, got ${fmt(t)}`, side);
          }
        }
        this.constantLogic(node);
        return T.bool;
      }
      case '??': {
        const lit = scalarLiteral(node.left);
        if (lit !== undefined) {
          this.warn(
            lit.value === null
              ? 'the left side is `null`, so this `??` always gives its right side'
              : 'the left side is a literal and never null, so the right side of this `??` is never used',
            node.left,
          );
        }
        return this.unifyAll([node.left, node.right], [l, r], 'the two sides of `??`');
      }
      case '==':
      case '!=':
        if (!comparableForEquality(l, r)) {
          this.error('type-mismatch', `cannot compare ${fmt(l)} with ${fmt(r)}`, node, comparisonHint(l, r));
        }
        this.constantComparison(node);
        return T.bool;
      case '<':
      case '<=':
      case '>':
      case '>=':
        if (l.kind === 'null' || r.kind === 'null') {
          this.error('type-mismatch', `\`${node.op}\` cannot order \`null\``, node, 'compare with `== null` or use `??` first');
        } else if (orderedCandidates(l, r).length === 0) {
          this.error('type-mismatch', `cannot compare ${fmt(l)} with ${fmt(r)}`, node, comparisonHint(l, r));
        }
        this.constantComparison(node);
        return T.bool;
      case 'in':
        this.checkIn(node, l, r);
        return T.bool;
      case '+':
      case '-':
      case '*':
      case '/':
      case '%': {
        const rules = arithmeticCandidates(node.op, l, r);
        if (rules.length === 0) {
          this.error('type-mismatch', `\`${node.op}\` cannot take ${fmt(l)} and ${fmt(r)}`, opSpan, arithmeticHint(node.op, l, r));
          return T.dyn;
        }
        const results = new Set(rules.map((x) => x.result));
        if (results.size !== 1) return T.dyn;
        const kind = rules[0]!.result;
        if (kind === 'list') return l.kind === 'list' && r.kind === 'list' ? T.list(unifyTypes(l.element, r.element)) : l.kind === 'list' ? l : r.kind === 'list' ? r : T.list(T.dyn);
        return { kind } as Type;
      }
      default:
        return assertNever(node.op);
    }
  }

  private checkIn(node: BinaryNode, l: Type, r: Type): void {
    switch (r.kind) {
      case 'dyn':
        return;
      case 'list':
        if (!comparableForEquality(l, r.element)) {
          this.error('type-mismatch', `cannot look for ${fmt(l)} in ${fmt(r)}`, node);
        }
        return;
      case 'map':
      case 'object':
        if (!isDyn(l) && l.kind !== 'string') this.error('type-mismatch', `map keys are \`string\`, got ${fmt(l)}`, node.left);
        return;
      default:
        this.error(
          'type-mismatch',
          `\`in\` needs a list or a map on its right, got ${fmt(r)}`,
          node.right,
          r.kind === 'string' ? 'for a substring write `s.contains(t)`' : undefined,
        );
    }
  }

  private conditional(node: ConditionalNode): Type {
    const test = this.check(node.test);
    if (!isDyn(test) && test.kind !== 'bool' && node.test.kind !== 'error') {
      this.error('type-mismatch', `the condition of \`?:\` must be \`bool\`, got ${fmt(test)}`, node.test, NON_BOOL_HINTS[test.kind]);
    }
    if (node.test.kind === 'bool') {
      this.warn(`the condition is always \`${node.test.value}\`, so this \`?:\` always gives its ${node.test.value ? 'first' : 'second'} branch`, node.test);
    }
    const a = this.check(node.consequent);
    const b = this.check(node.alternate);
    return this.unifyAll([node.consequent, node.alternate], [a, b], 'the branches of `?:`');
  }

  /** `false || x`, `x && true`...: a literal side makes the operator pointless or constant. */
  private constantLogic(node: BinaryNode): void {
    const absorbing = node.op === '||'; // `true || x` is true, `false && x` is false
    for (const [side, name, other] of [
      [node.left, 'left', 'right'],
      [node.right, 'right', 'left'],
    ] as const) {
      if (side.kind !== 'bool') continue;
      if (side.value === absorbing) {
        this.warn(`the ${name} side \`${side.value}\` makes this \`${node.op}\` always \`${side.value}\``, side);
      } else {
        this.warn(`the ${name} side \`${side.value}\` makes this \`${node.op}\` always equal to its ${other} side`, side);
      }
    }
  }

  /** `1 == 1`, `"a" < "b"`: both sides literals, so the answer is known. */
  private constantComparison(node: BinaryNode): void {
    const a = scalarLiteral(node.left);
    const b = scalarLiteral(node.right);
    if (!a || !b) return;
    const x = a.value;
    const y = b.value;
    let result: boolean | undefined;
    if (node.op === '==') result = x === y;
    else if (node.op === '!=') result = x !== y;
    else if (x !== null && y !== null && typeof x === typeof y) {
      result = node.op === '<' ? x < y : node.op === '<=' ? x <= y : node.op === '>' ? x > y : x >= y;
    }
    if (result !== undefined) this.warn(`this compares two constants, it is always \`${result}\``, node);
  }
}

function printArg(node: ExprNode): string {
  return quoteExpression(node).slice(1, -1);
}

function conversionHint(from: Type, to: Type): string | undefined {
  if (to.kind === 'string' && ['number', 'bool', 'timestamp', 'duration'].includes(from.kind)) return 'convert it with `string(...)`';
  if (to.kind === 'number' && from.kind === 'string') return 'convert it with `number(...)`';
  if (to.kind === 'timestamp' && from.kind === 'string') return 'wrap it in `timestamp(...)`';
  if (to.kind === 'duration' && from.kind === 'string') return 'wrap it in `duration(...)`, or write a literal such as `30m`';
  return undefined;
}

function comparisonHint(l: Type, r: Type): string | undefined {
  const kinds = new Set([l.kind, r.kind]);
  if (kinds.has('timestamp') && kinds.has('string')) return 'wrap the string in `timestamp(...)`';
  if (kinds.has('duration') && kinds.has('number')) return 'write a duration such as `0s` or `30m`';
  if (kinds.has('duration') && kinds.has('string')) return 'wrap the string in `duration(...)`';
  if (kinds.has('number') && kinds.has('string')) return 'convert with `number(...)` or `string(...)`';
  return undefined;
}

function arithmeticHint(op: string, l: Type, r: Type): string | undefined {
  const kinds = new Set([l.kind, r.kind]);
  if (op === '+' && kinds.has('string')) return 'convert the other side with `string(...)`';
  if (kinds.has('timestamp') && kinds.has('number')) return 'add or subtract a duration, e.g. `7d`';
  if (kinds.has('duration') && kinds.has('number') && (op === '+' || op === '-')) return 'write the number as a duration, e.g. `30m`';
  return undefined;
}
