/**
 * `possibly-unset-variable` (warning): an expression reads a variable that a step binds (`set`,
 * `fetch`, a batch's `as:`, an event wait's `as:`) on a way through the journey that does not
 * pass that step, e.g. one set in one branch arm and read after the arms join. At run time the
 * read fails the step ("is not set"). A forward analysis over the step graph finds, for every
 * step, the names set on entry whichever way the journey came. Reads that allow a missing
 * name (`x ?? 0`, `has(x.f)`) are fine, and templates are not checked: Mustache renders a
 * missing name as nothing.
 */
import type { Problem } from '../diagnostics/report.js';
import type { ExprNode } from '../expr/ast.js';
import { strictReads } from '../expr/strict-reads.js';
import { stepLabel } from '../link/rules/describe-step.js';
import { stepEdges, type Edge } from '../link/step-graph.js';
import { spanInText, type JourneyFile, type Located, type SourceText, type Step } from '../model/ast.js';

interface Way {
  readonly from: Step;
  readonly edge: Edge;
  readonly to: Step;
}

/** Names bound when control leaves a step by a way: an event wait's `as:` only when the event came. */
function boundBy({ from: step, edge }: Way): readonly Located<string>[] {
  if (step.kind === 'set') return step.vars.map((v) => v.name);
  if (step.kind === 'fetch') return step.bindings.map((b) => b.name);
  if (step.kind === 'batch') return [step.as];
  return step.kind === 'wait' && step.wait.mode === 'event' && step.wait.as && edge.label === 'event' ? [step.wait.as] : [];
}

/** The expressions a step evaluates on entry; each `set` value also sees the names set before it in the step. */
function readsOf(step: Step): { text: SourceText; alsoSet: readonly string[] }[] {
  if (step.kind === 'set') return step.vars.map((v, i) => ({ text: v.expr, alsoSet: step.vars.slice(0, i).map((w) => w.name.value) }));
  const texts =
    step.kind === 'wait' ? [step.wait.mode === 'until' ? step.wait.until : step.wait.mode === 'event' ? step.wait.match : undefined]
    : step.kind === 'branch' ? step.arms.map((a) => a.when)
    : step.kind === 'fetch' ? step.bindings.flatMap((b) => b.args.map((a) => a.expr))
    : step.kind === 'batch' ? [step.match]
    : step.kind === 'emit' ? step.data.map((d) => d.expr)
    : [];
  return texts.filter((t) => t !== undefined).map((text) => ({ text, alsoSet: [] }));
}

/** Steps reached from `start` (itself included) along `next`. */
function reached(start: readonly Step[], next: (s: Step) => readonly Step[]): Set<Step> {
  const seen = new Set(start);
  for (const work = [...start]; work.length; ) {
    for (const s of next(work.pop()!)) {
      if (seen.has(s)) continue;
      seen.add(s);
      work.push(s);
    }
  }
  return seen;
}

/**
 * The way that leaves `name` unset on the way to `reader`: on a shortest way there from the first
 * step that binds no `name`, the last step from which another way would still have set it.
 */
function unsetWay(first: Step, out: Map<Step, Way[]>, into: Map<Step, Way[]>, name: string, reader: Step): Way | undefined {
  const binds = (w: Way) => boundBy(w).some((n) => n.value === name);
  const toReader = reached([reader], (s) => (into.get(s) ?? []).map((w) => w.from));
  const setters = [...out.values()].flat().filter((w) => binds(w) && toReader.has(w.to)).map((w) => w.from);
  const couldSet = reached(setters, (s) => (into.get(s) ?? []).map((w) => w.from));
  const cameBy = new Map<Step, Way>();
  const queue = [first];
  for (let i = 0; i < queue.length && !cameBy.has(reader); i++) {
    for (const w of out.get(queue[i]!) ?? []) {
      if (binds(w) || w.to === first || cameBy.has(w.to)) continue;
      cameBy.set(w.to, w);
      queue.push(w.to);
    }
  }
  for (let w = cameBy.get(reader); w; w = cameBy.get(w.from)) if (couldSet.has(w.from) && !couldSet.has(w.to)) return w;
  return undefined;
}

function describeWay({ from, edge }: Way): string {
  if (from.kind === 'wait') return `the ${edge.label === 'timeout' ? 'timeout' : 'event'} of wait ${stepLabel(from)}`;
  if (edge.label === 'else') return edge.ref ? `the \`else\` of branch ${stepLabel(from)}` : `branch ${stepLabel(from)} when no condition holds`;
  return `arm ${/\d+/.exec(edge.label)?.[0] ?? ''} of ${from.kind} ${stepLabel(from)}`;
}

export function possiblyUnsetVariables(j: JourneyFile, parse: (text: string) => ExprNode | undefined): Problem[] {
  const first = j.steps[0];
  if (!first) return [];
  const byKey = new Map<string, Step>();
  for (const s of j.steps) if (!byKey.has(s.key)) byKey.set(s.key, s);
  const out = new Map<Step, Way[]>();
  const into = new Map<Step, Way[]>();
  for (const from of j.steps) {
    for (const edge of stepEdges(j, from)) {
      const to = edge.to === null ? undefined : byKey.get(edge.to);
      if (!to) continue;
      out.set(from, [...(out.get(from) ?? []), { from, edge, to }]);
      into.set(to, [...(into.get(to) ?? []), { from, edge, to }]);
    }
  }
  const binders = new Map<string, Located<string>>();
  for (const w of [...out.values()].flat()) for (const n of boundBy(w)) if (!binders.has(n.value)) binders.set(n.value, n);
  for (const d of j.data) binders.delete(d.name.value);
  if (binders.size === 0) return [];

  // Names set on entry to each reached step, whichever way it is reached: sets only shrink, so this settles.
  const setOnEntry = new Map<Step, ReadonlySet<string>>([[first, new Set()]]);
  for (const work = [first]; work.length; ) {
    const from = work.pop()!;
    for (const w of out.get(from) ?? []) {
      const leaving = new Set([...setOnEntry.get(from)!, ...boundBy(w).map((n) => n.value)]);
      const known = setOnEntry.get(w.to);
      const meet = known ? new Set([...known].filter((n) => leaving.has(n))) : leaving;
      if (known && meet.size === known.size) continue;
      setOnEntry.set(w.to, meet);
      work.push(w.to);
    }
  }

  const problems: Problem[] = [];
  const said = new Set<string>();
  for (const step of j.steps) {
    const set = setOnEntry.get(step);
    if (!set) continue; // never reached: `unreachable-step` says so
    for (const { text, alsoSet } of readsOf(step)) {
      const ast = parse(text.text);
      for (const read of ast ? strictReads(ast) : []) {
        const binder = binders.get(read.name);
        if (!binder || set.has(read.name) || alsoSet.includes(read.name)) continue;
        const way = unsetWay(first, out, into, read.name, step);
        const key = `${read.name}\0${way ? `${way.from.key}\0${way.edge.label}` : ''}`;
        if (said.has(key)) continue;
        said.add(key);
        const v = `\`${read.name}\``;
        problems.push({
          code: 'possibly-unset-variable',
          message: way
            ? `${v} may not be set here: the journey can come through ${describeWay(way)} without setting it`
            : `${v} may not be set here: the journey can reach this step from its first one without setting it`,
          span: spanInText(text, read.start, read.end),
          hint: `set ${v} on every way that leads here, or write \`${read.name} ?? <default>\` where a missing value is fine`,
          related: [
            ...(way ? [{ span: way.edge.ref?.span ?? way.from.kindSpan, message: `this way does not set ${v}` }] : []),
            { span: binder.span, message: `${v} is set here` },
          ],
        });
      }
    }
  }
  return problems;
}
