/**
 * Editor completion inside `{{ }}`: which names fit at an offset, given the sections around
 * it. Works on half-typed text (`Hi {{#items}}{{sk`), which Mustache itself would reject.
 */
import { T, type Type } from '../types/type.js';
import {
  enterSection,
  memberNames,
  memberOf,
  resolvePath,
  rootContext,
  visibleNames,
  type ContextStack,
} from './context-stack.js';
import { parseTemplate, type TemplateNode } from './parse-template.js';
import type { TagSigil, TagScan } from './scan-tags.js';

export interface TemplateCompletion {
  /**
   * The part of the name being completed that is already typed: the text after the last
   * `.` up to the offset. The editor replaces [offset - prefix.length, offset).
   */
  readonly prefix: string;
  /** Names valid for that part, innermost context first. Not filtered by `prefix`: editors filter fuzzily. */
  readonly candidates: readonly { readonly name: string; readonly type: Type }[];
}

const NOTHING: TemplateCompletion = { prefix: '', candidates: [] };

export function templateVariablesAt(text: string, offset: number, scope: Readonly<Record<string, Type>>): TemplateCompletion {
  const parsed = parseTemplate(text);
  const at = tagAt(parsed.scan, text, offset);
  if (!at) return NOTHING;
  const typed = offset > at.valueStart ? text.slice(at.valueStart, offset) : '';
  if (/\s/.test(typed) || typed.startsWith('.')) return NOTHING;

  const sections = enclosingSections(parsed.nodes, at.tagStart);
  let stack: ContextStack = rootContext(scope);
  let innermost: { name: string; type: Type } | undefined;
  for (const node of sections) {
    const r = node.checkable ? resolvePath(stack, node.tag.path) : undefined;
    const type = r?.ok ? r.type : T.dyn;
    innermost = { name: node.tag.path, type };
    if (node.tag.kind === 'section') stack = enterSection(stack, type);
  }

  switch (at.sigil) {
    case 'name':
    case '&':
    case '{':
    case '#':
    case '^':
      return completePath(stack, typed);
    case '/':
      return { prefix: typed, candidates: innermost ? [innermost] : [] };
    case '>': // partial names are the caller's to offer
    case '!':
    case '=':
      return NOTHING;
  }
}

function completePath(stack: ContextStack, typed: string): TemplateCompletion {
  const dot = typed.lastIndexOf('.');
  if (dot < 0) {
    return { prefix: typed, candidates: [...visibleNames(stack)].map(([name, type]) => ({ name, type })) };
  }
  const prefix = typed.slice(dot + 1);
  const owner = resolvePath(stack, typed.slice(0, dot));
  if (!owner.ok) return { prefix, candidates: [] };
  const candidates = memberNames(owner.type).map((name) => ({ name, type: memberOf(owner.type, name) ?? T.dyn }));
  return { prefix, candidates };
}

/** The tag whose name the offset is in (after the opening delimiter, up to the end of the name). */
function tagAt(
  scan: TagScan,
  text: string,
  offset: number,
): { sigil: TagSigil; tagStart: number; valueStart: number } | undefined {
  for (const t of scan.tags) {
    if (t.tagStart + t.delimiters[0].length <= offset && offset <= t.valueEnd) return t;
    if (t.tagStart > offset) return undefined;
  }
  const u = scan.unclosed;
  if (u && u.tagStart + u.delimiters[0].length <= offset && offset <= text.length) return u;
  return undefined;
}

/** Sections (and inverted sections) whose body contains `pos`, outermost first. */
function enclosingSections(nodes: readonly TemplateNode[], pos: number): TemplateNode[] {
  const chain: TemplateNode[] = [];
  let level = nodes;
  for (;;) {
    const inside = level.find(
      (n) =>
        (n.tag.kind === 'section' || n.tag.kind === 'inverted') &&
        n.tag.tagEnd <= pos &&
        (n.closeStart === undefined || pos <= n.closeStart),
    );
    if (!inside) return chain;
    chain.push(inside);
    level = inside.children;
  }
}
