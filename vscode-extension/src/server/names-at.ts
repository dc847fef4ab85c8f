/**
 * The name under the cursor in an expression or a `{{tag}}`, as the member chain up to it
 * (`trigger.items[0].sku` on `sku`: trigger, items, sku), with the place the text is written:
 * what go to definition (name-definition.ts) and a journey variable's references and rename
 * (variable-symbols.ts) start from. A map key written bare (`{name: 1}`, the string "name") and
 * a partial's name are no names.
 */
import { expr, indexInText, template as templateLib, type SourceText } from '@herald/dsl';
import { placedTextAt, placedTexts } from './ast-texts.js';
import type { DocContext } from './doc-context.js';
import { templateOwner } from './scopes.js';
import type { PathSegment } from './yaml-context.js';

/** At least the root name. */
export type NameChain = readonly [string, ...string[]];

/** Tags that name a value: `{{x}}`, `{{& x}}`, `{{{x}}}`, sections and their closing tags. */
export const NAMING_SIGILS: ReadonlySet<string> = new Set(['name', '&', '{', '#', '^', '/']);

export function nameChainAt(doc: DocContext, offset: number): { readonly chain: NameChain; readonly path: readonly PathSegment[] } | undefined {
  if (templateOwner(doc) !== undefined) {
    // An HTML body a template includes with `file:`: its offsets are the file's own.
    const chain = templateChainAt(doc.text, offset);
    return chain && { chain, path: [] };
  }
  const ast = doc.project.ast(doc.rel);
  const placed = ast && placedTextAt(placedTexts(ast), doc.rel, offset);
  const idx = placed && indexInText(placed.text, offset);
  if (!placed || idx === undefined) return undefined;
  const chain = placed.kind === 'expression' ? expressionChainAt(placed.text, idx) : templateChainAt(placed.text.text, idx);
  return chain && { chain, path: placed.path };
}

function expressionChainAt(text: SourceText, idx: number): NameChain | undefined {
  const parsed = expr.parseExpression(text.text);
  if (!parsed.ast) return undefined;
  const nodes = expr.nodesAt(parsed.ast, idx);
  const node = nodes.at(-1);
  const parent = nodes.at(-2);
  if (node?.kind === 'ident') return parent?.kind === 'map' && parent.entries.some((e) => e.bareKey && e.key === node) ? undefined : [node.name];
  if (node?.kind !== 'member' || idx < node.nameStart || idx > node.nameEnd) return undefined;
  const names = [node.name];
  let n: expr.ExprNode = node.object;
  for (;;) {
    if (n.kind === 'member') {
      names.unshift(n.name);
      n = n.object;
    } else if (n.kind === 'index') {
      n = n.object;
    } else break;
  }
  return n.kind === 'ident' ? [n.name, ...names] : undefined;
}

function templateChainAt(text: string, idx: number): NameChain | undefined {
  const tag = templateLib.scanTags(text).tags.find((t) => t.valueStart <= idx && idx <= t.valueEnd);
  if (!tag || !NAMING_SIGILS.has(tag.sigil) || tag.value === '.' || tag.value === '') return undefined;
  const rel = idx - tag.valueStart;
  const dot = tag.value.indexOf('.', rel);
  const [first, ...rest] = tag.value.slice(0, dot < 0 ? tag.value.length : dot).split('.');
  return first ? [first, ...rest] : undefined;
}
