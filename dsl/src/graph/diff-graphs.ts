/**
 * What changes between two execution graphs (`herald diff`): for a reviewer of a pull request,
 * the journeys, steps, templates, policies and declarations added, removed or changed, each
 * change as the fields that differ (`config.template: payment-reminder → final-notice`).
 * Source positions (`span`) are left out: moving a step down a line changes nothing that runs.
 * Steps are matched by id, so a renamed step is one removed and one added. A step without `id:`
 * has a positional id (`#6`), which a step inserted above it shifts: those are matched by
 * aligning the two journeys' unnamed steps by what they are (matchPositional), and the old
 * graph's steps are compared (and shown) with their references renamed through that matching
 * (`next: "#6"` → `"#7"`), so an inserted step is one step added, not a change of every step
 * after it.
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
  const part = (p: ChangedPart, id: string, a: Json, b: Json, journey?: string, renamed: Rename = same) => {
    const at = journey === undefined ? {} : { journey };
    if (a === undefined && b !== undefined) changes.push({ kind: 'added', part: p, id, ...at, fields: [] });
    else if (a !== undefined && b === undefined) changes.push({ kind: 'removed', part: p, id, ...at, fields: [] });
    else {
      const fields = fieldChanges(renamed(a), b);
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
    if (!a || !b) {
      part('journey', id, a && withoutNodes(a), b && withoutNodes(b));
      continue;
    }
    const matched = matchSteps(a.nodes, b.nodes);
    const renamed = renamer(matched);
    // The journey's own fields (its start step among them); its steps one by one below.
    part('journey', id, withoutNodes(a), withoutNodes(b), undefined, renamed);
    const nodesAfter = byId(b.nodes);
    const steps: [string, Json, Json][] = a.nodes.map((n) => {
      const to = matched.get(n.id);
      return to === undefined ? [n.id, n, undefined] : [to, n, nodesAfter[to]];
    });
    const taken = new Set(matched.values());
    for (const n of b.nodes) if (!taken.has(n.id)) steps.push([n.id, undefined, n]);
    steps.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    for (const [step, before, after] of steps) part('step', step, before, after, id, renamed);
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

/**
 * A value of the old graph with its unnamed steps named as the new graph names them, as changes
 * show it (`next: "#3 (removed)" → "#4"`); `same` leaves it as it is.
 */
type Rename = (v: Json) => Json;
const same: Rename = (v) => v;

/** The leaves that differ, objects compared key by key, lists as a whole; `span` left out at any depth. */
function fieldChanges(a: Json, b: Json, path = ''): FieldChange[] {
  if (isObject(a) && isObject(b)) {
    return unionKeys(a, b)
      .filter((k) => k !== 'span')
      .flatMap((k) => fieldChanges(a[k], b[k], path === '' ? k : `${path}.${k}`));
  }
  return JSON.stringify(withoutSpans(a)) === JSON.stringify(withoutSpans(b)) ? [] : [{ path, before: a, after: b }];
}

type Step = GraphIR['journeys'][number]['nodes'][number];

/** The id the compiler gives a step written without `id:`: its place in the journey. */
const POSITIONAL = /^#\d+$/;

/** Old step id → new step id, for the steps of one journey that are in both graphs. */
function matchSteps(before: readonly Step[], after: readonly Step[]): Map<string, string> {
  const matched = new Map<string, string>();
  const afterIds = new Set(after.map((n) => n.id));
  for (const n of before) if (!POSITIONAL.test(n.id) && afterIds.has(n.id)) matched.set(n.id, n.id);
  for (const [from, to] of matchPositional(before.filter((n) => POSITIONAL.test(n.id)), after.filter((n) => POSITIONAL.test(n.id)))) matched.set(from, to);
  return matched;
}

/**
 * Unnamed steps matched in order: the longest common run of steps that are the same (kind and
 * fields, references to unnamed steps left out), then, between two such, the remaining ones of
 * the same kind one for one (a step changed in place). The rest were removed or added.
 */
function matchPositional(before: readonly Step[], after: readonly Step[]): [string, string][] {
  const keyOf = (n: Step) => JSON.stringify(withoutSpans(anonymous({ ...n, id: '' })));
  const ka = before.map(keyOf);
  const kb = after.map(keyOf);
  // lcs[i][j]: the longest common subsequence of ka[i..] and kb[j..].
  const lcs = Array.from({ length: ka.length + 1 }, () => new Array<number>(kb.length + 1).fill(0));
  for (let i = ka.length - 1; i >= 0; i--) {
    for (let j = kb.length - 1; j >= 0; j--) lcs[i]![j] = ka[i] === kb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const pairs: [string, string][] = [];
  let gapA: Step[] = [];
  let gapB: Step[] = [];
  const closeGap = () => {
    const left = [...gapB];
    for (const x of gapA) {
      const k = left.findIndex((y) => y.kind === x.kind);
      if (k >= 0) pairs.push([x.id, left.splice(k, 1)[0]!.id]);
    }
    gapA = [];
    gapB = [];
  };
  let i = 0;
  let j = 0;
  while (i < ka.length || j < kb.length) {
    if (i < ka.length && j < kb.length && ka[i] === kb[j]) {
      closeGap();
      pairs.push([before[i]!.id, after[j]!.id]);
      i++;
      j++;
    } else if (j >= kb.length || (i < ka.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) gapA.push(before[i++]!);
    else gapB.push(after[j++]!);
  }
  closeGap();
  return pairs;
}

/** The value with every reference to an unnamed step made the same (`#`), to compare steps by what they are. */
const anonymous = (v: Json): Json => positionalRefs(v, () => '#');

/** Old values with their unnamed steps' ids as the new graph has them; a removed step's id is kept. */
function renamer(matched: ReadonlyMap<string, string>): Rename {
  return (v) => positionalRefs(v, (id) => matched.get(id) ?? `${id} (removed)`);
}

/** The value with each string that is an unnamed step's id (a reference to it) replaced. */
function positionalRefs(v: Json, replace: (id: string) => string): Json {
  if (typeof v === 'string') return POSITIONAL.test(v) ? replace(v) : v;
  if (Array.isArray(v)) return v.map((x) => positionalRefs(x, replace));
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, positionalRefs(x, replace)]));
}

function withoutSpans(v: Json): Json {
  if (Array.isArray(v)) return v.map(withoutSpans);
  if (!isObject(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'span').map(([k, x]) => [k, withoutSpans(x)]));
}
