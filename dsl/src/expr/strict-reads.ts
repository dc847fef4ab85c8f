/**
 * The names an expression reads where a missing one fails at run time ("is not set"): all of
 * them except those compile-expression.ts evaluates tolerantly, where a missing name is just
 * missing — the left side of `??`, the operand of `has(x.f)`, the arguments of `coalesce`.
 */
import { childNodes, type ExprNode, type IdentNode, type MemberNode } from './ast.js';

/**
 * Every name and field read of `node`, each told whether it is read tolerantly (a missing one is
 * just missing) or strictly (a missing one fails). The one account of tolerance, for the names
 * of possibly-unset variables and the fields of optional-field reads.
 */
export function walkReads(node: ExprNode, visit: (read: IdentNode | MemberNode, tolerant: boolean) => void, tolerant = false): void {
  switch (node.kind) {
    case 'ident':
      visit(node, tolerant);
      return;
    case 'member':
      visit(node, tolerant);
      return walkReads(node.object, visit, tolerant);
    case 'index':
      walkReads(node.object, visit, tolerant);
      return walkReads(node.index, visit);
    case 'binary':
      if (node.op !== '??') break;
      walkReads(node.left, visit, true);
      return walkReads(node.right, visit, tolerant);
    case 'conditional':
      walkReads(node.test, visit);
      walkReads(node.consequent, visit, tolerant);
      return walkReads(node.alternate, visit, tolerant);
    case 'call': {
      const arg = node.args[0];
      if (node.name === 'has' && !node.receiver && arg?.kind === 'member') return walkReads(arg, visit, true);
      if (node.name === 'coalesce') {
        for (const a of childNodes(node)) walkReads(a, visit, true);
        return;
      }
      break;
    }
    default:
      break;
  }
  for (const child of childNodes(node)) walkReads(child, visit);
}

export function strictReads(node: ExprNode, out: IdentNode[] = []): IdentNode[] {
  walkReads(node, (read, tolerant) => {
    if (read.kind === 'ident' && !tolerant) out.push(read);
  });
  return out;
}
