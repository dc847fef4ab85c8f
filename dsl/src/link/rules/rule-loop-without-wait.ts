/**
 * `loop-without-wait`: a cycle of steps none of which pauses (wait, batch) would run
 * forever in one go. The strongly connected components of the graph restricted to
 * non-pausing steps are exactly the sets of such cycles (Tarjan); each is reported once,
 * at the jump that closes it: the backward edge leaving its last step.
 */
import type { LinkRule } from '../link-context.js';
import { linkEdges, linkSteps, mayPause, type Edge, type LinkStep } from '../step-graph.js';
import { listNames } from './describe-step.js';

export const loopsWithoutWait: LinkRule = ({ model, symbols, report }) => {
  for (const j of model.journeys) {
    const byKey = symbols.steps.get(j) ?? new Map<string, LinkStep>();
    const successors = new Map<LinkStep, { step: LinkStep; edge: Edge }[]>();
    // A step that was not built may pause: no loop through it is reported.
    for (const step of linkSteps(j)) {
      if (mayPause(step)) continue;
      const out: { step: LinkStep; edge: Edge }[] = [];
      for (const edge of linkEdges(j, step)) {
        const to = edge.to === null ? undefined : byKey.get(edge.to);
        if (to && !mayPause(to)) out.push({ step: to, edge });
      }
      successors.set(step, out);
    }
    const components = stronglyConnected([...successors.keys()], (s) => (successors.get(s) ?? []).map((e) => e.step));
    const firstIndex = (c: readonly LinkStep[]) => c.reduce((m, s) => Math.min(m, s.index), Infinity);
    components.sort((a, b) => firstIndex(a) - firstIndex(b));
    for (const component of components) {
      const members = new Set(component);
      const isCycle = component.length > 1 || successors.get(component[0]!)!.some((e) => e.step === component[0]);
      if (!isCycle) continue;
      const closing = closingEdge(component, members, successors);
      if (!closing) continue;
      const ordered = [...component].sort((a, b) => a.index - b.index);
      const names = ordered.map((s) => s.key);
      report({
        code: 'loop-without-wait',
        message: `the loop through ${names.length === 1 ? 'step' : 'steps'} ${listNames(names)} in journey \`${j.id.value}\` never waits, so an instance would spin forever`,
        span: closing.edge.ref?.span ?? closing.from.kindSpan,
        hint: 'add a `wait` step in the loop (e.g. `- wait: 1d`), or let it leave the loop',
        related: [{ span: closing.to.kindSpan, message: `the loop goes back to \`${closing.to.key}\` here` }],
      });
    }
  }
};

/** Fall-through only goes forward, so every cycle has a jump back; take the one from the loop's last step. */
function closingEdge(
  component: readonly LinkStep[],
  members: ReadonlySet<LinkStep>,
  successors: ReadonlyMap<LinkStep, readonly { step: LinkStep; edge: Edge }[]>,
): { from: LinkStep; to: LinkStep; edge: Edge } | undefined {
  let best: { from: LinkStep; to: LinkStep; edge: Edge } | undefined;
  for (const from of component) {
    for (const { step: to, edge } of successors.get(from) ?? []) {
      if (!members.has(to) || to.index > from.index) continue;
      if (!best || from.index > best.from.index) best = { from, to, edge };
    }
  }
  return best;
}

/** Tarjan's algorithm, iterative so a long journey cannot overflow the stack. */
export function stronglyConnected<N>(nodes: readonly N[], next: (n: N) => readonly N[]): N[][] {
  const index = new Map<N, number>();
  const low = new Map<N, number>();
  const onStack = new Set<N>();
  const stack: N[] = [];
  const result: N[][] = [];
  let counter = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: N; succ: readonly N[]; i: number }[] = [];
    const visit = (n: N) => {
      index.set(n, counter);
      low.set(n, counter);
      counter++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, succ: next(n), i: 0 });
    };
    visit(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.i < frame.succ.length) {
        const m = frame.succ[frame.i++]!;
        if (!index.has(m)) visit(m);
        else if (onStack.has(m)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(m)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: N[] = [];
        let m: N;
        do {
          m = stack.pop()!;
          onStack.delete(m);
          component.push(m);
        } while (m !== frame.node);
        result.push(component);
      }
    }
  }
  return result;
}
