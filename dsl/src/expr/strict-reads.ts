/**
 * The names an expression reads where a missing one fails at run time ("is not set"): all of
 * them except those compile-expression.ts evaluates tolerantly, where a missing name is just
 * missing — the left side of `??`, the operand of `has(x.f)`, the arguments of `coalesce`.
 */
import { childNodes, type ExprNode, type IdentNode } from './ast.js';

export function strictReads(node: ExprNode, out: IdentNode[] = [], tolerant = false): IdentNode[] {
  switch (node.kind) {
    case 'ident':
      if (!tolerant) out.push(node);
      return out;
    case 'member':
      return strictReads(node.object, out, tolerant);
    case 'index':
      strictReads(node.object, out, tolerant);
      return strictReads(node.index, out);
    case 'binary':
      if (node.op !== '??') break;
      strictReads(node.left, out, true);
      return strictReads(node.right, out, tolerant);
    case 'conditional':
      strictReads(node.test, out);
      strictReads(node.consequent, out, tolerant);
      return strictReads(node.alternate, out, tolerant);
    case 'call': {
      const arg = node.args[0];
      if (node.name === 'has' && !node.receiver && arg?.kind === 'member') return strictReads(arg.object, out, true);
      if (node.name === 'coalesce') {
        for (const a of childNodes(node)) strictReads(a, out, true);
        return out;
      }
      break;
    }
  }
  for (const child of childNodes(node)) strictReads(child, out);
  return out;
}
