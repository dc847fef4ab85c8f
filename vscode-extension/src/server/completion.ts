/**
 * Completion: schema keys with their docs, plugin config keys, references (templates,
 * policies, step ids, events, sources, queries, channels), enum values, expression names and
 * functions with their types, and `{{variables}}` inside templates.
 */
import { expr, FUNCTIONS, HERALD_PLUGINS, TYPE_NAMES, memberType, T, STEP_KIND_KEYS, template as templateLib, typeToString, type Type } from '@herald/dsl';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver';
import type { DocContext } from './doc-context.js';
import { description, fileSchema, pluginSchemaAt, properties, schemaAt, type Schema } from './schema-nav.js';
import { refKindAt, scopeAt, templateOwner } from './scopes.js';
import { fieldDetail, testFileFieldsAt, type TypedKey } from './test-file-fields.js';
import type { SymbolKind } from './symbol-index.js';
import { contextAt, lineStartsOf, type CursorContext, type PathSegment } from './yaml-context.js';

const EMPTY: CompletionList = { isIncomplete: false, items: [] };

export function complete(doc: DocContext, offset: number): CompletionList {
  if (doc.kind === undefined) return templateOwner(doc) ? completeTemplateText(doc, doc.text.slice(0, offset), offset, []) : EMPTY;
  const ctx = contextAt(doc.text, offset, doc.lines.lineStarts as number[]);
  if (ctx.role === 'key') {
    const keys = completeKeys(doc, ctx, offset);
    // `- em` under `channels:` is a list item, not a key.
    if (ctx.seqItem && keys.items.length === 0) return completeValue(doc, ctx, offset);
    return keys;
  }
  return completeValue(doc, ctx, offset);
}

function keysAtFactory(ctx: CursorContext) {
  return (depth: number): readonly string[] => (depth === ctx.path.length ? ctx.siblings : []);
}

function schemaFor(doc: DocContext, ctx: CursorContext, path: readonly PathSegment[]): { root: Schema; schema: Schema | undefined } {
  if (doc.kind === 'config') {
    const plugin = pluginSchemaAt(doc.project.config(), path, doc.project.root, doc.project.workspaceRead, doc.project.pluginRoots);
    if (plugin) return { root: plugin.schema, schema: schemaAt(plugin.schema, plugin.rest) };
  }
  const root = fileSchema(doc.kind!);
  const keysAt = keysAtFactory(ctx);
  return { root, schema: schemaAt(root, path, (d) => (d === path.length ? keysAt(d) : siblingsOnPath(ctx, path, d))) };
}

/** For a value, its mapping's keys pick the step variant: `policy:` of a step that has `send:`. */
function siblingsOnPath(ctx: CursorContext, path: readonly PathSegment[], depth: number): readonly string[] {
  return depth === path.length - 1 && ctx.role === 'value' ? ctx.siblings : [];
}

function wordRange(doc: DocContext, offset: number, re: RegExp): Range {
  const lineStart = doc.text.lastIndexOf('\n', offset - 1) + 1;
  const before = doc.text.slice(lineStart, offset);
  const m = re.exec(before);
  return doc.lines.range(offset - (m ? m[0].length : 0), offset);
}

function completeKeys(doc: DocContext, ctx: CursorContext, offset: number): CompletionList {
  const p = ctx.path;
  if (doc.kind === 'journey' && p.length === 4 && p[0] === 'steps' && typeof p[1] === 'number' && p[2] === 'emit' && p[3] === 'data') {
    return completeEmitFields(doc, ctx, p[1], offset);
  }
  if (doc.kind === 'test') {
    const named = completeTestMapKeys(doc, ctx, offset);
    if (named) return named;
    const fields = testFileFieldsAt(doc, p);
    if (fields) return fieldItems(doc, ctx, offset, fields);
  }
  const { root, schema } = schemaFor(doc, ctx, ctx.path);
  if (!schema || (schema['type'] !== 'object' && !(Array.isArray(schema['type']) && schema['type'].includes('object')) && !schema['properties'])) {
    return EMPTY;
  }
  const range = wordRange(doc, offset, /[A-Za-z0-9_.-]*$/);
  const present = new Set(ctx.siblings);
  const isStepUnion = Array.isArray(schema['x-step-kinds']);
  const hasKind = ctx.siblings.some((k) => STEP_KIND_KEYS.includes(k));
  const items: CompletionItem[] = [];
  const typed = ctx.valueText.replace(/:.*$/, '');
  for (const [key, sub] of properties(root, schema)) {
    if (present.has(key) && key !== typed) continue;
    if (isStepUnion && hasKind && STEP_KIND_KEYS.includes(key)) continue;
    const docText = description(sub);
    const isKind = isStepUnion && STEP_KIND_KEYS.includes(key);
    const block = (sub['type'] === 'object' || sub['type'] === 'array') && !sub['x-expression'];
    items.push({
      label: key,
      kind: isKind ? CompletionItemKind.Keyword : CompletionItemKind.Property,
      detail: typeof sub['title'] === 'string' ? sub['title'] : undefined,
      documentation: docText ? { kind: MarkupKind.Markdown, value: docText } : undefined,
      textEdit: { range, newText: block ? `${key}:\n${' '.repeat(indentOf(doc, offset) + 2)}` : `${key}: ` },
      insertTextFormat: InsertTextFormat.PlainText,
      sortText: `${isKind ? '0' : '1'}${key}`,
    });
  }
  return { isIncomplete: false, items };
}

/** A test file's `fixtures:` are keyed by `source.query`, its `outcomes:` by channel: those not written yet. */
function completeTestMapKeys(doc: DocContext, ctx: CursorContext, offset: number): CompletionList | undefined {
  const p = ctx.path;
  const section = p.length === 1 ? p[0] : p.length === 3 && p[0] === 'tests' && typeof p[1] === 'number' ? p[2] : undefined;
  if (section !== 'fixtures' && section !== 'outcomes') return undefined;
  const symbols = doc.project.symbols();
  const range = wordRange(doc, offset, /[A-Za-z0-9_.-]*$/);
  const typed = ctx.valueText.replace(/:.*$/, '');
  const present = new Set(ctx.siblings.filter((k) => k !== typed));
  const names: { label: string; detail: string; kind: CompletionItemKind }[] =
    section === 'fixtures'
      ? [...symbols.sources.values()].flatMap((src) =>
          src.queries.map((q) => ({ label: `${src.name.value}.${q.name.value}`, detail: `(${typeToString(q.args.type)}) → ${typeToString(q.returns.type)}`, kind: CompletionItemKind.Method })),
        )
      : [...symbols.channels.values()].map((c) => ({ label: c.name.value, detail: c.use.value, kind: CompletionItemKind.Interface }));
  const items = names.filter((n) => !present.has(n.label)).map((n) => ({ ...n, textEdit: { range, newText: `${n.label}: ` } }));
  return { isIncomplete: false, items };
}

/** The fields of the event an `emit` step raises, under its `data:`: those not written yet, required first. */
function completeEmitFields(doc: DocContext, ctx: CursorContext, stepIndex: number, offset: number): CompletionList {
  const j = doc.project.currentAst(doc.rel);
  const step = j?.kind === 'journey' ? j.steps[stepIndex] : undefined;
  if (step?.kind !== 'emit') return EMPTY;
  const type = doc.project.symbols().events.get(step.event.value)?.type.type;
  if (type?.kind !== 'object') return EMPTY;
  const keys = Object.entries(type.fields).map(([name, f]) => ({ name, type: f.type, optional: f.optional === true, doc: f.doc }));
  return fieldItems(doc, ctx, offset, keys);
}

/** Keys for the fields of a declared type: those not written yet, required first. */
function fieldItems(doc: DocContext, ctx: CursorContext, offset: number, keys: readonly TypedKey[]): CompletionList {
  const range = wordRange(doc, offset, /[A-Za-z0-9_.-]*$/);
  const typed = ctx.valueText.replace(/:.*$/, '');
  const present = new Set(ctx.siblings.filter((k) => k !== typed));
  const items: CompletionItem[] = keys
    .filter((k) => !present.has(k.name))
    .map((k) => ({
      label: k.name,
      kind: CompletionItemKind.Field,
      detail: fieldDetail(k),
      documentation: k.doc ? { kind: MarkupKind.Markdown, value: k.doc } : undefined,
      textEdit: { range, newText: `${k.name}: ` },
      sortText: `${k.optional ? '1' : '0'}${k.name}`,
    }));
  return { isIncomplete: false, items };
}

function indentOf(doc: DocContext, offset: number): number {
  const lineStart = doc.text.lastIndexOf('\n', offset - 1) + 1;
  const line = doc.text.slice(lineStart, offset);
  const m = /^([ -]*)/.exec(line)!;
  return m[1]!.length;
}

function completeValue(doc: DocContext, ctx: CursorContext, offset: number): CompletionList {
  const path = ctx.role === 'key' ? [...ctx.path] : ctx.path;
  if (doc.kind === 'config' && path.length === 3 && path[2] === 'use' && (path[0] === 'channels' || path[0] === 'sources')) return completePluginNames(doc, path[0], offset);
  if (doc.kind === 'config' && isFieldTypePath(path)) return completeTypeNames(doc, offset);
  const ref = refKindAt(doc.kind, path);
  if (ref) return completeReference(doc, ctx, ref, path, offset);
  const { schema } = schemaFor(doc, ctx, path);
  if (!schema) return EMPTY;
  if (typeof schema['x-expression'] === 'string') return completeExpression(doc, ctx, path, offset);
  if (schema['x-template']) return completeTemplateText(doc, ctx.valueText, offset, path);
  const values = Array.isArray(schema['enum']) ? schema['enum'] : schema['type'] === 'boolean' ? [true, false] : [];
  if (!values.length) return EMPTY;
  const range = wordRange(doc, offset, /[A-Za-z0-9_.-]*$/);
  return {
    isIncomplete: false,
    items: values.map((v) => ({ label: String(v), kind: CompletionItemKind.EnumMember, textEdit: { range, newText: String(v) } })),
  };
}

/** Where herald.yaml takes a type: an event's field, a query's argument or returned field (`returns:` itself). */
function isFieldTypePath(path: readonly PathSegment[]): boolean {
  if (path[0] === 'events') return path.length === 4 && path[2] === 'fields';
  if (path[0] === 'sources') return path[2] === 'queries' && ((path.length === 6 && (path[4] === 'args' || path[4] === 'returns')) || (path.length === 5 && path[4] === 'returns'));
  return false;
}

/** Herald's type names; `?` after one makes a field optional (docs/dsl.md, "Types"). */
function completeTypeNames(doc: DocContext, offset: number): CompletionList {
  const range = wordRange(doc, offset, /[A-Za-z0-9_?<>]*$/);
  const generic = new Set(['list', 'map']);
  return {
    isIncomplete: false,
    items: TYPE_NAMES.map((name) => ({
      label: generic.has(name) ? `${name}<…>` : name,
      kind: CompletionItemKind.TypeParameter,
      detail: generic.has(name) ? `${name} of one element type` : 'type (add `?` for an optional field)',
      textEdit: { range, newText: generic.has(name) ? `"${name}<\${1:string}>"` : name },
      insertTextFormat: generic.has(name) ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    })),
  };
}

/** `use:` of a channel or source: Herald's own plugins of that kind, and what the project uses already. */
function completePluginNames(doc: DocContext, section: 'channels' | 'sources', offset: number): CompletionList {
  const range = wordRange(doc, offset, /[A-Za-z0-9_.@/-]*$/);
  const symbols = doc.project.symbols();
  const used = [...(section === 'channels' ? symbols.channels.values() : symbols.sources.values())].map((d) => d.use.value);
  const names = [...new Set([...HERALD_PLUGINS[section === 'channels' ? 'channel' : 'source'], ...used])];
  return {
    isIncomplete: false,
    items: names.map((name) => ({
      label: name,
      kind: CompletionItemKind.Module,
      detail: name.startsWith('@herald/') ? 'ships with Herald' : 'used in this project',
      textEdit: { range, newText: name },
    })),
  };
}

function completeReference(doc: DocContext, ctx: CursorContext, kind: SymbolKind, path: readonly PathSegment[], offset: number): CompletionList {
  const range = wordRange(doc, offset, /[A-Za-z0-9_.-]*$/);
  const item = (label: string, detail: string | undefined, docText: string | undefined, k: CompletionItemKind): CompletionItem => ({
    label,
    kind: k,
    detail,
    documentation: docText ? { kind: MarkupKind.Markdown, value: docText } : undefined,
    textEdit: { range, newText: label },
  });
  const project = doc.project;
  switch (kind) {
    case 'template': {
      const items = [...project.symbols().templates.values()].map((t) =>
        item(t.id.value, t.variants.map((v) => `${v.channel.value}/${v.locale.value}`).join(', '), [t.description, `\`${t.file}\``].filter(Boolean).join('\n\n'), CompletionItemKind.File),
      );
      return { isIncomplete: false, items };
    }
    case 'policy': {
      const items = [...project.symbols().policies.values()].map((p) =>
        item(p.id.value, `channels: ${p.channels.map((c) => c.value).join(' → ')}`, [p.description, `\`${p.file}\``].filter(Boolean).join('\n\n'), CompletionItemKind.Module),
      );
      return { isIncomplete: false, items };
    }
    case 'step': {
      if (doc.kind === 'test') {
        // Any journey's: which one the test means is written beside it, or not at all.
        const items = project.asts('journey').flatMap((j) =>
          j.steps.filter((s) => s.id).map((s) => item(s.id!.value, `${s.kind} step of ${j.id.value}`, undefined, CompletionItemKind.Reference)),
        );
        return { isIncomplete: false, items };
      }
      const j = project.currentAst(doc.rel);
      if (j?.kind !== 'journey') return EMPTY;
      const current = typeof path[1] === 'number' ? j.steps[path[1]] : undefined;
      const items = j.steps
        .filter((s) => s.id && s !== current)
        .map((s) => ({ ...item(s.id!.value, `${s.kind} step, #${s.index + 1}`, undefined, CompletionItemKind.Reference), sortText: String(s.index).padStart(6, '0') }));
      return { isIncomplete: false, items };
    }
    case 'event': {
      const items = [...project.symbols().events.values()].map((e) =>
        item(e.name.value, typeToString(e.type.type), e.description, CompletionItemKind.Event),
      );
      return { isIncomplete: false, items };
    }
    case 'channel': {
      const items = [...project.symbols().channels.values()].map((c) => item(c.name.value, c.use.value, undefined, CompletionItemKind.Interface));
      return { isIncomplete: false, items };
    }
    case 'source': {
      const items = [...project.symbols().sources.values()].map((s) =>
        item(s.name.value, s.use.value, `queries: ${s.queries.map((q) => `\`${q.name.value}\``).join(', ')}`, CompletionItemKind.Module),
      );
      return { isIncomplete: false, items };
    }
    case 'query': {
      const sourceName = sourceOf(doc, ctx, path);
      const sources = [...project.symbols().sources.values()].filter((s) => sourceName === undefined || s.name.value === sourceName);
      const items = sources.flatMap((s) =>
        s.queries.map((q) => item(q.name.value, `${s.name.value}: (${typeToString(q.args.type)}) → ${typeToString(q.returns.type)}`, undefined, CompletionItemKind.Method)),
      );
      return { isIncomplete: false, items };
    }
    case 'journey': {
      if (doc.kind !== 'test') return EMPTY;
      const items = project.asts('journey').map((j) => item(j.id.value, `on ${j.trigger.event?.value ?? '?'}`, j.description, CompletionItemKind.Class));
      return { isIncomplete: false, items };
    }
    case 'partial':
      return EMPTY;
  }
}

/** The `source:` beside a `query:` being typed (from the text, which may not parse yet). */
function sourceOf(doc: DocContext, ctx: CursorContext, path: readonly PathSegment[]): string | undefined {
  const j = doc.project.currentAst(doc.rel);
  if (j?.kind === 'journey') {
    const bindings = path[0] === 'data' ? j.data : (() => {
      const s = typeof path[1] === 'number' ? j.steps[path[1]] : undefined;
      return s?.kind === 'fetch' ? s.bindings : [];
    })();
    const name = path[path.length - 2];
    const b = bindings.find((x) => x.name.value === name);
    if (b) return b.source.value;
  }
  // herald.yaml's `subject: { source, query }`, as last parsed.
  if (doc.kind === 'config') {
    const named = doc.project.config()?.subjectSource?.source.value;
    if (named) return named;
  }
  // Fall back to the line: `{ source: crm, query: |`.
  const lineStart = doc.text.lastIndexOf('\n', ctx.valueStart - 1) + 1;
  const m = /source:\s*["']?([A-Za-z_][A-Za-z0-9_]*)/.exec(doc.text.slice(lineStart, ctx.valueStart));
  return m?.[1];
}

// ---------------------------------------------------------------- expressions

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const MEMBER_CHAIN = new RegExp(`(${IDENT}(?:\\s*\\.\\s*${IDENT})*)\\s*\\.\\s*(${IDENT})?$`);
const WORD = new RegExp(`(?:^|[^A-Za-z0-9_.])(${IDENT})?$`);

/** Is the end of `text` inside a string literal? */
function inString(text: string): boolean {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
  }
  return quote !== undefined;
}

/**
 * Method-style functions that take a receiver of this type (`s.contains`, `list.join`,
 * `m.keys`): asked of the type checker itself, so completion offers exactly what checks.
 */
const methodCache = new Map<string, (typeof FUNCTIONS)[number][]>();
function methodsFor(t: Type): (typeof FUNCTIONS)[number][] {
  const key = typeToString(t);
  let found = methodCache.get(key);
  if (found) return found;
  found = FUNCTIONS.filter((f) => {
    if (f.style === 'global') return false;
    // Arguments of unknown type, as many as the function needs besides its receiver.
    const min = (f as { minArgs?: number }).minArgs ?? 1;
    const args = Array.from({ length: Math.max(0, min - 1) }, () => 'd').join(', ');
    const parsed = expr.parseExpression(`r.${f.name}(${args})`);
    if (!parsed.ast) return false;
    const { problems } = expr.checkExpression(parsed.ast, { r: t, d: T.dyn });
    return !problems.some((p) => p.code === 'type-mismatch' || p.code === 'unknown-function');
  });
  if (methodCache.size > 500) methodCache.clear();
  methodCache.set(key, found);
  return found;
}

function functionItem(f: (typeof FUNCTIONS)[number], range: Range, method: boolean): CompletionItem {
  return {
    label: f.name,
    kind: CompletionItemKind.Function,
    detail: f.signatures.join('  |  '),
    documentation: { kind: MarkupKind.Markdown, value: `${f.doc}\n\n\`\`\`\n${f.example}\n\`\`\`` },
    textEdit: { range, newText: `${f.name}($1)` },
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: `2${f.name}`,
    filterText: f.name,
    labelDetails: { description: method ? 'method' : 'function' },
  };
}

/** Expression completion from the text typed so far (`valueText`, up to the cursor). */
export function completeExpressionText(text: string, offset: number, lines: DocContext['lines'], scope: Readonly<Record<string, Type>>): CompletionList {
  if (inString(text)) return EMPTY;
  const chain = MEMBER_CHAIN.exec(text);
  if (chain) {
    const prefix = chain[2] ?? '';
    const range = lines.range(offset - prefix.length, offset);
    const names = chain[1]!.split('.').map((s) => s.trim());
    let t: Type | undefined = scope[names[0]!];
    for (const n of names.slice(1)) t = t ? memberType(t, n) : undefined;
    if (!t) return EMPTY;
    const items: CompletionItem[] = [];
    if (t.kind === 'object') {
      for (const [name, f] of Object.entries(t.fields)) {
        items.push({
          label: name,
          kind: CompletionItemKind.Field,
          detail: `${typeToString(f.type)}${f.optional ? ' (optional)' : ''}`,
          documentation: f.doc ? { kind: MarkupKind.Markdown, value: f.doc } : undefined,
          textEdit: { range, newText: name },
          sortText: `0${name}`,
        });
      }
    }
    for (const f of methodsFor(t)) items.push(functionItem(f, range, true));
    return { isIncomplete: false, items };
  }
  const word = WORD.exec(text);
  const prefix = word?.[1] ?? '';
  if (/[0-9]$/.test(text.slice(0, text.length - prefix.length)) && prefix) return EMPTY;
  const range = lines.range(offset - prefix.length, offset);
  const items: CompletionItem[] = [];
  for (const [name, t] of Object.entries(scope)) {
    items.push({ label: name, kind: CompletionItemKind.Variable, detail: typeToString(t), textEdit: { range, newText: name }, sortText: `0${name}` });
  }
  for (const f of FUNCTIONS) if (f.style !== 'method') items.push(functionItem(f, range, false));
  for (const k of ['true', 'false', 'null', 'in']) items.push({ label: k, kind: CompletionItemKind.Keyword, textEdit: { range, newText: k }, sortText: `3${k}` });
  return { isIncomplete: false, items };
}

function completeExpression(doc: DocContext, ctx: CursorContext, path: readonly PathSegment[], offset: number): CompletionList {
  const place = scopeAt(doc, path);
  return completeExpressionText(ctx.valueText, offset, doc.lines, place?.scope ?? {});
}

// ---------------------------------------------------------------- templates

function completeTemplateText(doc: DocContext, typed: string, offset: number, path: readonly PathSegment[]): CompletionList {
  const partial = /\{\{>\s*([A-Za-z0-9_-]*)$/.exec(typed);
  if (partial) {
    const ownerPath = templateOwner(doc) ?? doc.rel;
    const t = doc.project.currentAst(ownerPath);
    if (t?.kind !== 'template') return EMPTY;
    const range = doc.lines.range(offset - partial[1]!.length, offset);
    return {
      isIncomplete: false,
      items: t.partials.map((p) => ({ label: p.name.value, kind: CompletionItemKind.Snippet, detail: 'partial', documentation: p.text.text, textEdit: { range, newText: p.name.value } })),
    };
  }
  const place = scopeAt(doc, path);
  if (!place) return EMPTY;
  const r = templateLib.templateVariablesAt(typed, typed.length, place.scope);
  if (!r.candidates.length) return EMPTY;
  const range = doc.lines.range(offset - r.prefix.length, offset);
  return {
    isIncomplete: false,
    items: r.candidates.map((c, i) => ({
      label: c.name,
      kind: CompletionItemKind.Variable,
      detail: typeToString(c.type),
      documentation: place.journey ? { kind: MarkupKind.Markdown, value: `in the scope of journey \`${place.journey.id.value}\`` } : undefined,
      textEdit: { range, newText: c.name },
      sortText: String(i).padStart(4, '0'),
    })),
  };
}

export { lineStartsOf };
