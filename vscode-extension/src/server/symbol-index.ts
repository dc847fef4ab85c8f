/**
 * Every name a file defines or refers to, with its span, read from the compiler's AST:
 * what go to definition, find references, rename and hover work from.
 */
import {
  spanInText,
  template as templateLib,
  type ConfigFile,
  type JourneyFile,
  type Located,
  type PolicyFile,
  type ProjectFile,
  type Span,
  type TemplateFile,
} from '@herald/dsl';

export type SymbolKind = 'journey' | 'template' | 'policy' | 'step' | 'event' | 'channel' | 'source' | 'query' | 'partial';

export interface SymbolOccurrence {
  readonly kind: SymbolKind;
  readonly name: string;
  /**
   * What the name is unique within: the journey file for steps, the source for queries,
   * the template file for partials; '' for project-wide names.
   */
  readonly container: string;
  readonly span: Span;
  readonly def: boolean;
}

export function symbolKey(o: Pick<SymbolOccurrence, 'kind' | 'name' | 'container'>): string {
  return `${o.kind}\0${o.container}\0${o.name}`;
}

/** The occurrences in one file's AST. */
export function occurrences(ast: ProjectFile): SymbolOccurrence[] {
  switch (ast.kind) {
    case 'journey':
      return journeyOccurrences(ast);
    case 'template':
      return templateOccurrences(ast);
    case 'policy':
      return policyOccurrences(ast);
    case 'config':
      return configOccurrences(ast);
  }
}

function occ(kind: SymbolKind, l: Located<string> | undefined, def: boolean, container = ''): SymbolOccurrence[] {
  return l ? [{ kind, name: l.value, container, span: l.span, def }] : [];
}

function journeyOccurrences(j: JourneyFile): SymbolOccurrence[] {
  const out: SymbolOccurrence[] = [...occ('journey', j.id, true), ...occ('event', j.trigger.event, false)];
  const step = (l: Located<string> | undefined, def = false) => occ('step', l, def, j.file);
  const bindings = (bs: JourneyFile['data']) => {
    for (const b of bs) out.push(...occ('source', b.source, false), ...occ('query', b.query, false, b.source.value));
  };
  bindings(j.data);
  for (const s of j.steps) {
    out.push(...step(s.id, true));
    switch (s.kind) {
      case 'send':
        out.push(...occ('template', s.template, false), ...occ('policy', s.policy, false));
        break;
      case 'wait':
        if (s.wait.mode === 'event') out.push(...occ('event', s.wait.event, false));
        out.push(...step(s.onEvent), ...step(s.onTimeout));
        break;
      case 'branch':
        for (const a of s.arms) out.push(...step(a.goto));
        out.push(...step(s.otherwise));
        break;
      case 'split':
        for (const a of s.arms) out.push(...step(a.goto));
        break;
      case 'goto':
        out.push(...step(s.target));
        break;
      case 'fetch':
        bindings(s.bindings);
        break;
      case 'batch':
      case 'emit':
        out.push(...occ('event', s.event, false));
        break;
      case 'set':
      case 'exit':
        break;
    }
  }
  return out;
}

function templateOccurrences(t: TemplateFile): SymbolOccurrence[] {
  const out: SymbolOccurrence[] = [...occ('template', t.id, true)];
  for (const p of t.partials) out.push(...occ('partial', p.name, true, t.file));
  const texts = [...t.partials.map((p) => p.text), ...t.variants.flatMap((v) => v.fields.map((f) => f.text))];
  for (const text of texts) {
    if (text.fromFile !== undefined || (!text.offsets && text.base === undefined)) continue;
    for (const tag of templateLib.scanTemplate(text.text).tags) {
      if (tag.kind !== 'partial') continue;
      out.push({ kind: 'partial', name: tag.path, container: t.file, span: spanInText(text, tag.start, tag.end), def: false });
    }
  }
  return out;
}

function policyOccurrences(p: PolicyFile): SymbolOccurrence[] {
  return [...occ('policy', p.id, true), ...p.channels.flatMap((c) => occ('channel', c, false))];
}

function configOccurrences(c: ConfigFile): SymbolOccurrence[] {
  const out: SymbolOccurrence[] = [...occ('policy', c.defaults.policy, false)];
  for (const ch of c.channels) out.push(...occ('channel', ch.name, true));
  for (const s of c.sources) {
    out.push(...occ('source', s.name, true));
    for (const q of s.queries) out.push(...occ('query', q.name, true, s.name.value));
  }
  for (const e of c.events) out.push(...occ('event', e.name, true));
  return out;
}

/** The occurrence under the cursor (the innermost when spans nest). */
export function occurrenceAt(list: readonly SymbolOccurrence[], offset: number): SymbolOccurrence | undefined {
  let best: SymbolOccurrence | undefined;
  for (const o of list) {
    if (o.span.start <= offset && offset <= o.span.end && (!best || o.span.end - o.span.start < best.span.end - best.span.start)) best = o;
  }
  return best;
}

/** The files that may hold occurrences of a symbol of this kind. */
export function kindsOfFilesFor(kind: SymbolKind): readonly ProjectFile['kind'][] {
  switch (kind) {
    case 'journey':
      return ['journey'];
    case 'template':
      return ['template', 'journey'];
    case 'policy':
      return ['policy', 'journey', 'config'];
    case 'step':
      return ['journey'];
    case 'event':
    case 'source':
    case 'query':
      return ['config', 'journey'];
    case 'channel':
      return ['config', 'policy'];
    case 'partial':
      return ['template'];
  }
}
