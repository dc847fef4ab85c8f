/**
 * Document symbols (the outline): a journey's trigger, data and steps; a template's partials
 * and variants; a policy's settings; herald.yaml's channels, sources with their queries, and
 * events. Read from the AST, so the outline names steps the way the compiler does (`#3`).
 */
import type { ProjectFile, Span, Step } from '@herald/dsl';
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { DocContext } from './doc-context.js';

function sym(doc: DocContext, name: string, kind: SymbolKind, span: Span, selection: Span, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  const range = doc.lines.spanRange(span);
  let sel = doc.lines.spanRange(selection);
  // The selection must lie inside the range.
  if (selection.start < span.start || selection.end > span.end) sel = range;
  return { name: name || '(unnamed)', kind, range, selectionRange: sel, detail, children };
}

/** One line saying what a step does: `send payment-reminder via dunning`. */
export function stepDetail(s: Step): string {
  switch (s.kind) {
    case 'send':
      return `send ${s.template.value}${s.policy ? ` via ${s.policy.value}` : ''}`;
    case 'wait':
      return s.wait.mode === 'event' ? `wait for ${s.wait.event.value}` : s.wait.mode === 'until' ? `wait until ${s.wait.until.text}` : 'wait';
    case 'branch':
      return `branch (${s.arms.length} ${s.arms.length === 1 ? 'arm' : 'arms'}${s.otherwise ? ' + else' : ''})`;
    case 'split':
      return `split ${s.arms.map((a) => a.weight.value).join('/')}`;
    case 'set':
      return `set ${s.vars.map((v) => v.name.value).join(', ')}`;
    case 'fetch':
      return `fetch ${s.bindings.map((b) => b.name.value).join(', ')}`;
    case 'batch':
      return `batch ${s.event.value}`;
    case 'emit':
      return `emit ${s.event.value}`;
    case 'goto':
      return `goto ${s.target.value}`;
    case 'exit':
      return `exit: ${s.reason.value}`;
  }
}

const STEP_SYMBOL: Record<Step['kind'], SymbolKind> = {
  send: SymbolKind.Event,
  wait: SymbolKind.Event,
  branch: SymbolKind.Operator,
  split: SymbolKind.Operator,
  set: SymbolKind.Variable,
  fetch: SymbolKind.Variable,
  batch: SymbolKind.Event,
  emit: SymbolKind.Event,
  goto: SymbolKind.Operator,
  exit: SymbolKind.Null,
};

export function documentSymbols(doc: DocContext): DocumentSymbol[] {
  const ast: ProjectFile | undefined = doc.project.ast(doc.rel);
  if (!ast || ast.file !== doc.rel) return [];
  switch (ast.kind) {
    case 'journey': {
      const children: DocumentSymbol[] = [
        sym(doc, 'trigger', SymbolKind.Event, ast.trigger.span, ast.trigger.event.span, ast.trigger.event.value),
        ...ast.data.map((b) => sym(doc, b.name.value, SymbolKind.Variable, b.span, b.name.span, `${b.source.value}.${b.query.value}`)),
        ...ast.steps.map((s) => sym(doc, s.key, STEP_SYMBOL[s.kind], s.span, s.id?.span ?? s.kindSpan, stepDetail(s))),
      ];
      return [sym(doc, ast.id.value, SymbolKind.Module, ast.span, ast.id.span, 'journey', children)];
    }
    case 'template': {
      const children: DocumentSymbol[] = [
        ...ast.partials.map((p) => sym(doc, p.name.value, SymbolKind.String, p.name.span, p.name.span, 'partial')),
        ...ast.variants.map((v) =>
          sym(doc, `${v.channel.value} / ${v.locale.value}`, SymbolKind.Object, { ...v.span, start: Math.min(v.span.start, v.locale.span.start) }, v.locale.span, v.fields.map((f) => f.name.value).join(', ')),
        ),
      ];
      return [sym(doc, ast.id.value, SymbolKind.File, ast.span, ast.id.span, 'template', children)];
    }
    case 'policy': {
      const children: DocumentSymbol[] = [];
      const add = (name: string, span: Span | undefined, detail: string) => {
        if (span) children.push(sym(doc, name, SymbolKind.Property, span, span, detail));
      };
      if (ast.channels.length) {
        const first = ast.channels[0]!.span;
        const last = ast.channels[ast.channels.length - 1]!.span;
        add('channels', { file: first.file, start: first.start, end: last.end }, ast.channels.map((c) => c.value).join(' → '));
      }
      add('failover', ast.failover?.span, ast.failover?.on.map((o) => o.value).join(', ') ?? '');
      add('retry', ast.retry?.span, ast.retry ? `${ast.retry.attempts.value} attempts` : '');
      add('quietHours', ast.quietHours?.span, ast.quietHours ? `${ast.quietHours.from.value}–${ast.quietHours.to.value}` : '');
      add('frequencyCap', ast.frequencyCap?.span, ast.frequencyCap ? `max ${ast.frequencyCap.max.value}` : '');
      add('dedupe', ast.dedupe?.span, ast.dedupe?.key.text ?? '');
      return [sym(doc, ast.id.value, SymbolKind.Module, ast.span, ast.id.span, 'policy', children)];
    }
    case 'config': {
      const out: DocumentSymbol[] = [];
      for (const c of ast.channels) out.push(sym(doc, c.name.value, SymbolKind.Interface, c.span.start <= c.name.span.start ? c.span : { ...c.span, start: c.name.span.start }, c.name.span, `channel: ${c.use.value}`));
      for (const s of ast.sources) {
        const queries = s.queries.map((q) => sym(doc, q.name.value, SymbolKind.Method, q.span.start <= q.name.span.start ? q.span : { ...q.span, start: q.name.span.start }, q.name.span, 'query'));
        out.push(sym(doc, s.name.value, SymbolKind.Module, s.span.start <= s.name.span.start ? s.span : { ...s.span, start: s.name.span.start }, s.name.span, `source: ${s.use.value}`, queries));
      }
      for (const e of ast.events) out.push(sym(doc, e.name.value, SymbolKind.Event, e.span.start <= e.name.span.start ? e.span : { ...e.span, start: e.name.span.start }, e.name.span, 'event'));
      return [sym(doc, ast.project.value, SymbolKind.Package, ast.span, ast.project.span, 'project', out)];
    }
  }
}
