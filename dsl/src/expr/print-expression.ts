/** AST -> text, with only the parentheses precedence needs. Used to name expression parts in messages. */
import { assertNever } from '../types/type.js';
import { BINARY_PRECEDENCE, type ExprNode } from './ast.js';

const CONDITIONAL = 0;
const UNARY = 7;
const POSTFIX = 8;

function precedence(node: ExprNode): number {
  switch (node.kind) {
    case 'conditional':
      return CONDITIONAL;
    case 'binary':
      return BINARY_PRECEDENCE[node.op];
    case 'unary':
      return UNARY;
    default:
      return POSTFIX;
  }
}

export function printExpression(node: ExprNode): string {
  return print(node, CONDITIONAL);
}

function print(node: ExprNode, min: number): string {
  const text = printBare(node);
  return precedence(node) < min ? `(${text})` : text;
}

function printBare(node: ExprNode): string {
  switch (node.kind) {
    case 'null':
      return 'null';
    case 'bool':
      return String(node.value);
    case 'number':
    case 'duration':
      return node.raw;
    case 'string':
      return JSON.stringify(node.value);
    case 'ident':
      return node.name;
    case 'error':
      return '…';
    case 'member':
      return `${print(node.object, POSTFIX)}.${node.name}`;
    case 'index':
      return `${print(node.object, POSTFIX)}[${print(node.index, CONDITIONAL)}]`;
    case 'call': {
      const args = node.args.map((a) => print(a, CONDITIONAL)).join(', ');
      return node.receiver ? `${print(node.receiver, POSTFIX)}.${node.name}(${args})` : `${node.name}(${args})`;
    }
    case 'list':
      return `[${node.elements.map((e) => print(e, CONDITIONAL)).join(', ')}]`;
    case 'map':
      return `{${node.entries
        .map((e) => `${e.bareKey && e.key.kind === 'string' ? e.key.value : print(e.key, CONDITIONAL)}: ${print(e.value, CONDITIONAL)}`)
        .join(', ')}}`;
    case 'unary':
      return `${node.op}${print(node.operand, UNARY)}`;
    case 'binary': {
      const p = BINARY_PRECEDENCE[node.op];
      // `??` nests to the right, every other binary operator to the left.
      const [l, r] = node.op === '??' ? [p + 1, p] : [p, p + 1];
      return `${print(node.left, l)} ${node.op} ${print(node.right, r)}`;
    }
    case 'conditional':
      return `${print(node.test, CONDITIONAL + 1)} ? ${print(node.consequent, CONDITIONAL + 1)} : ${print(node.alternate, CONDITIONAL)}`;
    default:
      return assertNever(node);
  }
}

/** For messages: the expression, shortened when long. */
export function quoteExpression(node: ExprNode, max = 60): string {
  const text = printExpression(node);
  return `\`${text.length > max ? `${text.slice(0, max - 1)}…` : text}\``;
}
