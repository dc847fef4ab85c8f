/**
 * A YAML document reduced to what Herald's files can contain (maps with string keys,
 * sequences, scalars), every node keeping its offsets. Later stages read this tree,
 * not `yaml`'s nodes, so the rest of the compiler never sees YAML syntax details.
 */
import type { SourceText } from '../model/ast.js';
import type { Span } from '../source/source-file.js';

export type YScalarValue = string | number | boolean | null;

export interface YScalar {
  readonly kind: 'scalar';
  readonly value: YScalarValue;
  readonly span: Span;
  /** The scalar's text with per-character file offsets (strings only). */
  readonly text: SourceText | undefined;
}

export interface YEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: YNode;
}

export interface YMap {
  readonly kind: 'map';
  readonly entries: readonly YEntry[];
  readonly span: Span;
}

export interface YSeq {
  readonly kind: 'seq';
  readonly items: readonly YNode[];
  readonly span: Span;
}

export type YNode = YScalar | YMap | YSeq;

export function getEntry(map: YMap, key: string): YEntry | undefined {
  // Duplicate keys are reported by the parse stage; like YAML 1.1 loaders, the last one wins.
  for (let i = map.entries.length - 1; i >= 0; i--) if (map.entries[i]!.key === key) return map.entries[i];
  return undefined;
}

export function get(map: YMap, key: string): YNode | undefined {
  return getEntry(map, key)?.value;
}

/**
 * The node as plain JSON. Maps become objects through `Object.fromEntries`, so every key is an
 * own property: a key `__proto__` stays a plain key (assigning `out[key]` would set the object's
 * prototype instead, and the key would vanish). Of duplicate keys the last wins, as in `get`.
 */
export function toJson(node: YNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toJson);
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [e.key, toJson(e.value)]));
  }
}

/** The node at a JSON path (as ajv's instancePath segments), or undefined. */
export function nodeAt(root: YNode, path: readonly (string | number)[]): YNode | undefined {
  let cur: YNode | undefined = root;
  for (const seg of path) {
    if (!cur) return undefined;
    if (cur.kind === 'map') cur = get(cur, String(seg));
    else if (cur.kind === 'seq') cur = cur.items[Number(seg)];
    else return undefined;
  }
  return cur;
}

/** Span of the value at `path` (or of its key when `key`), falling back to the nearest existing parent. */
export function locate(root: YNode, path: readonly (string | number)[], key = false): Span {
  let cur: YNode = root;
  let span = root.span;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (cur.kind === 'map') {
      const e = getEntry(cur, String(seg));
      if (!e) return span;
      span = key && i === path.length - 1 ? e.keySpan : e.value.span;
      cur = e.value;
    } else if (cur.kind === 'seq') {
      const item = cur.items[Number(seg)];
      if (!item) return span;
      span = item.span;
      cur = item;
    } else return span;
  }
  return span;
}

/** Parse a JSON pointer (`/steps/0/send`) into segments. */
export function pointerToPath(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
