/**
 * Where in the YAML structure the cursor is, for completion while the user types.
 *
 * Completion runs on half-typed text that often is not valid YAML (`  - sen`, `goto: `,
 * `{ event: inv`), so this reads the lines around the cursor by indentation instead of
 * parsing the file: the path of keys and sequence indexes down to the cursor, whether a key
 * or a value is being typed, and the value text so far. Hover and navigation, which run on
 * complete text, use the parsed tree instead (`treeAt`).
 */
import type { YEntry, YNode } from '@herald/dsl';

export type PathSegment = string | number;

export interface CursorContext {
  /** Path of the mapping whose key is typed, or of the value that is typed. */
  readonly path: readonly PathSegment[];
  /** `key`: a key of the mapping at `path`; `value`: the value at `path` (last segment the key or index). */
  readonly role: 'key' | 'value';
  /** Keys already present in the mapping at `path` (role `key`), or in the mapping holding the value. */
  readonly siblings: readonly string[];
  /** Role `key` on a `- ` line: the mapping may also be a plain list item (`channels:\n  - em`). */
  readonly seqItem: boolean;
  /** The value typed so far, up to the cursor (quotes stripped; block scalars dedented). */
  readonly valueText: string;
  /** Offset where `valueText` starts (after an opening quote). */
  readonly valueStart: number;
  readonly quoted: boolean;
  readonly block: boolean;
}

interface Line {
  readonly text: string;
  readonly indent: number;
  /** Columns of the `- ` markers before the content. */
  readonly dashes: readonly number[];
  readonly contentCol: number;
  readonly key: string | undefined;
  readonly colonCol: number;
  readonly valueCol: number;
  readonly blank: boolean;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^#:]*?|-[^\s#:][^#:]*?)[ \t]*:(?=[ \t]|$)/;

function readLine(text: string): Line {
  let i = 0;
  while (text[i] === ' ') i++;
  const indent = i;
  const dashes: number[] = [];
  while (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === undefined || text[i + 1] === '\t')) {
    dashes.push(i);
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
  }
  const contentCol = i;
  const rest = text.slice(i);
  const blank = rest.trim() === '' || rest.trimStart().startsWith('#');
  const m = blank ? null : KEY_RE.exec(rest);
  if (!m) return { text, indent, dashes, contentCol, key: undefined, colonCol: -1, valueCol: -1, blank: blank && dashes.length === 0 };
  let key = m[1]!.trim();
  if ((key.startsWith('"') && key.endsWith('"')) || (key.startsWith("'") && key.endsWith("'"))) key = key.slice(1, -1);
  const colonCol = contentCol + m[0].length - 1;
  let v = colonCol + 1;
  while (text[v] === ' ' || text[v] === '\t') v++;
  return { text, indent, dashes, contentCol, key, colonCol, valueCol: v, blank: false };
}

/** A key line whose value is empty or a comment: its value is the indented block below. */
function opensBlock(l: Line): boolean {
  return l.key !== undefined && (l.valueCol >= l.text.length || l.text[l.valueCol] === '#');
}

const BLOCK_SCALAR = /^[|>][0-9+-]*[ \t]*(#.*)?$/;

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

class Lines {
  private readonly cache = new Map<number, Line>();
  constructor(
    readonly text: string,
    readonly starts: readonly number[],
  ) {}
  raw(n: number): string {
    const s = this.starts[n]!;
    const next = this.starts[n + 1];
    return this.text.slice(s, next === undefined ? this.text.length : next - 1).replace(/\r$/, '');
  }
  get(n: number): Line {
    let l = this.cache.get(n);
    if (!l) this.cache.set(n, (l = readLine(this.raw(n))));
    return l;
  }
}

/** The cursor context at `offset`; `starts` are the text's line starts (lineStartsOf). */
export function contextAt(text: string, offset: number, starts: readonly number[] = lineStartsOf(text)): CursorContext {
  const lines = new Lines(text, starts);
  let lineNo = 0;
  for (let lo = 0, hi = starts.length - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= offset) {
      lineNo = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const lineStart = starts[lineNo]!;
  const col = offset - lineStart;
  const cur = lines.get(lineNo);

  // Inside a block scalar (`text: |`)? Then the key that opened it owns the cursor.
  const blockHeader = findBlockHeader(lines, lineNo, cur.blank ? col : cur.indent);
  if (blockHeader !== undefined) {
    const h = lines.get(blockHeader);
    const parent = parentPath(lines, blockHeader, h);
    let bodyIndent: number | undefined;
    const parts: string[] = [];
    for (let n = blockHeader + 1; n <= lineNo; n++) {
      const raw = n === lineNo ? lines.raw(n).slice(0, col) : lines.raw(n);
      if (bodyIndent === undefined && raw.trim() !== '') bodyIndent = /^ */.exec(raw)![0].length;
      parts.push(raw.slice(Math.min(bodyIndent ?? 0, /^ */.exec(raw)![0].length)));
    }
    return {
      path: [...parent.path, h.key!],
      role: 'value',
      siblings: parent.siblings,
      seqItem: false,
      valueText: parts.join('\n'),
      valueStart: starts[blockHeader + 1] ?? text.length,
      quoted: false,
      block: true,
    };
  }

  const parent = parentPath(lines, lineNo, cur, col);
  // A value on this line: `key: val|`, possibly inside flow collections.
  if (cur.key !== undefined && col > cur.colonCol) {
    const valueOffset = lineStart + cur.valueCol;
    const typed = cur.text.slice(cur.valueCol, Math.max(cur.valueCol, col));
    if (typed.startsWith('{') || typed.startsWith('[')) {
      const flow = flowContext(typed, valueOffset);
      if (flow) return { ...flow, path: [...parent.path, cur.key, ...flow.path] };
    }
    const quoted = typed.startsWith('"') || typed.startsWith("'");
    return {
      path: [...parent.path, cur.key],
      role: 'value',
      siblings: parent.siblings,
      seqItem: false,
      valueText: quoted ? typed.slice(1) : typed,
      valueStart: valueOffset + (quoted ? 1 : 0),
      quoted,
      block: false,
    };
  }
  // A flow sequence or mapping as a list item: `- [a, b|`.
  if (cur.dashes.length > 0 && col > cur.contentCol && (cur.text[cur.contentCol] === '[' || cur.text[cur.contentCol] === '{')) {
    const flow = flowContext(cur.text.slice(cur.contentCol, col), lineStart + cur.contentCol);
    if (flow) return { ...flow, path: [...parent.path, ...flow.path] };
  }
  const typedStart = Math.min(cur.contentCol, col);
  const typed = cur.text.slice(typedStart, col);
  const quoted = typed.startsWith('"') || typed.startsWith("'");
  return {
    path: parent.path,
    role: 'key',
    siblings: parent.siblings,
    seqItem: parent.seqItem,
    valueText: quoted ? typed.slice(1) : typed,
    valueStart: lineStart + typedStart + (quoted ? 1 : 0),
    quoted,
    block: false,
  };
}

function findBlockHeader(lines: Lines, lineNo: number, indent: number): number | undefined {
  for (let n = lineNo - 1; n >= 0; n--) {
    const l = lines.get(n);
    if (l.blank) continue;
    if (l.indent >= indent) continue;
    if (l.key !== undefined && BLOCK_SCALAR.test(l.text.slice(l.valueCol))) return n;
    return undefined;
  }
  return undefined;
}

interface Parent {
  readonly path: PathSegment[];
  /** Keys of the mapping the line belongs to. */
  readonly siblings: string[];
  readonly seqItem: boolean;
}

/**
 * The path of the mapping line `lineNo` belongs to. `col` is the cursor column on a blank
 * line (the indentation typed so far says which mapping a new key goes into).
 */
function parentPath(lines: Lines, lineNo: number, cur: Line, col?: number): Parent {
  const siblings: string[] = [];
  const path: PathSegment[] = [];
  let keyCol = cur.blank ? (col ?? cur.indent) : cur.contentCol;
  let seqDash: number | undefined = cur.dashes.length > 0 ? cur.dashes[cur.dashes.length - 1] : undefined;
  const seqItem = cur.dashes.length > 0 && cur.key === undefined;
  if (cur.key !== undefined) siblings.push(cur.key);
  let index = 0;
  let collecting = true;
  // Keys of the same mapping below the cursor line count as present too.
  for (let n = lineNo + 1; n < lines.starts.length; n++) {
    const l = lines.get(n);
    if (l.blank) continue;
    if (l.contentCol < keyCol || (l.dashes.length > 0 && l.dashes[l.dashes.length - 1]! < keyCol)) break;
    if (l.contentCol === keyCol && l.dashes.length === 0 && l.key !== undefined) siblings.push(l.key);
  }
  for (let n = lineNo - 1; n >= 0; n--) {
    const l = lines.get(n);
    if (l.blank) continue;
    if (seqDash !== undefined) {
      // Looking for the key that holds the sequence; count the items on the way.
      const lastDash = l.dashes.length > 0 ? l.dashes[l.dashes.length - 1]! : undefined;
      if (lastDash === seqDash) {
        index++;
        continue;
      }
      if (l.indent > seqDash || (lastDash !== undefined && lastDash > seqDash)) continue;
      if (l.key !== undefined && opensBlock(l)) {
        path.unshift(l.key, index);
        collecting = false;
        keyCol = l.contentCol;
        seqDash = l.dashes.length > 0 ? l.dashes[l.dashes.length - 1] : undefined;
        index = 0;
        continue;
      }
      // A sequence at the top level, or structure we cannot read: stop here.
      path.unshift(index);
      return { path, siblings, seqItem };
    }
    if (l.contentCol > keyCol) continue;
    if (l.contentCol === keyCol) {
      if (l.key !== undefined && collecting) siblings.push(l.key);
      if (l.dashes.length > 0) {
        // The first key of a list item: the mapping is that item.
        seqDash = l.dashes[l.dashes.length - 1];
        collecting = false;
        index = 0;
      }
      continue;
    }
    // Less indented: the key that holds this mapping.
    if (l.key !== undefined && opensBlock(l)) {
      path.unshift(l.key);
      collecting = false;
      keyCol = l.contentCol;
      seqDash = l.dashes.length > 0 ? l.dashes[l.dashes.length - 1] : undefined;
      index = 0;
      continue;
    }
    if (l.dashes.length > 0 && l.key === undefined) continue;
    break;
  }
  if (seqDash !== undefined) path.unshift(index);
  return { path, siblings: [...new Set(siblings)], seqItem };
}

/**
 * The context inside flow collections written on one line, from the collection's start to
 * the cursor: `{ source: crm, query: cust|` is the value of `query`, `[email, s|` item 1.
 */
function flowContext(typed: string, startOffset: number): Omit<CursorContext, 'path'> & { path: PathSegment[] } | undefined {
  interface Frame {
    kind: 'map' | 'seq';
    key: string | undefined;
    keys: string[];
    index: number;
    tokenStart: number;
  }
  const stack: Frame[] = [];
  let i = 0;
  while (i < typed.length) {
    const ch = typed[i]!;
    const top = stack[stack.length - 1];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < typed.length && typed[j] !== ch) j += typed[j] === '\\' && ch === '"' ? 2 : 1;
      if (j >= typed.length) break; // an unterminated quote: the cursor is inside it
      i = j + 1;
      continue;
    }
    if (ch === '{' || ch === '[') {
      stack.push({ kind: ch === '{' ? 'map' : 'seq', key: undefined, keys: [], index: 0, tokenStart: i + 1 });
      i++;
      continue;
    }
    if (!top) return undefined;
    if (ch === '}' || ch === ']') {
      stack.pop();
      if (stack.length === 0) return undefined; // the collection closed before the cursor
      i++;
      continue;
    }
    if (ch === ',') {
      if (top.kind === 'seq') top.index++;
      top.key = undefined;
      top.tokenStart = i + 1;
      i++;
      continue;
    }
    if (ch === ':' && top.kind === 'map' && top.key === undefined && (i + 1 >= typed.length || /[\s,}\]]/.test(typed[i + 1]!))) {
      top.key = typed.slice(top.tokenStart, i).trim().replace(/^["']|["']$/g, '');
      top.keys.push(top.key);
      top.tokenStart = i + 1;
      i++;
      continue;
    }
    i++;
  }
  const top = stack[stack.length - 1];
  if (!top) return undefined;
  const path: PathSegment[] = [];
  for (const f of stack.slice(0, -1)) path.push(f.kind === 'map' ? (f.key ?? '') : f.index);
  let tokenStart = top.tokenStart;
  while (typed[tokenStart] === ' ' || typed[tokenStart] === '\t') tokenStart++;
  let token = typed.slice(tokenStart);
  const quoted = token.startsWith('"') || token.startsWith("'");
  if (quoted) {
    token = token.slice(1);
    tokenStart++;
  }
  const base = { valueText: token, valueStart: startOffset + tokenStart, quoted, block: false, seqItem: false };
  if (top.kind === 'seq') return { ...base, path: [...path, top.index], role: 'value', siblings: [] };
  if (top.key === undefined) return { ...base, path, role: 'key', siblings: top.keys };
  return { ...base, path: [...path, top.key], role: 'value', siblings: top.keys };
}

// ---------------------------------------------------------------- parsed tree

export interface TreeHit {
  /** Path to the node at the offset (for a key: including the key). */
  readonly path: readonly PathSegment[];
  /** The innermost node containing the offset. */
  readonly node: YNode;
  /** Set when the offset is on a key. */
  readonly entry: YEntry | undefined;
  /** The mappings along the path, outermost first, for sibling keys. */
  readonly maps: readonly { readonly path: readonly PathSegment[]; readonly keys: readonly string[] }[];
}

/** The node of a parsed file at an offset: on a key, or the innermost value. */
export function treeAt(root: YNode, offset: number): TreeHit | undefined {
  const path: PathSegment[] = [];
  const maps: { path: readonly PathSegment[]; keys: readonly string[] }[] = [];
  let node: YNode = root;
  if (offset < root.span.start || offset > root.span.end) return undefined;
  for (;;) {
    if (node.kind === 'map') {
      maps.push({ path: [...path], keys: node.entries.map((e) => e.key) });
      const onKey = node.entries.find((e) => e.keySpan.start <= offset && offset <= e.keySpan.end);
      if (onKey) return { path: [...path, onKey.key], node: onKey.value, entry: onKey, maps };
      const inValue = node.entries.find((e) => e.value.span.start <= offset && offset <= e.value.span.end && e.value.span.end > e.value.span.start);
      if (!inValue) return { path, node, entry: undefined, maps };
      path.push(inValue.key);
      node = inValue.value;
    } else if (node.kind === 'seq') {
      const i = node.items.findIndex((it) => it.span.start <= offset && offset <= it.span.end);
      if (i < 0) return { path, node, entry: undefined, maps };
      path.push(i);
      node = node.items[i]!;
    } else return { path, node, entry: undefined, maps };
  }
}

/** The block-style key under the cursor (`  onTimeout: x` with the cursor on `onTimeout`), with its path. */
export function keyAt(text: string, offset: number, starts: readonly number[] = lineStartsOf(text)): { path: PathSegment[]; start: number; end: number; siblings: readonly string[] } | undefined {
  let lineNo = 0;
  for (let lo = 0, hi = starts.length - 1; lo <= hi; ) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= offset) {
      lineNo = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const lines = new Lines(text, starts);
  const cur = lines.get(lineNo);
  const col = offset - starts[lineNo]!;
  if (cur.key !== undefined && col >= cur.contentCol && col <= cur.colonCol) {
    if (findBlockHeader(lines, lineNo, cur.indent) !== undefined) return undefined;
    const parent = parentPath(lines, lineNo, cur);
    return { path: [...parent.path, cur.key], start: starts[lineNo]! + cur.contentCol, end: starts[lineNo]! + cur.colonCol, siblings: parent.siblings };
  }
  // A key inside a flow mapping on this line: `wait: { event: x, timeout: 7d }`.
  if (cur.key !== undefined && col > cur.colonCol) {
    const lineText = cur.text;
    let s = col;
    while (s > 0 && /[A-Za-z0-9_-]/.test(lineText[s - 1]!)) s--;
    let e = col;
    while (e < lineText.length && /[A-Za-z0-9_-]/.test(lineText[e]!)) e++;
    if (s === e || !/^\s*:/.test(lineText.slice(e))) return undefined;
    const flow = flowContext(lineText.slice(cur.valueCol, s), starts[lineNo]! + cur.valueCol);
    if (!flow || flow.role !== 'key') return undefined;
    const parent = parentPath(lines, lineNo, cur);
    return { path: [...parent.path, cur.key, ...flow.path, lineText.slice(s, e)], start: starts[lineNo]! + s, end: starts[lineNo]! + e, siblings: flow.siblings };
  }
  return undefined;
}
