/**
 * A template's tag tree with exact offsets, and its syntax problems.
 *
 * `Mustache.parse` decides: when it parses the text, its token tree is the tree (so the
 * checker sees exactly the sections the renderer will); when it throws, the problem is
 * located with scan-tags.ts and the tree is rebuilt from the scanned tags the way an
 * editor would expect (an unclosed section runs to the end, a stray close is ignored),
 * so names in a half-written template are still checked and completed.
 */
import Mustache from 'mustache';
import { DEFAULT_DELIMITERS, scanTags, type ScannedTag, type TagScan, type TagSigil } from './scan-tags.js';
import { problem, type TemplateProblem, type TemplateTag } from './template-problem.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';

export interface TemplateNode {
  readonly tag: TemplateTag;
  /** The tags inside a section or inverted section, in source order. */
  readonly children: readonly TemplateNode[];
  /** Sections: where the closing tag starts; undefined when the section is never closed. */
  readonly closeStart?: number;
  /** False for a malformed tag already reported as `template-syntax`; its name is not resolved. */
  readonly checkable: boolean;
}

export interface ParsedTemplate {
  readonly nodes: readonly TemplateNode[];
  /** Every node's tag, in source order. */
  readonly tags: readonly TemplateTag[];
  readonly problems: readonly TemplateProblem[];
  /** The raw scan, for completion inside a tag that is still being typed. */
  readonly scan: TagScan;
}

const KIND_OF: Partial<Record<string, TemplateTag['kind']>> = {
  name: 'name',
  '&': 'unescaped',
  '{': 'unescaped',
  '#': 'section',
  '^': 'inverted',
  '>': 'partial',
  '!': 'comment',
};

/**
 * Deeper nesting is not a real template, and checking (like Mustache's rendering) recurses
 * once per level: stop before the stack does.
 */
export const MAX_SECTION_DEPTH = 64;

/** mustache.js token: [type, value, start, end, children | indentation, closeStart | tagIndex, ...]. */
type MustacheToken = [string, string, number, number, ...unknown[]];

export function parseTemplate(text: string): ParsedTemplate {
  const scan = scanTags(text);
  const byStart = new Map(scan.tags.map((t) => [t.tagStart, t]));
  const lint = lintTags(text, scan.tags);
  const checkable = (tagStart: number) => !lint.malformed.has(tagStart);

  const tooDeep = findTooDeep(scan.tags);
  if (tooDeep) {
    const message = `sections nest deeper than ${MAX_SECTION_DEPTH} levels`;
    const p = syntaxError(message, tooDeep.tagStart, tooDeep.tagEnd, 'flatten the template, or move parts into partials');
    const tags = scan.tags.flatMap((t) => {
      const kind = KIND_OF[t.sigil];
      return kind ? [scannedToTag(t, kind)] : [];
    });
    return { nodes: [], tags, problems: [...lint.problems, p], scan };
  }

  let tokens: MustacheToken[] | undefined;
  let mustacheError: string | undefined;
  try {
    // A fresh Writer: the default one caches every text it has seen, which in an editor is every keystroke.
    tokens = new Mustache.Writer().parse(text, [...DEFAULT_DELIMITERS]) as MustacheToken[];
  } catch (e) {
    mustacheError = e instanceof Error ? e.message : String(e);
  }

  if (tokens) {
    const nodes = fromMustacheTokens(tokens, text, byStart, checkable);
    return { nodes, tags: flattenTags(nodes), problems: lint.problems, scan };
  }

  const recovered = nestScannedTags(text, scan, checkable);
  const problems = [...lint.problems, ...recovered.problems];
  if (recovered.problems.length === 0) {
    // The scanner found nothing wrong but Mustache did: report Mustache's own words at its offset.
    const at = Number(/ at (\d+)$/.exec(mustacheError ?? '')?.[1] ?? 0);
    const offset = Math.min(Math.max(0, at), text.length);
    const message = `Mustache cannot parse the template: ${mustacheError}`;
    problems.push(problem('template-syntax', 'error', message, offset, offset));
  }
  return { nodes: recovered.nodes, tags: flattenTags(recovered.nodes), problems, scan };
}

function findTooDeep(tags: readonly ScannedTag[]): ScannedTag | undefined {
  let depth = 0;
  for (const t of tags) {
    if (t.sigil === '#' || t.sigil === '^') {
      if (++depth > MAX_SECTION_DEPTH) return t;
    } else if (t.sigil === '/') {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function flattenTags(nodes: readonly TemplateNode[], out: TemplateTag[] = []): TemplateTag[] {
  for (const n of nodes) {
    out.push(n.tag);
    flattenTags(n.children, out);
  }
  return out;
}

function toTag(
  kind: TemplateTag['kind'],
  value: string,
  tagStart: number,
  tagEnd: number,
  scanned: ScannedTag | undefined,
  text: string,
): TemplateTag {
  let start: number;
  if (scanned && scanned.value === value) {
    start = scanned.valueStart;
  } else {
    // Only if the scanner and Mustache disagree (a bug; fuzz.test.ts looks for it): find the name in the tag.
    const i = text.slice(tagStart, tagEnd).indexOf(value);
    start = tagStart + Math.max(0, i);
  }
  return { kind, path: value, start, end: start + value.length, tagStart, tagEnd };
}

function fromMustacheTokens(
  tokens: readonly MustacheToken[],
  text: string,
  byStart: ReadonlyMap<number, ScannedTag>,
  checkable: (tagStart: number) => boolean,
): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  for (const token of tokens) {
    const [type, value, tagStart, tagEnd] = token;
    const kind = KIND_OF[type];
    if (!kind) continue; // text and {{=...=}}
    const tag = toTag(kind, value, tagStart, tagEnd, byStart.get(tagStart), text);
    if (type === '#' || type === '^') {
      const children = fromMustacheTokens((token[4] ?? []) as MustacheToken[], text, byStart, checkable);
      nodes.push({ tag, children, closeStart: token[5] as number, checkable: checkable(tagStart) });
    } else {
      nodes.push({ tag, children: [], checkable: checkable(tagStart) });
    }
  }
  return nodes;
}

function scannedToTag(t: ScannedTag, kind: TemplateTag['kind']): TemplateTag {
  return { kind, path: t.value, start: t.valueStart, end: t.valueEnd, tagStart: t.tagStart, tagEnd: t.tagEnd };
}

function show(t: { sigil: TagSigil; delimiters: readonly [string, string] }, value: string): string {
  const [open, close] = t.delimiters;
  const sigil = t.sigil === 'name' ? '' : t.sigil;
  return `${open}${sigil}${value}${t.sigil === '{' ? '}' : ''}${close}`;
}

interface OpenSection {
  readonly scanned: ScannedTag;
  readonly tag: TemplateTag;
  readonly children: TemplateNode[];
  readonly checkable: boolean;
  readonly parent: TemplateNode[];
}

function syntaxError(message: string, start: number, end: number, hint: string): TemplateProblem {
  return problem('template-syntax', 'error', message, start, end, hint);
}

/** The tree Mustache would build, with each error Mustache throws on reported and recovered from. */
function nestScannedTags(
  text: string,
  scan: TagScan,
  checkable: (tagStart: number) => boolean,
): { nodes: TemplateNode[]; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const root: TemplateNode[] = [];
  const stack: OpenSection[] = [];
  let current = root;

  const close = (s: OpenSection, closeStart: number | undefined) => {
    s.parent.push({ tag: s.tag, children: s.children, closeStart, checkable: s.checkable });
  };

  for (const t of scan.tags) {
    if (t.sigil === '=') continue;
    if (t.sigil !== '/') {
      const kind = KIND_OF[t.sigil]!;
      const tag = scannedToTag(t, kind);
      if (kind === 'section' || kind === 'inverted') {
        stack.push({ scanned: t, tag, children: [], checkable: checkable(t.tagStart), parent: current });
        current = stack[stack.length - 1]!.children;
      } else {
        current.push({ tag, children: [], checkable: checkable(t.tagStart) });
      }
      continue;
    }

    const closeTag = show(t, t.value);
    const top = stack[stack.length - 1];
    if (!top) {
      const openTag = show({ ...t, sigil: '#' }, t.value);
      const hint = `remove it, or open the section with ${openTag}`;
      problems.push(syntaxError(`\`${closeTag}\` closes a section that is not open`, t.tagStart, t.tagEnd, hint));
      continue;
    }
    let match = stack.length - 1;
    while (match >= 0 && stack[match]!.scanned.value !== t.value) match--;
    if (match < 0) {
      const openTag = show(top.scanned, top.scanned.value);
      const suggestion = didYouMean(t.value, stack.map((s) => s.scanned.value));
      const hint = suggestion !== undefined ? `did you mean ${show(t, suggestion)}?` : `close it with ${show(t, top.scanned.value)}`;
      const related = [{ start: top.tag.tagStart, end: top.tag.tagEnd, message: `${openTag} is opened here` }];
      problems.push({ ...syntaxError(`\`${closeTag}\` does not match \`${openTag}\``, t.tagStart, t.tagEnd, hint), related });
      // A stray close when the open section is closed further on (then ignore it), else a
      // misspelt close: recover by closing the innermost section, so it is not also "never closed".
      if (closedLater(scan.tags, t, top.scanned.value)) continue;
      match = stack.length - 1;
    }
    while (stack.length > match) {
      const s = stack.pop()!;
      if (stack.length > match) {
        const name = s.scanned.value;
        const message = `\`${closeTag}\` closes section \`${t.value}\` while section \`${name}\` is still open`;
        problems.push(syntaxError(message, t.tagStart, t.tagEnd, `close \`${name}\` first with ${show(t, name)}`));
      }
      close(s, t.tagStart);
      current = s.parent;
    }
  }

  for (const s of [...stack].reverse()) {
    const closeTag = show({ sigil: '/', delimiters: s.scanned.delimiters }, s.scanned.value);
    const message = `section \`${s.scanned.value}\` is never closed`;
    problems.push(syntaxError(message, s.tag.tagStart, s.tag.tagEnd, `add ${closeTag} where the section ends`));
    close(s, undefined);
  }

  for (const t of scan.invalidDelimiters) {
    const message = `\`${show(t, t.value + '=')}\` must set two delimiters separated by a space`;
    problems.push(syntaxError(message, t.tagStart, t.tagEnd, 'for example {{=<% %>=}}'));
  }

  const u = scan.unclosed;
  if (u) {
    const opener = `${u.delimiters[0]}${u.sigil === '{' ? '{' : ''}`;
    const closer = `${u.sigil === '{' ? '}' : ''}${u.delimiters[1]}`;
    const end = trimEndSpace(text, u.tagStart + u.delimiters[0].length, u.valueStart);
    const message = `tag is not closed: \`${opener}\` has no matching \`${closer}\``;
    problems.push(syntaxError(message, u.tagStart, end, `add \`${closer}\` to close the tag`));
  }
  return { nodes: root, problems };
}

/** Whether a close tag for `name` comes after `after` before another section of that name opens. */
function closedLater(tags: readonly ScannedTag[], after: ScannedTag, name: string): boolean {
  for (const t of tags) {
    if (t.tagStart <= after.tagStart || t.value !== name) continue;
    if (t.sigil === '/') return true;
    if (t.sigil === '#' || t.sigil === '^') return false;
  }
  return false;
}

/** `end` moved back over whitespace, but not before `min`. */
function trimEndSpace(text: string, min: number, end: number): number {
  while (end > min && /\s/.test(text[end - 1]!)) end--;
  return end;
}

/**
 * Problems Mustache does not see but a reader would: a tag that names nothing, and a tag
 * that swallows the next one (`{{name {{other}}` is one tag named `name {{other`).
 */
function lintTags(text: string, tags: readonly ScannedTag[]): { problems: TemplateProblem[]; malformed: Set<number> } {
  const problems: TemplateProblem[] = [];
  const malformed = new Set<number>();
  for (const t of tags) {
    if (t.sigil === '!' || t.sigil === '=') continue;
    const open = t.delimiters[0];
    const inner = t.value.indexOf(open);
    if (inner >= 0) {
      malformed.add(t.tagStart);
      const end = trimEndSpace(text, t.tagStart + open.length, t.valueStart + inner);
      const hint = `add \`${t.delimiters[1]}\` to close the tag`;
      problems.push(syntaxError(`tag is not closed before the next \`${open}\``, t.tagStart, end, hint));
    } else if (t.value === '' && t.sigil !== '/') {
      malformed.add(t.tagStart);
      const hint =
        t.sigil === '>' ? 'write the name of a partial, e.g. {{> footer}}' : 'write a variable name, e.g. {{customer.name}}';
      problems.push(syntaxError('the tag names nothing', t.tagStart, t.tagEnd, hint));
    }
  }
  return { problems, malformed };
}
