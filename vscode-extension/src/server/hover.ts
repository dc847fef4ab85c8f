/**
 * Hover: the schema's documentation on keys, what a reference points at (a template's
 * variants, a policy's channels, an event's fields, a step), and types inside expressions
 * and `{{templates}}`.
 */
import {
  expr,
  FUNCTIONS,
  resolvePluginManifest,
  template as templateLib,
  typeToString,
  indexInText,
  spanInText,
  type SourceText,
  type Type,
} from '@herald/dsl';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { DocContext } from './doc-context.js';
import { description, fileSchema, pluginSchemaAt, schemaAt, valueSummary, type Schema } from './schema-nav.js';
import { scopeAt, templateOwner } from './scopes.js';
import { findDefinitions } from './definition.js';
import { occurrenceAt, type SymbolOccurrence } from './symbol-index.js';
import { fileOccurrences } from './test-file-symbols.js';
import { placedTextAt, placedTexts } from './ast-texts.js';
import { keyAt, type PathSegment } from './yaml-context.js';

function md(value: string, range?: { start: number; end: number }, doc?: DocContext): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: range && doc ? doc.lines.range(range.start, range.end) : undefined };
}

export function hover(doc: DocContext, offset: number): Hover | null {
  if (doc.kind === undefined) {
    const owner = templateOwner(doc);
    return owner ? templateHover(doc, { text: doc.text, span: { file: doc.rel, start: 0, end: doc.text.length }, offsets: undefined }, offset, []) : null;
  }
  const here = fileOccurrences(doc.project, doc.rel);
  const occ = here ? occurrenceAt(here, offset) : undefined;
  if (occ) {
    const h = describeSymbol(doc, occ);
    if (h) return md(h, occ.span, doc);
  }
  const ast = doc.project.ast(doc.rel);
  if (ast) {
    const placed = placedTextAt(placedTexts(ast), doc.rel, offset);
    if (placed) return placed.kind === 'expression' ? expressionHover(doc, placed.text, offset, placed.path) : templateHover(doc, placed.text, offset, placed.path);
    if (ast.kind === 'config') {
      const use = [...ast.channels, ...ast.sources].find((d) => d.use.span.start <= offset && offset <= d.use.span.end);
      if (use) return pluginHover(doc, use.use.value, use.use.span);
    }
  }
  const key = keyAt(doc.text, offset, doc.lines.lineStarts);
  return key ? keyHover(doc, key) : null;
}

function schemaAtPath(doc: DocContext, path: readonly PathSegment[], siblings: readonly string[]): Schema | undefined {
  if (doc.kind === 'config') {
    const plugin = pluginSchemaAt(doc.project.config(), path, doc.project.root, doc.project.workspaceRead, doc.project.pluginRoots);
    if (plugin) return schemaAt(plugin.schema, plugin.rest);
  }
  return schemaAt(fileSchema(doc.kind!), path, (depth) => (depth === path.length - 1 ? siblings : []));
}

function keyHover(doc: DocContext, key: { path: PathSegment[]; start: number; end: number; siblings: readonly string[] }): Hover | null {
  const name = String(key.path[key.path.length - 1]);
  const s = schemaAtPath(doc, key.path, key.siblings);
  if (!s) return null;
  const parts = [`**${name}**${typeof s['title'] === 'string' && s['title'] !== name ? ` — ${s['title']}` : ''}`];
  const d = description(s);
  if (d) parts.push(d);
  const summary = valueSummary(s);
  if (summary) parts.push(`_Value:_ ${summary}`);
  return md(parts.join('\n\n'), key, doc);
}

function pluginHover(doc: DocContext, use: string, span: { start: number; end: number }): Hover {
  const m = resolvePluginManifest(use, doc.project.root, doc.project.workspaceRead, doc.project.pluginRoots);
  const text = m.ok
    ? [`**${m.manifest.name}** ${m.manifest.version ?? ''} — ${m.manifest.kind}${m.manifest.message ? ` (\`${m.manifest.message}\` messages)` : ''}`, m.manifest.description ?? '', `\`${m.path}\``]
    : [m.reason];
  return md(text.filter(Boolean).join('\n\n'), span, doc);
}

/** Index into the scalar's text of a file offset. */
function indexIn(st: SourceText, offset: number): number | undefined {
  return indexInText(st, offset);
}

function fileSpan(st: SourceText, start: number, end: number): { start: number; end: number } | undefined {
  if (st.base === undefined && !st.offsets) return undefined;
  const s = spanInText(st, start, end);
  return { start: s.start, end: s.end };
}

function expressionHover(doc: DocContext, st: SourceText, offset: number, path: readonly PathSegment[]): Hover | null {
  const idx = indexIn(st, offset);
  if (idx === undefined) return null;
  const parsed = expr.parseExpression(st.text);
  if (!parsed.ast) return null;
  const place = scopeAt(doc, path);
  const { checked } = expr.checkExpression(parsed.ast, place?.scope ?? {});
  const nodes = expr.nodesAt(parsed.ast, idx);
  const node = nodes[nodes.length - 1];
  if (!node) return null;
  const typeOf = (n: expr.ExprNode): Type | undefined => checked.nodeTypes.get(n);
  const at = (start: number, end: number) => fileSpan(st, start, end);
  switch (node.kind) {
    case 'call': {
      if (idx < node.nameStart || idx > node.nameEnd) break;
      const f = FUNCTIONS.find((x) => x.name === node.name);
      if (!f) return null;
      return md(['```\n' + f.signatures.join('\n') + '\n```', f.doc, `_Example:_ \`${f.example}\``].join('\n\n'), at(node.nameStart, node.nameEnd), doc);
    }
    case 'member': {
      if (idx < node.nameStart) break;
      const t = typeOf(node);
      const owner = typeOf(node.object);
      const field = owner?.kind === 'object' ? owner.fields[node.name] : undefined;
      const text = st.text.slice(node.start, node.nameEnd);
      return md(typeLine(text, t, field?.optional) + (field?.doc ? `\n\n${field.doc}` : ''), at(node.nameStart, node.nameEnd), doc);
    }
    case 'ident': {
      const t = typeOf(node) ?? place?.scope[node.name];
      return md(typeLine(node.name, t) + (place?.journey && doc.kind !== 'journey' ? `\n\n_in the scope of journey \`${place.journey.id.value}\`_` : ''), at(node.start, node.end), doc);
    }
    default:
      break;
  }
  const t = typeOf(node);
  return t ? md(typeLine(st.text.slice(node.start, node.end), t), at(node.start, node.end), doc) : null;
}

function typeLine(text: string, t: Type | undefined, optional = false): string {
  return '```\n' + `${text}: ${t ? typeToString(t) : 'unknown'}${optional ? ' (optional)' : ''}` + '\n```';
}

function templateHover(doc: DocContext, st: SourceText, offset: number, path: readonly PathSegment[]): Hover | null {
  const idx = st.offsets || st.base !== undefined ? indexIn(st, offset) : offset;
  if (idx === undefined) return null;
  const tag = templateLib.scanTemplate(st.text).tags.find((t) => t.start <= idx && idx <= t.end);
  if (!tag) return null;
  const span = st.offsets || st.base !== undefined ? fileSpan(st, tag.start, tag.end) : { start: tag.start, end: tag.end };
  if (tag.kind === 'partial') {
    const owner = doc.project.ast(templateOwner(doc) ?? doc.rel);
    const p = owner?.kind === 'template' ? owner.partials.find((x) => x.name.value === tag.path) : undefined;
    return p ? md(`**partial** \`${tag.path}\`\n\n\`\`\`\n${p.text.text}\n\`\`\``, span, doc) : null;
  }
  if (tag.kind === 'comment') return null;
  const place = scopeAt(doc, path);
  if (!place) return null;
  // The type of the segment under the cursor: complete at its end and take the matching name.
  const rel = idx - tag.start;
  const segEnd = tag.path.indexOf('.', rel) < 0 ? tag.path.length : tag.path.indexOf('.', rel);
  const segStart = tag.path.lastIndexOf('.', Math.max(0, rel - 1)) + 1;
  const segment = tag.path.slice(segStart, segEnd);
  const r = templateLib.templateVariablesAt(st.text, tag.start + segEnd, place.scope);
  const c = r.candidates.find((x) => x.name === segment);
  if (!c) return null;
  const segSpan = st.offsets || st.base !== undefined ? fileSpan(st, tag.start + segStart, tag.start + segEnd) : { start: tag.start + segStart, end: tag.start + segEnd };
  return md(
    typeLine(tag.path.slice(0, segEnd), c.type) + (place.journey ? `\n\n_in the scope of journey \`${place.journey.id.value}\`_` : ''),
    segSpan,
    doc,
  );
}

/** Markdown describing what a reference or definition names. */
export function describeSymbol(doc: DocContext, occ: SymbolOccurrence): string | undefined {
  const sym = doc.project.symbols();
  switch (occ.kind) {
    case 'template': {
      const t = sym.templates.get(occ.name);
      if (!t) return `**template** \`${occ.name}\` — not defined in this project`;
      const variants = t.variants.map((v) => `| ${v.channel.value} | ${v.locale.value} | ${v.fields.map((f) => f.name.value).join(', ')} |`);
      return [`**template** \`${t.id.value}\` — \`${t.file}\``, t.description ?? '', variants.length ? `| channel | locale | fields |\n|---|---|---|\n${variants.join('\n')}` : '']
        .filter(Boolean)
        .join('\n\n');
    }
    case 'policy': {
      const p = sym.policies.get(occ.name);
      if (!p) return `**policy** \`${occ.name}\` — not defined in this project`;
      const lines = [
        `channels: ${p.channels.map((c) => `\`${c.value}\``).join(' → ')}${p.order ? ` (ordered by \`${p.order.text}\`)` : ''}`,
        p.retry ? `retry: ${p.retry.attempts.value} attempts${p.retry.backoff ? `, ${p.retry.backoff.value}` : ''}` : '',
        p.failover ? `failover on: ${p.failover.on.map((o) => o.value).join(', ')}` : '',
        p.quietHours ? `quiet hours: ${p.quietHours.from.value}–${p.quietHours.to.value}` : '',
      ].filter(Boolean);
      return [`**policy** \`${p.id.value}\` — \`${p.file}\``, p.description ?? '', lines.map((l) => `- ${l}`).join('\n')].filter(Boolean).join('\n\n');
    }
    case 'step': {
      const j = doc.project.ast(occ.container);
      const s = j?.kind === 'journey' ? j.steps.find((x) => x.key === occ.name) : undefined;
      if (!s) return `**step** \`${occ.name}\` — no step of this journey has this id`;
      const what = (() => {
        switch (s.kind) {
          case 'send':
            return `send \`${s.template.value}\`${s.policy ? ` via \`${s.policy.value}\`` : ''}`;
          case 'wait':
            return s.wait.mode === 'event' ? `wait for \`${s.wait.event.value}\`` : 'wait';
          case 'goto':
            return `goto \`${s.target.value}\``;
          case 'exit':
            return `exit: ${s.reason.value}`;
          case 'emit':
            return `emit \`${s.event.value}\``;
          default:
            return s.kind;
        }
      })();
      return `**step** \`${s.key}\` (step ${s.index + 1} of ${j?.kind === 'journey' ? j.steps.length : '?'}) — ${what}`;
    }
    case 'event': {
      const e = sym.events.get(occ.name);
      if (!e) return `**event** \`${occ.name}\` — not declared under \`events:\` in herald.yaml`;
      return [`**event** \`${e.name.value}\``, e.description ?? '', '```\n' + prettyType(e.type.type) + '\n```'].filter(Boolean).join('\n\n');
    }
    case 'channel': {
      const c = sym.channels.get(occ.name);
      return c ? `**channel** \`${c.name.value}\` — \`${c.use.value}\`` : `**channel** \`${occ.name}\` — not declared in herald.yaml`;
    }
    case 'source': {
      const s = sym.sources.get(occ.name);
      return s ? `**source** \`${s.name.value}\` — \`${s.use.value}\`\n\nqueries: ${s.queries.map((q) => `\`${q.name.value}\``).join(', ')}` : undefined;
    }
    case 'query': {
      const q = sym.sources.get(occ.container)?.queries.find((x) => x.name.value === occ.name);
      return q ? `**query** \`${occ.container}.${q.name.value}\`\n\n\`\`\`\n(${typeToString(q.args.type)}) -> ${prettyType(q.returns.type)}\n\`\`\`` : undefined;
    }
    case 'journey': {
      const j = sym.journeys.get(occ.name) ?? (() => {
        const a = doc.project.ast(doc.rel);
        return a?.kind === 'journey' ? a : undefined;
      })();
      return j ? [`**journey** \`${j.id.value}\` — triggered by \`${j.trigger.event.value}\`, ${j.steps.length} steps`, j.description ?? ''].filter(Boolean).join('\n\n') : undefined;
    }
    case 'partial': {
      const d = findDefinitions(doc, occ)[0];
      return d ? `**partial** \`${occ.name}\`` : `**partial** \`${occ.name}\` — not defined in this template`;
    }
  }
}

/** A type spelled over several lines when it is an object with fields. */
export function prettyType(t: Type, indent = ''): string {
  if (t.kind !== 'object') return typeToString(t);
  const inner = indent + '  ';
  const fields = Object.entries(t.fields).map(([k, f]) => `${inner}${k}${f.optional ? '?' : ''}: ${prettyType(f.type, inner)}`);
  return fields.length ? `{\n${fields.join('\n')}\n${indent}}` : '{}';
}
