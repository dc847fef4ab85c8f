/**
 * Bare words that were meant as something other than a name: a YAML habit for booleans
 * (`yes`, `off`), and text left unquoted where it is compared (`user.plan == pro`). The
 * checker uses them for its hints, the `{{ }}` quick fix (typecheck/check-sites.ts) to quote.
 */
import type { Type } from '../types/type.js';
import type { ExprNode, IdentNode } from './ast.js';
import { childNodes } from './ast.js';

/** YAML 1.1 booleans (and `True`/`False` from other languages); lower-case `true`/`false` are literals already. */
const BOOLEAN_WORDS: ReadonlySet<string> = new Set(['yes', 'no', 'on', 'off', 'true', 'false']);

export function isBooleanWord(name: string): boolean {
  return BOOLEAN_WORDS.has(name.toLowerCase());
}

/** A bare name that is a side of an `==` or `!=`, with the other side. */
export interface ComparedName {
  readonly name: IdentNode;
  readonly other: ExprNode;
}

/** Every bare name that is a side of an `==` or `!=` in the expression. */
export function comparedNames(ast: ExprNode): ComparedName[] {
  const out: ComparedName[] = [];
  const visit = (n: ExprNode): void => {
    if (n.kind === 'binary' && (n.op === '==' || n.op === '!=')) {
      if (n.left.kind === 'ident') out.push({ name: n.left, other: n.right });
      if (n.right.kind === 'ident') out.push({ name: n.right, other: n.left });
    }
    for (const c of childNodes(n)) visit(c);
  };
  visit(ast);
  return out;
}

/**
 * Whether a bare word compared with a value of this type reads as text without its quotes: the
 * other side is text, or not known (`dyn`, another unknown name). Next to a number or a time,
 * quoting it would only trade one error for another.
 */
export function comparesWithText(other: Type | undefined): boolean {
  return other === undefined || other.kind === 'string' || other.kind === 'dyn';
}

/** `text` with each compared bare name that `quote` accepts written as a string literal. */
export function quoteComparedNames(text: string, ast: ExprNode, quote: (c: ComparedName) => boolean): string {
  let out = text;
  for (const { name } of comparedNames(ast).filter(quote).sort((a, b) => b.name.start - a.name.start)) {
    out = `${out.slice(0, name.start)}${JSON.stringify(name.name)}${out.slice(name.end)}`;
  }
  return out;
}
