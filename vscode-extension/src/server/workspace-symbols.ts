/**
 * Go to Symbol in Workspace (`workspace/symbol`) and the highlights of a name in its file
 * (`textDocument/documentHighlight`), from the same occurrences find references reads
 * (symbol-index.ts): every journey, step, template, policy, event, channel, source, query and
 * partial the open projects define, and every place of the name under the cursor in this file.
 */
import type { ProjectFile } from '@herald/dsl';
import { DocumentHighlightKind, SymbolKind as LspSymbolKind, type DocumentHighlight, type SymbolInformation } from 'vscode-languageserver';
import { innerSpan, uriOf, type DocContext } from './doc-context.js';
import { LineIndex } from './positions.js';
import type { HeraldProject } from './project-host.js';
import { symbolOccurrences } from './references.js';
import { occurrences, type SymbolKind } from './symbol-index.js';
import { variableAt, variableOccurrences } from './variable-symbols.js';

const LSP_KIND: Readonly<Record<SymbolKind, LspSymbolKind>> = {
  journey: LspSymbolKind.Class,
  step: LspSymbolKind.Method,
  template: LspSymbolKind.File,
  policy: LspSymbolKind.Object,
  event: LspSymbolKind.Event,
  channel: LspSymbolKind.Interface,
  source: LspSymbolKind.Package,
  query: LspSymbolKind.Function,
  partial: LspSymbolKind.Field,
};

/** Whether the query's characters appear in the name in order, ignoring case (what editors match symbols by). */
export function fuzzyMatches(name: string, query: string): boolean {
  const n = name.toLowerCase();
  let at = 0;
  for (const c of query.toLowerCase()) {
    if (c === ' ') continue;
    at = n.indexOf(c, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** At most `limit` definitions matching the query, in file order; an empty query matches all. */
export function workspaceSymbols(projects: Iterable<HeraldProject>, query: string, limit = 1_000): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const project of projects) {
    const files: ProjectFile[] = [...project.asts('config'), ...project.asts('journey'), ...project.asts('template'), ...project.asts('policy')];
    for (const ast of files) {
      const text = project.texts.get(ast.file);
      if (text === undefined) continue;
      let lines: LineIndex | undefined;
      for (const o of occurrences(ast)) {
        if (!o.def || !fuzzyMatches(o.name, query)) continue;
        lines ??= new LineIndex(text);
        const inner = innerSpan(text, o.span);
        out.push({
          name: o.name,
          kind: LSP_KIND[o.kind],
          location: { uri: uriOf(project.root, ast.file), range: lines.range(inner.start, inner.end) },
          containerName: containerOf(ast, o.kind, o.container),
        });
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}

/** What the outline shows a name inside: a step's journey, a query's source, a partial's template; else its kind. */
function containerOf(ast: ProjectFile, kind: SymbolKind, container: string): string {
  if ((kind === 'step' || kind === 'partial') && (ast.kind === 'journey' || ast.kind === 'template')) return `${ast.kind} ${ast.id.value}`;
  if (kind === 'query') return `source ${container}`;
  return kind;
}

/** The places in this file of the name under the cursor: its definition as a write, its uses as reads. */
export function documentHighlights(doc: DocContext, offset: number): DocumentHighlight[] {
  const found = symbolOccurrences(doc, offset);
  const variable = found ? undefined : variableAt(doc, offset);
  const all = found?.all ?? (variable ? variableOccurrences(doc, variable).spans : []);
  return all
    .filter((s) => s.file === doc.rel)
    .map((s) => {
      const inner = innerSpan(doc.text, s);
      return { range: doc.lines.range(inner.start, inner.end), kind: s.def ? DocumentHighlightKind.Write : DocumentHighlightKind.Read };
    });
}
