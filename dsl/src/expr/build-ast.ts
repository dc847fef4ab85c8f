/**
 * Gives the concrete syntax tree its meaning: operator nodes nested by precedence, literals
 * decoded (string escapes, numbers, durations), offsets kept. The CST may be partial after
 * error recovery: a missing part becomes an `error` node, placed where the gap is.
 */
import type { CstChildrenDictionary, CstElement, CstNode, IToken } from 'chevrotain';
import type { BinaryOp, CallNode, ExprNode, MapEntry, StringNode, UnaryOp } from './ast.js';
import { parseDuration } from './duration.js';
import { exprParser } from './parser.js';
import { exprError, type ExprProblem } from './problem.js';
import {
  DurationLiteral,
  False,
  MalformedNumber,
  Null,
  NumberLiteral,
  QuotedString,
  RawString,
  TripleQuotedString,
  True,
  UnterminatedString,
  UnterminatedTripleQuotedString,
} from './tokens.js';

export interface BuildState {
  readonly problems: ExprProblem[];
  /** End offset of the last token visited: where a missing part is reported. */
  cursor: number;
}

function isToken(e: CstElement): e is IToken {
  return 'tokenType' in e;
}

function tokens(ctx: CstChildrenDictionary, key: string): IToken[] {
  return (ctx[key] ?? []).filter(isToken);
}

function nodes(ctx: CstChildrenDictionary, key: string): CstNode[] {
  return (ctx[key] ?? []).filter((e): e is CstNode => !isToken(e));
}

/** Tokens inserted by recovery have no offsets. */
function isReal(t: IToken | undefined): t is IToken {
  return t !== undefined && !Number.isNaN(t.startOffset);
}

/** The lexer tracks only start offsets (cheaper); a token's end is where its image ends. */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

function errorNode(at: number): ExprNode {
  return { kind: 'error', start: at, end: at };
}

const BaseVisitor = exprParser.getBaseCstVisitorConstructor<BuildState, unknown>();

class AstBuilder extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  private expr(node: CstNode | undefined, state: BuildState): ExprNode {
    if (!node) return errorNode(state.cursor);
    const result = this.visit(node, state) as ExprNode;
    return result;
  }

  /** Advance the cursor past a token that was really in the text. */
  private see(t: IToken | undefined, state: BuildState): void {
    if (isReal(t)) state.cursor = Math.max(state.cursor, tokenEnd(t));
  }

  expression(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    const test = this.expr(nodes(ctx, 'test')[0], state);
    const question = tokens(ctx, 'Question')[0];
    if (!question) return test;
    this.see(question, state);
    const consequent = this.expr(nodes(ctx, 'consequent')[0], state);
    this.see(tokens(ctx, 'Colon')[0], state);
    const alternate = this.expr(nodes(ctx, 'alternate')[0], state);
    return { kind: 'conditional', test, consequent, alternate, start: test.start, end: Math.max(alternate.end, state.cursor) };
  }

  coalesce(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    // Right-nested: in `a.b ?? c.d ?? 'x'` both `a.b` and `c.d` are tolerant left sides.
    const operands = nodes(ctx, 'operand');
    const operators = tokens(ctx, 'operator');
    const parts: ExprNode[] = [this.expr(operands[0], state)];
    const ops: IToken[] = [];
    for (let i = 0; i < operators.length; i++) {
      ops.push(operators[i]!);
      this.see(operators[i], state);
      parts.push(this.expr(operands[i + 1], state));
    }
    let result = parts[parts.length - 1]!;
    for (let i = ops.length - 1; i >= 0; i--) {
      const left = parts[i]!;
      const op = ops[i]!;
      result = binary('??', left, result, op);
    }
    return result;
  }

  private foldLeft(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    const operands = nodes(ctx, 'operand');
    const operators = tokens(ctx, 'operator');
    let left = this.expr(operands[0], state);
    for (let i = 0; i < operators.length; i++) {
      const op = operators[i]!;
      this.see(op, state);
      const right = this.expr(operands[i + 1], state);
      left = binary(op.image as BinaryOp, left, right, op);
    }
    return left;
  }

  conditionalOr(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    return this.foldLeft(ctx, state);
  }

  conditionalAnd(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    return this.foldLeft(ctx, state);
  }

  relation(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    return this.foldLeft(ctx, state);
  }

  addition(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    return this.foldLeft(ctx, state);
  }

  multiplication(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    return this.foldLeft(ctx, state);
  }

  unary(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    const operators = tokens(ctx, 'operator');
    for (const op of operators) this.see(op, state);
    let node = this.expr(nodes(ctx, 'operand')[0], state);
    for (let i = operators.length - 1; i >= 0; i--) {
      const op = operators[i]!;
      node = { kind: 'unary', op: op.image as UnaryOp, operand: node, start: op.startOffset, end: node.end };
    }
    return node;
  }

  member(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    let node = this.expr(nodes(ctx, 'primary')[0], state);
    for (const postfix of nodes(ctx, 'postfix')) {
      node = this.applyPostfix(node, postfix.children, state);
    }
    return node;
  }

  private applyPostfix(object: ExprNode, ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    const dot = tokens(ctx, 'Dot')[0];
    if (dot) {
      this.see(dot, state);
      const nameToken = tokens(ctx, 'name')[0];
      const real = isReal(nameToken) ? nameToken : undefined;
      this.see(real, state);
      // `a.` (no name yet) keeps a member node with an empty name, for completion.
      const name = real?.image ?? '';
      const nameStart = real ? real.startOffset : tokenEnd(dot);
      const nameEnd = real ? tokenEnd(real) : nameStart;
      const argsNode = nodes(ctx, 'callArgs')[0];
      if (argsNode) {
        const { args, end } = this.callArgs(argsNode.children, state);
        return { kind: 'call', name, nameStart, nameEnd, receiver: object, args, start: object.start, end: Math.max(end, nameEnd) };
      }
      return { kind: 'member', object, name, nameStart, nameEnd, start: object.start, end: nameEnd };
    }
    this.see(tokens(ctx, 'LBracket')[0], state);
    const index = this.expr(nodes(ctx, 'index')[0], state);
    const close = tokens(ctx, 'RBracket')[0];
    this.see(close, state);
    const end = isReal(close) ? tokenEnd(close) : index.end;
    return { kind: 'index', object, index, start: object.start, end };
  }

  postfix(): never {
    throw new Error('postfix is handled by member');
  }

  callArgs(ctx: CstChildrenDictionary, state: BuildState): { args: ExprNode[]; end: number } {
    this.see(tokens(ctx, 'LParen')[0], state);
    const args: ExprNode[] = [];
    for (const arg of nodes(ctx, 'arg')) args.push(this.expr(arg, state));
    const close = tokens(ctx, 'RParen')[0];
    this.see(close, state);
    return { args, end: isReal(close) ? tokenEnd(close) : state.cursor };
  }

  primary(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    const ident = tokens(ctx, 'Identifier')[0];
    if (ident) {
      this.see(ident, state);
      const argsNode = nodes(ctx, 'callArgs')[0];
      const start = ident.startOffset;
      const nameEnd = tokenEnd(ident);
      if (argsNode) {
        const { args, end } = this.callArgs(argsNode.children, state);
        const call: CallNode = { kind: 'call', name: ident.image, nameStart: start, nameEnd, receiver: undefined, args, start, end };
        return call;
      }
      return { kind: 'ident', name: ident.image, start, end: nameEnd };
    }
    const open = tokens(ctx, 'LParen')[0];
    if (open) {
      // Parentheses only group; the node's span grows to cover them, so `(a + b) * c` starts at `(`.
      this.see(open, state);
      const inner = this.expr(nodes(ctx, 'inner')[0], state);
      const close = tokens(ctx, 'RParen')[0];
      this.see(close, state);
      return { ...inner, start: open.startOffset, end: isReal(close) ? tokenEnd(close) : inner.end };
    }
    const list = nodes(ctx, 'listLiteral')[0];
    if (list) return this.visit(list, state) as ExprNode;
    const map = nodes(ctx, 'mapLiteral')[0];
    if (map) return this.visit(map, state) as ExprNode;
    const literal = tokens(ctx, 'literal')[0];
    if (literal && isReal(literal)) {
      this.see(literal, state);
      return literalNode(literal, state);
    }
    return errorNode(state.cursor);
  }

  listLiteral(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    const open = tokens(ctx, 'LBracket')[0]!;
    this.see(open, state);
    const elements = nodes(ctx, 'element').map((e) => this.expr(e, state));
    for (const c of tokens(ctx, 'Comma')) this.see(c, state);
    const close = tokens(ctx, 'RBracket')[0];
    this.see(close, state);
    return { kind: 'list', elements, start: open.startOffset, end: isReal(close) ? tokenEnd(close) : state.cursor };
  }

  mapLiteral(ctx: CstChildrenDictionary, state: BuildState): ExprNode {
    const open = tokens(ctx, 'LBrace')[0]!;
    this.see(open, state);
    const entries = nodes(ctx, 'entry').map((e) => this.visit(e, state) as MapEntry);
    for (const c of tokens(ctx, 'Comma')) this.see(c, state);
    const close = tokens(ctx, 'RBrace')[0];
    this.see(close, state);
    return { kind: 'map', entries, start: open.startOffset, end: isReal(close) ? tokenEnd(close) : state.cursor };
  }

  mapEntry(ctx: CstChildrenDictionary, state: BuildState): MapEntry {
    const bare = tokens(ctx, 'bareKey')[0];
    let key: ExprNode;
    if (bare) {
      this.see(bare, state);
      const k: StringNode = { kind: 'string', value: bare.image, start: bare.startOffset, end: tokenEnd(bare) };
      key = k;
    } else {
      key = this.expr(nodes(ctx, 'key')[0], state);
    }
    for (const c of tokens(ctx, 'Colon')) this.see(c, state);
    const value = this.expr(nodes(ctx, 'value')[0], state);
    return { key, bareKey: bare !== undefined, value, start: key.start, end: Math.max(value.end, key.end) };
  }
}

function binary(op: BinaryOp, left: ExprNode, right: ExprNode, opToken: IToken): ExprNode {
  const opStart = opToken.startOffset;
  const opEnd = tokenEnd(opToken);
  return { kind: 'binary', op, left, right, opStart, opEnd, start: left.start, end: Math.max(right.end, opEnd) };
}

function literalNode(t: IToken, state: BuildState): ExprNode {
  const start = t.startOffset;
  const end = tokenEnd(t);
  switch (t.tokenType) {
    case True:
      return { kind: 'bool', value: true, start, end };
    case False:
      return { kind: 'bool', value: false, start, end };
    case Null:
      return { kind: 'null', start, end };
    case NumberLiteral: {
      const raw = t.image;
      const value = /^0[xX]/.test(raw) ? parseInt(raw.slice(2), 16) : Number(raw);
      if (!Number.isFinite(value)) {
        state.problems.push(exprError('expr-syntax', `the number \`${raw}\` is out of range`, start, end));
        return { kind: 'error', start, end };
      }
      return { kind: 'number', value, raw, start, end };
    }
    case DurationLiteral: {
      const ms = parseDuration(t.image);
      if (ms === undefined) {
        state.problems.push(exprError('invalid-duration', `\`${t.image}\` is not a valid duration`, start, end));
        return { kind: 'error', start, end };
      }
      return { kind: 'duration', ms, raw: t.image, start, end };
    }
    case MalformedNumber:
      // Reported while scanning tokens (parse-expression.ts), even in parts recovery skipped.
      return { kind: 'error', start, end };
    default:
      return { kind: 'string', value: decodeString(t, state), start, end };
  }
}

/** The value of a string token; invalid escapes are reported at their exact offsets. */
function decodeString(t: IToken, state: BuildState): string {
  const image = t.image;
  const raw = image[0] === 'r' || image[0] === 'R';
  const p = raw ? 1 : 0;
  let open: number;
  let close: number;
  switch (t.tokenType) {
    case TripleQuotedString:
      open = p + 3;
      close = 3;
      break;
    case UnterminatedTripleQuotedString:
      open = p + 3;
      close = 0;
      break;
    case QuotedString:
    case RawString:
      open = p + 1;
      close = 1;
      break;
    case UnterminatedString:
      open = p + 1;
      close = 0;
      break;
    default:
      throw new Error(`not a string token: ${t.tokenType.name}`);
  }
  const body = image.slice(open, image.length - close);
  return raw ? body : unescapeCel(body, t.startOffset + open, state.problems);
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
};

/** CEL's escapes: `\n \t \\ \" \' \u1234 \U0001F600 \x41 \101` and the C ones. */
export function unescapeCel(body: string, base: number, problems: ExprProblem[]): string {
  if (!body.includes('\\')) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const n = body[i + 1];
    if (n === undefined) break; // a lone backslash ending an unterminated string: already reported
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    let digits = 0;
    let radix = 16;
    let skip = 2;
    if (n === 'x' || n === 'X') digits = 2;
    else if (n === 'u') digits = 4;
    else if (n === 'U') digits = 8;
    else if (n >= '0' && n <= '3') {
      digits = 3;
      radix = 8;
      skip = 1;
    }
    const escStart = base + i;
    if (digits === 0) {
      problems.push(exprError('expr-syntax', `invalid escape \`\\${n}\` in string`, escStart, escStart + 2, 'escapes are \\n \\t \\\\ \\" \\\' \\uXXXX (and CEL\'s others); write `\\\\` for a backslash'));
      out += n;
      i += 2;
      continue;
    }
    const hex = body.slice(i + skip, i + skip + digits);
    const valid = hex.length === digits && (radix === 16 ? /^[0-9a-fA-F]+$/ : /^[0-7]+$/).test(hex);
    const code = valid ? parseInt(hex, radix) : NaN;
    const len = skip + (valid ? digits : Math.min(hex.length, digits));
    if (!valid || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      problems.push(exprError('expr-syntax', `invalid escape \`${body.slice(i, i + len)}\` in string`, escStart, escStart + len));
    } else {
      out += String.fromCodePoint(code);
    }
    i += len;
  }
  return out;
}

const builder = new AstBuilder();

export function buildAst(cst: CstNode, state: BuildState): ExprNode {
  return builder.visit(cst, state) as ExprNode;
}
