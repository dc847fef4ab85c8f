/**
 * Where a template uses a name of its scope (a journey variable): the tags whose first name
 * Mustache looks up in the template's own scope, not in the value a section pushed. Inside
 * `{{#items}}`, `{{name}}` is the item's `name` when the items have one, and the journey's
 * `name` only when they have not (context-stack.ts, Mustache's lookup rules); so renaming the
 * journey's variable must rewrite the one and leave the other. A section over a value whose type
 * is not known (`dyn`), or over a map, may have the name or not: such a use is not `certain`.
 */
import { T, type Type } from '../types/type.js';
import { enterSection, isObjectLike, memberOf, resolvePath, rootContext, splitPath, type ContextStack } from './context-stack.js';
import { parseTemplate, type TemplateNode } from './parse-template.js';

export interface ScopeNameUse {
  /** Offsets of the name in the text (a section's closing tag is a use of its own). */
  readonly start: number;
  readonly end: number;
  /** False inside a section over a value of unknown type, which may hold the name itself. */
  readonly certain: boolean;
}

export function scopeNameUses(text: string, scope: Readonly<Record<string, Type>>, name: string): ScopeNameUse[] {
  const parsed = parseTemplate(text);
  const closing = new Map(parsed.scan.tags.filter((t) => t.sigil === '/').map((t) => [t.tagStart, t]));
  const uses: ScopeNameUse[] = [];
  const walk = (nodes: readonly TemplateNode[], stack: ContextStack): void => {
    for (const node of nodes) {
      const { tag } = node;
      const lookedUp = tag.kind === 'name' || tag.kind === 'unescaped' || tag.kind === 'section' || tag.kind === 'inverted';
      if (lookedUp && node.checkable && tag.path !== '.' && splitPath(tag.path)[0] === name) {
        const where = frameOf(stack, tag.path);
        if (where !== 'section') {
          const certain = where === 'scope';
          uses.push({ start: tag.start, end: tag.start + name.length, certain });
          const close = node.closeStart === undefined ? undefined : closing.get(node.closeStart);
          if (close !== undefined) uses.push({ start: close.valueStart, end: close.valueStart + name.length, certain });
        }
      }
      if (tag.kind === 'section' || tag.kind === 'inverted') {
        const resolved = node.checkable ? resolvePath(stack, tag.path) : undefined;
        const type = resolved?.ok ? resolved.type : T.dyn;
        walk(node.children, tag.kind === 'section' ? enterSection(stack, type) : stack);
      }
    }
  };
  walk(parsed.nodes, rootContext(scope));
  return uses;
}

/** Which value Mustache finds the path in: a section's (`section`), the scope's, or either (`maybe`: a section's value of unknown type is in between). */
function frameOf(stack: ContextStack, path: string): 'scope' | 'section' | 'maybe' {
  const segments = splitPath(path);
  let maybe = false;
  for (let i = stack.length - 1; i >= 1; i--) {
    const frame = stack[i]!;
    if (segments.length === 1 && !isObjectLike(frame)) continue;
    // A value of unknown type, or a map with unknown keys, may hold the name or not.
    if (frame.kind === 'dyn' || frame.kind === 'map') {
      maybe = true;
      continue;
    }
    let type: Type | undefined = frame;
    for (const segment of segments) type = type === undefined ? undefined : memberOf(type, segment);
    if (type !== undefined) return 'section';
  }
  return maybe ? 'maybe' : 'scope';
}
