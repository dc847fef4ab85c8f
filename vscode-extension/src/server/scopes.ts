/**
 * Which names an expression or template at a place may use, with their types: the same
 * scopes the type stage checks against (typecheck/check-sites.ts), taken from the focus
 * check of the file.
 */
import { T, type JourneyFile, type ProjectFileKind, type Type } from '@herald/dsl';
import type { DocContext } from './doc-context.js';
import type { SymbolKind } from './symbol-index.js';
import type { PathSegment } from './yaml-context.js';

/** The kind of name a value at `path` refers to, if it is a reference. */
export function refKindAt(kind: ProjectFileKind | undefined, path: readonly PathSegment[]): SymbolKind | undefined {
  const p = path.map((s) => (typeof s === 'number' ? '#' : s)).join('/');
  switch (kind) {
    case 'journey':
      if (p === 'trigger/event') return 'event';
      if (/^(data\/[^/]+|steps\/#\/fetch\/[^/]+)\/source$/.test(p)) return 'source';
      if (/^(data\/[^/]+|steps\/#\/fetch\/[^/]+)\/query$/.test(p)) return 'query';
      if (p === 'steps/#/send') return 'template';
      if (p === 'steps/#/policy') return 'policy';
      if (/^steps\/#\/(onEvent|onTimeout|goto|branch\/#\/(goto|else)|split\/#\/goto)$/.test(p)) return 'step';
      if (/^steps\/#\/(wait|batch|emit)\/event$/.test(p)) return 'event';
      return undefined;
    case 'policy':
      return p === 'channels/#' ? 'channel' : undefined;
    case 'test':
      return testRefKindAt(p);
    case 'config':
      if (p === 'subject/source/source') return 'source';
      if (p === 'subject/source/query') return 'query';
      return p === 'defaults/policy' ? 'policy' : undefined;
    default:
      return undefined;
  }
}

/** In a journey test file (`/`-joined path, list indexes as `#`): the names it takes from the project. */
function testRefKindAt(p: string): SymbolKind | undefined {
  const step = /^tests\/#\/steps\/#\/(.+)$/.exec(p)?.[1];
  if (step === undefined) return undefined;
  if (step === 'event/type' || step === 'events/#/type') return 'event';
  const m = /^(?:expect\/(?:sent|notSent|archive)\/#|expect\/instance|expect\/noInstance|receipt)\/(\w+)(\/#)?$/.exec(step);
  if (!m) return undefined;
  const [, key, item] = m;
  if (item !== undefined) return key === 'visited' || key === 'notVisited' ? 'step' : undefined;
  switch (key) {
    case 'template':
    case 'journey':
    case 'channel':
      return key;
    case 'step':
    case 'at':
      return 'step';
    default:
      return undefined;
  }
}

export interface PlaceScope {
  readonly scope: Readonly<Record<string, Type>>;
  /** The journey the scope is from (for templates and policies: one that sends with them). */
  readonly journey: JourneyFile | undefined;
}

/** The scope of an expression or template at `path` of the document. */
export function scopeAt(doc: DocContext, path: readonly PathSegment[]): PlaceScope | undefined {
  const scopes = doc.project.scopesOf(templateOwner(doc) ?? doc.rel);
  const first = scopes[0];
  if (!first) return undefined;
  const full = first.scope;
  if (doc.kind !== 'journey') return { scope: full, journey: first.journey };
  const j = first.journey;
  const trig = full['trigger'] ?? T.dyn;
  const at = (s: string) => path[0] === 'steps' && path[2] === s;
  if (path[0] === 'trigger' && (path[1] === 'subject' || path[1] === 'key')) return { scope: { event: trig }, journey: j };
  if (path[0] === 'trigger') return { scope: { event: trig, subject: full['subject'] ?? T.dyn }, journey: j };
  if (path[0] === 'data') return { scope: pick(full, ['trigger', 'subject', 'journey']), journey: j };
  if ((at('wait') || at('batch')) && path[3] === 'match') {
    const step = typeof path[1] === 'number' ? j.steps[path[1]] : undefined;
    const name = step?.kind === 'wait' && step.wait.mode === 'event' ? step.wait.event.value : step?.kind === 'batch' ? step.event.value : undefined;
    const event = name === undefined ? T.dyn : (doc.project.symbols().events.get(name)?.type.type ?? T.dyn);
    return { scope: { ...full, event }, journey: j };
  }
  return { scope: full, journey: j };
}

function pick(scope: Readonly<Record<string, Type>>, names: readonly string[]): Record<string, Type> {
  const out: Record<string, Type> = {};
  for (const n of names) if (scope[n]) out[n] = scope[n];
  return out;
}

/** For a file a template includes with `file:` (an HTML body), the template that includes it. */
export function templateOwner(doc: DocContext): string | undefined {
  if (doc.kind !== undefined) return undefined;
  for (const t of doc.project.asts('template')) {
    const included = t.variants.some((v) => v.fields.some((f) => f.text.fromFile === doc.rel)) || t.partials.some((p) => p.text.fromFile === doc.rel);
    if (included) return t.file;
  }
  return undefined;
}
