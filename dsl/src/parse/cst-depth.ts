/**
 * How deeply a YAML concrete syntax tree nests, measured without recursion.
 *
 * The yaml library composes documents recursively and turns a stack overflow into a
 * RESOURCE_EXHAUSTION error, but an overflow that lands inside V8's regular-expression
 * compiler aborts the whole process ("RegExpCompiler Allocation failed"). So nesting is
 * measured on the parser's tokens (the parser itself keeps an explicit stack) and
 * over-deep input never reaches the composer.
 */
import { Parser, type CST } from 'yaml';

/** Offset of the first collection nested deeper than `limit`, or undefined when none is. */
export function firstCollectionDeeperThan(tokens: readonly CST.Token[], limit: number): number | undefined {
  // A stack popped in document order, so the collection reported is the first one too deep.
  const pending: Array<{ token: CST.Token; depth: number }> = tokens.map((token) => ({ token, depth: 0 })).reverse();
  while (pending.length > 0) {
    const { token, depth } = pending.pop()!;
    switch (token.type) {
      case 'document':
        if (token.value) pending.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const inner = depth + 1;
        if (inner > limit) return token.offset;
        const items = token.items as readonly CST.CollectionItem[];
        for (let i = items.length - 1; i >= 0; i--) {
          const { key, value } = items[i]!;
          if (value) pending.push({ token: value, depth: inner });
          if (key) pending.push({ token: key, depth: inner });
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

/** Whether a YAML text nests collections deeper than `limit` (for callers that compose YAML themselves). */
export function yamlNestsDeeperThan(text: string, limit: number): boolean {
  return firstCollectionDeeperThan(Array.from(new Parser().parse(text)), limit) !== undefined;
}
