/**
 * The names a test file takes from the project (journeys, their steps, templates, channels,
 * data-source queries, event types), checked against the compiled graph before anything runs. A misspelt
 * name in `sent:` or `instance:` would otherwise fail only after the whole run, as "found
 * none", and in `notSent:` or `notVisited:` it would pass without checking anything.
 */
import { didYouMeanHint } from '../diagnostics/did-you-mean.js';
import type { GraphIR, JourneyIR } from '../lower/ir.js';

export type ProjectReference =
  | { readonly kind: 'journey' | 'template' | 'channel' | 'query' | 'event'; readonly name: string }
  /** A step of `journey`, or of any journey when it names none; `send-step`: one that sends (what a message or delivery comes from). */
  | { readonly kind: 'step' | 'send-step'; readonly name: string; readonly journey?: string };

export interface ReferenceProblem<R> {
  readonly ref: R;
  readonly code: 'unknown-journey' | 'unknown-step' | 'not-a-send-step' | 'unknown-template' | 'unknown-channel' | 'unknown-query' | 'unknown-event';
  readonly message: string;
  readonly hint?: string;
}

/** Long lists are cut: the hint should fit on a screen. */
const MAX_LISTED = 12;

function listed(label: string, names: readonly string[]): string {
  if (names.length === 0) return `${label}: none`;
  const shown = names.slice(0, MAX_LISTED).map((n) => `\`${n}\``);
  return `${label}: ${shown.join(', ')}${names.length > MAX_LISTED ? `, ... (${names.length} in all)` : ''}`;
}

const hintFor = (name: string, names: readonly string[], label: string) => didYouMeanHint(name, names) ?? listed(label, names);

export function referenceProblems<R extends ProjectReference>(graph: GraphIR, refs: readonly R[]): ReferenceProblem<R>[] {
  const journeys = new Map(graph.journeys.map((j) => [j.id, j]));
  const queries = Object.entries(graph.sources).flatMap(([source, def]) => Object.keys(def.queries).map((q) => `${source}.${q}`));
  const named: Record<'journey' | 'template' | 'channel' | 'query' | 'event', { names: readonly string[]; what: string; plural: string; code: ReferenceProblem<R>['code'] }> = {
    journey: { names: [...journeys.keys()], what: 'journey', plural: 'journeys', code: 'unknown-journey' },
    template: { names: Object.keys(graph.templates), what: 'template', plural: 'templates', code: 'unknown-template' },
    channel: { names: Object.keys(graph.channels), what: 'channel', plural: 'channels', code: 'unknown-channel' },
    query: { names: queries, what: 'query', plural: 'queries', code: 'unknown-query' },
    event: { names: Object.keys(graph.events), what: 'declared event type', plural: 'event types', code: 'unknown-event' },
  };
  const out: ReferenceProblem<R>[] = [];
  for (const ref of refs) {
    if (ref.kind === 'step' || ref.kind === 'send-step') {
      const problem = stepProblem(ref, journeys, graph.journeys);
      if (problem) out.push({ ref, ...problem });
      continue;
    }
    const { names, what, plural, code } = named[ref.kind];
    if (!names.includes(ref.name)) out.push({ ref, code, message: `\`${ref.name}\` is not a ${what} of this project`, hint: hintFor(ref.name, names, `its ${plural}`) });
  }
  return out;
}

function stepProblem(
  ref: Extract<ProjectReference, { kind: 'step' | 'send-step' }>,
  byId: ReadonlyMap<string, JourneyIR>,
  all: readonly JourneyIR[],
): Omit<ReferenceProblem<never>, 'ref'> | undefined {
  let journeys = all;
  if (ref.journey !== undefined) {
    const j = byId.get(ref.journey);
    // An unknown journey is reported as such; its steps cannot be looked up.
    if (!j) return undefined;
    journeys = [j];
  }
  const where = journeys.length === 1 ? `journey ${journeys[0]!.id}` : 'any journey';
  const nodes = journeys.flatMap((j) => j.nodes);
  const ids = [...new Set(nodes.map((n) => n.id))];
  if (!ids.includes(ref.name)) {
    // Steps without an id get `#n` from the compiler: nobody means those by a typo.
    const named = ids.filter((id) => !id.startsWith('#'));
    return { code: 'unknown-step', message: `\`${ref.name}\` is not a step of ${where}`, hint: hintFor(ref.name, named, `steps of ${where}`) };
  }
  if (ref.kind === 'step' || nodes.some((n) => n.id === ref.name && n.kind === 'send')) return undefined;
  const kind = nodes.find((n) => n.id === ref.name)!.kind;
  const senders = [...new Set(nodes.filter((n) => n.kind === 'send' && !n.id.startsWith('#')).map((n) => n.id))];
  return {
    code: 'not-a-send-step',
    message: `\`${ref.name}\` is a ${kind} step of ${where}: no message comes from it`,
    hint: listed('the steps that send', senders),
  };
}
