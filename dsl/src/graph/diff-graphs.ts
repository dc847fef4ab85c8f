/**
 * What changes between two execution graphs (`herald diff`): for a reviewer of a pull request,
 * the journeys, steps, templates, policies and declarations added, removed or changed, each
 * change as the fields that differ (`config.template: payment-reminder → final-notice`).
 * Source positions (`span`) are left out: moving a step down a line changes nothing that runs.
 * Steps are matched by id, so a renamed step is one removed and one added.
 */
import type { GraphIR } from '../lower/ir.js';

export type ChangeKind = 'added' | 'removed' | 'changed';
export type ChangedPart = 'project' | 'subject' | 'event' | 'channel' | 'source' | 'journey' | 'step' | 'template' | 'policy';

export interface FieldChange {
  /** Dotted path inside the part (`retry.attempts`, `variants.email.en.subject`). */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface GraphChange {
  readonly kind: ChangeKind;
  readonly part: ChangedPart;
  readonly id: string;
  /** For a step: its journey. */
  readonly journey?: string;
  /** For a changed part: the fields that differ (steps of a changed journey are changes of their own). */
  readonly fields: readonly FieldChange[];
}

export interface GraphDiff {
  readonly before: string;
  readonly after: string;
  readonly changes: readonly GraphChange[];
}

type Json = unknown;

export function diffGraphs(before: GraphIR, after: GraphIR): GraphDiff {
  const changes: GraphChange[] = [];
  const part = (p: ChangedPart, id: string, a: Json, b: Json, journey?: string) => {
    const at = journey === undefined ? {} : { journey };
    if (a === undefined && b !== undefined) changes.push({ kind: 'added', part: p, id, ...at, fields: [] });
    else if (a !== undefined && b === undefined) changes.push({ kind: 'removed', part: p, id, ...at, fields: [] });
    else {
      const fields = fieldChanges(a, b);
      if (fields.length > 0) changes.push({ kind: 'changed', part: p, id, ...at, fields });
    }
  };
  const keyed = (p: ChangedPart, a: Readonly<Record<string, Json>>, b: Readonly<Record<string, Json>>) => {
    for (const id of unionKeys(a, b)) part(p, id, a[id], b[id]);
  };

  part('project', before.project.name, before.project, after.project);
  part('subject', 'subject', before.subject, after.subject);
  keyed('event', before.events, after.events);
  keyed('channel', before.channels, after.channels);
  keyed('source', before.sources, after.sources);

  const journeysBefore = byId(before.journeys);
  const journeysAfter = byId(after.journeys);
  for (const id of unionKeys(journeysBefore, journeysAfter)) {
    const a = journeysBefore[id];
    const b = journeysAfter[id];
    // The journey's own fields; its steps are compared one by one below.
    part('journey', id, a && withoutNodes(a), b && withoutNodes(b));
    if (a && b) {
      const nodesBefore = byId(a.nodes);
      const nodesAfter = byId(b.nodes);
      for (const step of unionKeys(nodesBefore, nodesAfter)) part('step', step, nodesBefore[step], nodesAfter[step], id);
    }
  }
  keyed('template', before.templates, after.templates);
  keyed('policy', before.policies, after.policies);
  return { before: before.version, after: after.version, changes };
}

function byId<T extends { readonly id: string }>(list: readonly T[]): Record<string, T> {
  return Object.fromEntries(list.map((x) => [x.id, x]));
}

function withoutNodes(journey: GraphIR['journeys'][number]): Json {
  const { nodes: _nodes, ...rest } = journey;
  return rest;
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaves that differ, objects compared key by key, lists as a whole; `span` left out at any depth. */
function fieldChanges(a: Json, b: Json, path = ''): FieldChange[] {
  if (isObject(a) && isObject(b)) {
    return unionKeys(a, b)
      .filter((k) => k !== 'span')
      .flatMap((k) => fieldChanges(a[k], b[k], path === '' ? k : `${path}.${k}`));
  }
  return JSON.stringify(withoutSpans(a)) === JSON.stringify(withoutSpans(b)) ? [] : [{ path, before: a, after: b }];
}

function withoutSpans(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutSpans);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'span').map(([k, x]) => [k, withoutSpans(x)]));
}
