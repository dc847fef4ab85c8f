import { describe, expect, it } from 'vitest';
import type { ExprNode } from './ast.js';
import { nodesAt } from './ast.js';
import { parseExpression } from './parse-expression.js';
import { printExpression } from './print-expression.js';

/** Fully parenthesized, to make the tree's shape visible. */
function shape(node: ExprNode | undefined): string {
  if (!node) return '<none>';
  switch (node.kind) {
    case 'binary':
      return `(${shape(node.left)} ${node.op} ${shape(node.right)})`;
    case 'unary':
      return `(${node.op}${shape(node.operand)})`;
    case 'conditional':
      return `(${shape(node.test)} ? ${shape(node.consequent)} : ${shape(node.alternate)})`;
    case 'member':
      return `${shape(node.object)}.${node.name}`;
    case 'index':
      return `${shape(node.object)}[${shape(node.index)}]`;
    case 'call':
      return `${node.receiver ? `${shape(node.receiver)}.` : ''}${node.name}(${node.args.map(shape).join(', ')})`;
    case 'list':
      return `[${node.elements.map(shape).join(', ')}]`;
    case 'map':
      return `{${node.entries.map((e) => `${shape(e.key)}: ${shape(e.value)}`).join(', ')}}`;
    case 'error':
      return '<error>';
    default:
      return printExpression(node);
  }
}

function parseOk(text: string): ExprNode {
  const r = parseExpression(text);
  expect(r.problems).toEqual([]);
  return r.ast!;
}

function problemsOf(text: string) {
  return parseExpression(text).problems.map((p) => ({ code: p.code, start: p.start, end: p.end, message: p.message }));
}

describe('precedence and associativity (CEL, with `??` between `?:` and `||`)', () => {
  it.each([
    ['1 + 2 * 3 == 7', '((1 + (2 * 3)) == 7)'],
    ['a || b && c', '(a || (b && c))'],
    ['a && b || c', '((a && b) || c)'],
    ['a == b && c != d', '((a == b) && (c != d))'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['8 / 4 / 2', '((8 / 4) / 2)'],
    ['a % b * c', '((a % b) * c)'],
    ['a < b + 1', '(a < (b + 1))'],
    ['x in [1, 2] && y', '((x in [1, 2]) && y)'],
    ['x ?? y ? a : b', '((x ?? y) ? a : b)'],
    ['a || b ?? c', '((a || b) ?? c)'],
    ['a ?? b || c', '(a ?? (b || c))'],
    ['a ?? b ?? c', '(a ?? (b ?? c))'],
    ['c ? x ?? y : z', '(c ? (x ?? y) : z)'],
    ['a ? b : c ? d : e', '(a ? b : (c ? d : e))'],
    ['-a.b', '(-a.b)'],
    ['!a && b', '((!a) && b)'],
    ['!!a', '(!(!a))'],
    ['- -1', '(-(-1))'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['a.b.c[0].d', 'a.b.c[0].d'],
    ['m["k"].size() > 0', '(m["k"].size() > 0)'],
    ['size(x) + 1', '(size(x) + 1)'],
  ])('%s', (text, expected) => {
    expect(shape(parseOk(text))).toBe(expected);
  });
});

describe('literals', () => {
  it('numbers: integers, decimals, exponents, hex', () => {
    for (const [text, value] of [
      ['1', 1],
      ['2.5', 2.5],
      ['1e3', 1000],
      ['1.5E-2', 0.015],
      ['0x1F', 31],
    ] as const) {
      const n = parseOk(text);
      expect(n).toMatchObject({ kind: 'number', value, raw: text, start: 0, end: text.length });
    }
  });

  it('durations, single and compound', () => {
    for (const [text, ms] of [
      ['30s', 30_000],
      ['10m', 600_000],
      ['2h', 7_200_000],
      ['7d', 604_800_000],
      ['1w', 604_800_000],
      ['500ms', 500],
      ['1h30m', 5_400_000],
      ['1.5h', 5_400_000],
    ] as const) {
      expect(parseOk(text)).toMatchObject({ kind: 'duration', ms, raw: text });
    }
  });

  it('strings with CEL escapes, in both quotes', () => {
    expect(parseOk(String.raw`"a\n\t\\\"\'\u00e9\x41\101\U0001F600"`)).toMatchObject({ kind: 'string', value: 'a\n\t\\"\'éAA😀' });
    expect(parseOk(`'it\\'s'`)).toMatchObject({ kind: 'string', value: "it's" });
    expect(parseOk(`"it's"`)).toMatchObject({ kind: 'string', value: "it's" });
  });

  it('raw and triple-quoted strings', () => {
    expect(parseOk(String.raw`r"\d+\."`)).toMatchObject({ kind: 'string', value: String.raw`\d+\.` });
    expect(parseOk('"""a\n"b"\n"""')).toMatchObject({ kind: 'string', value: 'a\n"b"\n' });
  });

  it('true, false, null, lists, maps (with bare keys and trailing commas)', () => {
    expect(shape(parseOk('[true, false, null,]'))).toBe('[true, false, null]');
    const map = parseOk('{name: "x", "a-b": 1, (k): 2,}');
    expect(map.kind).toBe('map');
    if (map.kind !== 'map') return;
    expect(map.entries.map((e) => [e.bareKey, shape(e.key)])).toEqual([
      [true, '"name"'],
      [false, '"a-b"'],
      [false, 'k'],
    ]);
    expect(shape(parseOk('{}'))).toBe('{}');
    expect(shape(parseOk('[]'))).toBe('[]');
  });

  it('keywords may follow a dot (JSON fields named `in`, `null`...)', () => {
    expect(shape(parseOk('a.in.null'))).toBe('a.in.null');
  });

  it('skips `//` comments and newlines', () => {
    expect(shape(parseOk('a && // first\n b'))).toBe('(a && b)');
  });
});

describe('offsets', () => {
  it('every node spans its exact text; parentheses widen the span', () => {
    const text = 'customer.address.zip == (a + "x")';
    const ast = parseOk(text);
    if (ast.kind !== 'binary') throw new Error('binary expected');
    expect(text.slice(ast.left.start, ast.left.end)).toBe('customer.address.zip');
    expect(text.slice(ast.right.start, ast.right.end)).toBe('(a + "x")');
    expect(text.slice(ast.opStart, ast.opEnd)).toBe('==');
    if (ast.left.kind !== 'member') throw new Error('member expected');
    expect(text.slice(ast.left.nameStart, ast.left.nameEnd)).toBe('zip');
  });

  it('call names and receivers', () => {
    const text = 'subject.email.endsWith(".gov")';
    const ast = parseOk(text);
    expect(ast).toMatchObject({ kind: 'call', name: 'endsWith', nameStart: 14, nameEnd: 22, start: 0, end: text.length });
  });

  it('nodesAt gives the path from the root to the innermost node', () => {
    const ast = parseOk('a.b + c');
    expect(nodesAt(ast, 2).map((n) => n.kind)).toEqual(['binary', 'member']);
    expect(nodesAt(ast, 0).map((n) => n.kind)).toEqual(['binary', 'member', 'ident']);
  });
});

describe('syntax errors', () => {
  it('names the unclosed bracket and where it opened', () => {
    expect(problemsOf('size(a + 2')).toEqual([
      { code: 'expr-syntax', start: 10, end: 10, message: 'expected `)` to close `(` at column 5, found the end of the expression' },
    ]);
    expect(problemsOf('[1, 2')[0]).toMatchObject({ start: 5, end: 5, message: expect.stringContaining('to close `[` at column 1') });
  });

  it('reports an unexpected token with its offsets', () => {
    expect(problemsOf('1 + * 2')).toEqual([{ code: 'expr-syntax', start: 4, end: 5, message: 'expected an expression, found `*`' }]);
    expect(problemsOf('a b')).toEqual([
      { code: 'expr-syntax', start: 2, end: 3, message: 'unexpected `b`: expected an operator or the end of the expression' },
    ]);
    expect(problemsOf('a)')[0]).toMatchObject({ start: 1, end: 2, message: '`)` has no matching `(`' });
  });

  it('recovers and reports several errors in one expression', () => {
    const r = parseExpression('(1 + ) && foo(,)');
    expect(r.problems.map((p) => [p.start, p.end])).toEqual([
      [5, 6],
      [14, 15],
    ]);
    expect(r.ast?.kind).toBe('binary');
    const r2 = parseExpression('1 +* 2 + # 3 +');
    expect(r2.problems.length).toBeGreaterThanOrEqual(3);
  });

  it('unterminated strings, exactly', () => {
    expect(parseExpression('a == "abc').problems).toEqual([
      { code: 'expr-syntax', severity: 'error', message: 'unterminated string', start: 5, end: 9, hint: 'close it with "' },
    ]);
    expect(problemsOf("x + 'ab\n + 1")[0]).toMatchObject({ message: 'unterminated string', start: 4, end: 7 });
    expect(problemsOf('"""abc')[0]).toMatchObject({ message: 'unterminated string', start: 0, end: 6 });
  });

  it('unexpected characters, exactly, with hints for = & |', () => {
    const r = parseExpression('a = 1 # b');
    expect(r.problems.map((p) => [p.start, p.end, p.message, p.hint])).toEqual([
      [2, 3, 'unexpected character `=`', 'compare with `==`'],
      [6, 7, 'unexpected character `#`', 'comments start with `//`'],
    ]);
  });

  it('invalid escapes point at the escape', () => {
    expect(problemsOf(String.raw`"ab\qc"`)).toEqual([{ code: 'expr-syntax', start: 3, end: 5, message: 'invalid escape `\\q` in string' }]);
    expect(problemsOf(String.raw`"\uD800"`)[0]).toMatchObject({ start: 1, end: 7 });
  });

  it('numbers glued to letters: invalid-duration or unsupported unsigned', () => {
    expect(problemsOf('x > 30x')).toEqual([{ code: 'invalid-duration', start: 4, end: 7, message: '`30x` is not a number or a duration' }]);
    expect(problemsOf('5min')[0]).toMatchObject({ code: 'invalid-duration', start: 0, end: 4 });
    expect(problemsOf('1h30')[0]).toMatchObject({ code: 'invalid-duration', start: 0, end: 4 });
    expect(problemsOf('1u')[0]).toMatchObject({ code: 'expr-syntax', start: 0, end: 2 });
  });

  it('empty text', () => {
    const r = parseExpression('  ');
    expect(r.ast).toBeUndefined();
    expect(r.problems).toMatchObject([{ code: 'expr-syntax', start: 0, end: 2 }]);
  });

  it('a trailing dot keeps a member node with an empty name (for completion)', () => {
    const r = parseExpression('customer.');
    expect(r.ast).toMatchObject({ kind: 'member', name: '', nameStart: 9, nameEnd: 9 });
    expect(r.problems).toMatchObject([{ code: 'expr-syntax', start: 9, end: 9 }]);
  });

  it('numbers out of range', () => {
    expect(problemsOf('1e999')[0]).toMatchObject({ code: 'expr-syntax', start: 0, end: 5 });
  });
});

describe('printExpression', () => {
  it.each(['a + b * c', '(a + b) * c', 'a ?? b ?? c', '(a ?? b) ?? c', 'a ? b : c ? d : e', '-(a + b)', '!a.b', '{k: [1, "x"]}', 'x.size() > 0 && m["k"] in [1h30m]'])(
    'round-trips %s',
    (text) => {
      expect(printExpression(parseOk(text))).toBe(text);
    },
  );
});
