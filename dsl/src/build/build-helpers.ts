/**
 * Small readers from YNode to AST values. Builders run after shape validation but stay
 * tolerant: a value of the wrong shape reads as undefined (its schema error is already
 * reported), so one mistake never hides the rest of the file.
 */
import type { Problem } from '../diagnostics/report.js';
import type { JsonWithSource, Located, SourceText, TypeDecl, UnreadKey } from '../model/ast.js';
import { get, locate, toJson, type YMap, type YNode } from '../parse/yaml-tree.js';
import { parseDuration } from '../types/parse-duration.js';
import { parseTypeSyntax } from '../types/parse-type-syntax.js';
import { typeFromJsonSchema } from '../types/from-json-schema.js';
import { T, type Field, type Type } from '../types/type.js';
import { spanInText } from '../model/ast.js';

export function asMap(n: YNode | undefined): YMap | undefined {
  return n?.kind === 'map' ? n : undefined;
}

export function str(n: YNode | undefined): Located<string> | undefined {
  return n?.kind === 'scalar' && typeof n.value === 'string' ? { value: n.value, span: n.span } : undefined;
}

export function num(n: YNode | undefined): Located<number> | undefined {
  return n?.kind === 'scalar' && typeof n.value === 'number' ? { value: n.value, span: n.span } : undefined;
}

export function oneOf<T extends string>(n: YNode | undefined, values: readonly T[]): Located<T> | undefined {
  const s = str(n);
  return s && (values as readonly string[]).includes(s.value) ? (s as Located<T>) : undefined;
}

export function duration(n: YNode | undefined): Located<number> | undefined {
  const s = str(n);
  if (!s) return undefined;
  const ms = parseDuration(s.value);
  return ms === undefined ? undefined : { value: ms, span: s.span };
}

/** Text of an expression or template; YAML numbers and bools become their literal text. */
export function sourceText(n: YNode | undefined): SourceText | undefined {
  if (n?.kind !== 'scalar') return undefined;
  if (typeof n.value === 'string') return n.text ?? { text: n.value, span: n.span };
  const text = n.value === null ? 'null' : String(n.value);
  return { text, span: n.span };
}

export function entriesOf(n: YNode | undefined) {
  return asMap(n)?.entries ?? [];
}

/** Keys of a mapping that were not read: not among `known`, or among `text` with a value that is no text (each is the shape stage's problem). */
export function unreadKeys(m: YMap, known: readonly string[], text: readonly string[] = []): UnreadKey[] {
  const unread: UnreadKey[] = [];
  for (const e of m.entries) {
    const value = str(e.value);
    if (known.includes(e.key) && (value || !text.includes(e.key))) continue;
    unread.push({ key: { value: e.key, span: e.keySpan }, value });
  }
  return unread;
}

export function jsonWithSource(n: YNode | undefined): JsonWithSource | undefined {
  if (!n) return undefined;
  return { value: toJson(n), span: n.span, locate: (path, key) => locate(n, path, key) };
}

/**
 * A declared type: a YAML map of fields (values compact types or nested maps), a compact
 * type string, or `{ schema: <JSON Schema> }` where the caller allows it.
 */
export function typeDecl(n: YNode | undefined, problems: Problem[]): TypeDecl | undefined {
  if (!n) return undefined;
  const t = typeOf(n, problems);
  return t ? { type: t.type, span: n.span } : undefined;
}

function typeOf(n: YNode, problems: Problem[]): { type: Type; optional: boolean } | undefined {
  if (n.kind === 'map') {
    const fields: Record<string, Field> = {};
    for (const e of n.entries) {
      const optionalKey = e.key.endsWith('?');
      const name = optionalKey ? e.key.slice(0, -1) : e.key;
      const f = typeOf(e.value, problems);
      if (f) fields[name] = { type: f.type, optional: optionalKey || f.optional };
    }
    return { type: { kind: 'object', fields }, optional: false };
  }
  if (n.kind === 'scalar' && typeof n.value === 'string') {
    const r = parseTypeSyntax(n.value);
    if (r.ok) return { type: r.type, optional: r.optional };
    const st = n.text ?? { text: n.value, span: n.span };
    const span = spanInText(st, r.error.start, r.error.end);
    const { suggestion } = r.error;
    // Without an exact map of the scalar the span is all of it, which the suggestion must not replace.
    const exact = st.base !== undefined || st.offsets !== undefined;
    problems.push({
      code: 'invalid-type-syntax',
      message: r.error.message,
      span,
      hint:
        suggestion !== undefined
          ? `did you mean \`${suggestion}\`?`
          : 'types are `string`, `number`, `bool`, `timestamp`, `duration`, `any`, `list<T>`, `map<T>`, `{field: T}`; add `?` for an optional field',
      ...(suggestion !== undefined && exact ? { fix: { title: `Change to \`${suggestion}\``, span, newText: suggestion } } : {}),
    });
    // Typed `any` from here on, so a use of the field is not also reported as unknown.
    return { type: T.dyn, optional: /\?\s*$/.test(n.value) };
  }
  return { type: T.dyn, optional: false };
}

/** An event's payload: `fields:` (compact) or `schema:` (JSON Schema). */
export function payloadType(m: YMap, problems: Problem[]): TypeDecl {
  const schema = get(m, 'schema');
  if (schema) return { type: typeFromJsonSchema(toJson(schema)), span: schema.span };
  const fields = get(m, 'fields');
  return typeDecl(fields, problems) ?? { type: { kind: 'object', fields: {} }, span: m.span };
}
