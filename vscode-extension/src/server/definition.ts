/**
 * Go to definition: from a `send:` to its template, from a `policy:` to its policy, from a
 * `goto:`/`onEvent:`/branch target to the step, from an event, source, query or channel name
 * to its declaration in herald.yaml, from `{{> partial}}` to the partial, from a template's
 * `file:` to the included file, from the names a journey test file takes from the project, and
 * from a name or field an expression or template uses to its declaration (name-definition.ts).
 */
import { posix } from 'node:path';
import type { Location } from 'vscode-languageserver';
import type { DocContext } from './doc-context.js';
import { innerSpan, projectFileText, uriOf } from './doc-context.js';
import { LineIndex } from './positions.js';
import { occurrenceAt, occurrences, type SymbolOccurrence } from './symbol-index.js';
import { nameDefinitions } from './name-definition.js';
import { nameChainAt } from './names-at.js';
import { scopeAt } from './scopes.js';
import { fileOccurrences } from './test-file-symbols.js';
import { treeAt } from './yaml-context.js';

export interface FileSpan {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  /** A definition (rather than a reference), where the caller tells them apart. */
  readonly def?: boolean;
}

/** Where a symbol is defined (several places when it is defined twice: the compiler keeps the first). */
export function findDefinitions(doc: DocContext, occ: Pick<SymbolOccurrence, 'kind' | 'name' | 'container'>): FileSpan[] {
  const project = doc.project;
  const from = (list: readonly SymbolOccurrence[]) =>
    list.filter((o) => o.def && o.kind === occ.kind && o.name === occ.name && o.container === occ.container).map((o) => o.span);
  switch (occ.kind) {
    case 'template':
      return project.asts('template').flatMap((t) => (t.id.value === occ.name ? [t.id.span] : []));
    case 'policy':
      return project.asts('policy').flatMap((p) => (p.id.value === occ.name ? [p.id.span] : []));
    case 'journey':
      return project.asts('journey').flatMap((j) => (j.id.value === occ.name ? [j.id.span] : []));
    case 'step':
    case 'partial': {
      const ast = project.ast(occ.container);
      return ast ? from(occurrences(ast)) : [];
    }
    case 'event':
    case 'channel':
    case 'source':
    case 'query': {
      const cfg = project.config();
      return cfg ? from(occurrences(cfg)) : [];
    }
  }
}

export function toLocation(doc: DocContext, span: FileSpan): Location {
  const text = projectFileText(doc, span.file) ?? '';
  const lines = span.file === doc.rel ? doc.lines : new LineIndex(text);
  const inner = innerSpan(text, span);
  return { uri: uriOf(doc.project.root, span.file), range: lines.range(inner.start, inner.end) };
}

export function definition(doc: DocContext, offset: number): Location[] {
  const here = fileOccurrences(doc.project, doc.rel);
  const occ = here ? occurrenceAt(here, offset) : undefined;
  if (occ) {
    const spans = occ.def ? [occ.span] : findDefinitions(doc, occ);
    return spans.map((s) => toLocation(doc, s));
  }
  const named = nameDefinitionsAt(doc, offset);
  if (named.length > 0) return named.map((s) => toLocation(doc, s));
  // A template's `file: body.html`: open the file.
  if (doc.kind === 'template') {
    const root = doc.tree();
    const hit = root && treeAt(root, offset);
    if (hit && !hit.entry && hit.path[hit.path.length - 1] === 'file' && hit.node.kind === 'scalar' && typeof hit.node.value === 'string') {
      const rel = posix.normalize(posix.join(posix.dirname(doc.rel), hit.node.value));
      return [{ uri: uriOf(doc.project.root, rel), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }];
    }
  }
  return [];
}

/** The declaration of the name or field under the cursor in an expression or a template tag. */
function nameDefinitionsAt(doc: DocContext, offset: number): FileSpan[] {
  const at = nameChainAt(doc, offset);
  return at ? nameDefinitions(doc, scopeAt(doc, at.path)?.journey, at.path, at.chain) : [];
}
