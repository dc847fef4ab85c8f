/**
 * The expression AST. Every node carries `start`/`end` offsets into the expression text
 * (`end` exclusive), so the checker and the runtime can point at the exact characters.
 */
import { assertNever } from '../types/type.js';

export type ExprNode =
  | NullNode
  | BoolNode
  | NumberNode
  | StringNode
  | DurationNode
  | IdentNode
  | MemberNode
  | IndexNode
  | CallNode
  | ListNode
  | MapNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode
  | ErrorNode;

export type ExprNodeKind = ExprNode['kind'];

interface Span {
  readonly start: number;
  readonly end: number;
}

export interface NullNode extends Span {
  readonly kind: 'null';
}

export interface BoolNode extends Span {
  readonly kind: 'bool';
  readonly value: boolean;
}

export interface NumberNode extends Span {
  readonly kind: 'number';
  readonly value: number;
  /** As written, e.g. `1e3` or `0x1F`. */
  readonly raw: string;
}

export interface StringNode extends Span {
  readonly kind: 'string';
  /** The decoded value (escapes resolved). */
  readonly value: string;
}

/** `30s`, `1h30m`, `500ms`: a duration literal, in milliseconds. */
export interface DurationNode extends Span {
  readonly kind: 'duration';
  readonly ms: number;
  readonly raw: string;
}

export interface IdentNode extends Span {
  readonly kind: 'ident';
  readonly name: string;
}

/** `object.name` */
export interface MemberNode extends Span {
  readonly kind: 'member';
  readonly object: ExprNode;
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
}

/** `object[index]` */
export interface IndexNode extends Span {
  readonly kind: 'index';
  readonly object: ExprNode;
  readonly index: ExprNode;
}

/** `name(args)` or, receiver style, `receiver.name(args)`. `has(...)` is a call too. */
export interface CallNode extends Span {
  readonly kind: 'call';
  readonly name: string;
  readonly nameStart: number;
  readonly nameEnd: number;
  readonly receiver: ExprNode | undefined;
  readonly args: readonly ExprNode[];
}

export interface ListNode extends Span {
  readonly kind: 'list';
  readonly elements: readonly ExprNode[];
}

export interface MapEntry extends Span {
  readonly key: ExprNode;
  /** `{k: v}`: the key was a bare identifier, read as the string `"k"` (an extension to CEL). */
  readonly bareKey: boolean;
  readonly value: ExprNode;
}

export interface MapNode extends Span {
  readonly kind: 'map';
  readonly entries: readonly MapEntry[];
}

export type UnaryOp = '!' | '-';

export interface UnaryNode extends Span {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: ExprNode;
}

export type LogicalOp = '&&' | '||';
export type RelationOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';
export type BinaryOp = '??' | LogicalOp | RelationOp | ArithmeticOp;

export interface BinaryNode extends Span {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: ExprNode;
  readonly right: ExprNode;
  readonly opStart: number;
  readonly opEnd: number;
}

/** `test ? consequent : alternate` */
export interface ConditionalNode extends Span {
  readonly kind: 'conditional';
  readonly test: ExprNode;
  readonly consequent: ExprNode;
  readonly alternate: ExprNode;
}

/**
 * A part the parser could not read. Only present when `parseExpression` also reported an
 * `expr-syntax` problem; kept so the editor can still type-check and complete the rest.
 */
export interface ErrorNode extends Span {
  readonly kind: 'error';
}

/** Binding strength of each binary operator, higher binds tighter (CEL's order, `??` added above `?:`). */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  '??': 1,
  '||': 2,
  '&&': 3,
  '==': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  in: 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

/** The direct children of a node, in source order. */
export function childNodes(node: ExprNode): readonly ExprNode[] {
  switch (node.kind) {
    case 'null':
    case 'bool':
    case 'number':
    case 'string':
    case 'duration':
    case 'ident':
    case 'error':
      return [];
    case 'member':
      return [node.object];
    case 'index':
      return [node.object, node.index];
    case 'call':
      return node.receiver ? [node.receiver, ...node.args] : node.args;
    case 'list':
      return node.elements;
    case 'map':
      return node.entries.flatMap((e) => [e.key, e.value]);
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'conditional':
      return [node.test, node.consequent, node.alternate];
    default:
      return assertNever(node);
  }
}

/**
 * The nodes that contain `offset`, outermost first (for hover and completion).
 * A node contains the offset when `start <= offset <= end`, so the end of `custom|` still counts.
 */
export function nodesAt(root: ExprNode, offset: number): ExprNode[] {
  const path: ExprNode[] = [];
  let node: ExprNode | undefined = root;
  while (node && node.start <= offset && offset <= node.end) {
    path.push(node);
    node = childNodes(node).find((c) => c.start <= offset && offset <= c.end);
  }
  return path;
}

export type ScalarLiteral = null | boolean | number | string;

/** The value of a scalar literal node (durations as ms), or undefined when the node is not one. */
export function scalarLiteral(node: ExprNode): { value: ScalarLiteral } | undefined {
  switch (node.kind) {
    case 'null':
      return { value: null };
    case 'bool':
    case 'number':
    case 'string':
      return { value: node.value };
    case 'duration':
      return { value: node.ms };
    default:
      return undefined;
  }
}
