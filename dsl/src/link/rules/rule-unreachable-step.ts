/**
 * `unreachable-step`: steps that no path from the first step reaches. A run of adjacent
 * unreachable steps (typically everything after an `exit` that nothing jumps back into)
 * is one warning at the first of them, not one per step. Steps are named by id where they
 * have one. A step that was not built counts: it may go on to the next step or to any step
 * it names (step-graph.ts `linkEdges`). A target that names no step leads where its
 * did-you-mean points (`goto: nudg` to `nudge`): `unknown-step` already suggests that step, and
 * calling it unreachable too would report one typo twice.
 */
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { JourneyFile } from '../../model/ast.js';
import type { LinkRule } from '../link-context.js';
import { linkEdges, linkSteps, type LinkStep } from '../step-graph.js';

export const unreachableSteps: LinkRule = ({ model, symbols, report }) => {
  for (const j of model.journeys) {
    const byKey = symbols.steps.get(j) ?? new Map<string, LinkStep>();
    const reached = reachable(j, byKey);
    let run: LinkStep[] = [];
    const flush = () => {
      if (run.length === 0) return;
      report({
        code: 'unreachable-step',
        message: `${describeRun(run, byKey)} never reached`,
        span: run[0]!.kindSpan,
        hint: `no path from the first step of journey \`${j.id.value}\` leads here: target ${run.length === 1 ? 'it' : 'the first of them'} with a \`goto\`, branch or wait, or remove ${run.length === 1 ? 'it' : 'them'}`,
      });
      run = [];
    };
    for (const step of linkSteps(j)) {
      if (reached.has(step)) flush();
      else run.push(step);
    }
    flush();
  }
};

/** "step `a` is", "steps `a`, #3 and `c` are", "5 steps from `a` to #7 are": by id, else by position. */
function describeRun(run: readonly LinkStep[], byKey: ReadonlyMap<string, LinkStep>): string {
  // A second step with an id (`duplicate-id`) is told apart by its position too.
  const name = (s: LinkStep) => (!s.id ? `#${s.index + 1}` : byKey.get(s.key) === s ? `\`${s.id.value}\`` : `\`${s.id.value}\` (#${s.index + 1})`);
  if (run.length === 1) return `step ${name(run[0]!)} is`;
  if (run.length <= 3) return `steps ${run.slice(0, -1).map(name).join(', ')} and ${name(run[run.length - 1]!)} are`;
  return `${run.length} steps from ${name(run[0]!)} to ${name(run[run.length - 1]!)} are`;
}

function reachable(j: JourneyFile, byKey: ReadonlyMap<string, LinkStep>): Set<LinkStep> {
  const seen = new Set<LinkStep>();
  const first = linkSteps(j)[0];
  if (!first) return seen;
  const queue: LinkStep[] = [first];
  seen.add(first);
  // The candidates rule-step-targets.ts offers for an unknown target: ids written by the user.
  const ids = [...byKey.values()].flatMap((s) => (s.id ? [s.id.value] : []));
  const target = (key: string): LinkStep | undefined => {
    const found = byKey.get(key);
    if (found) return found;
    const meant = didYouMean(key, ids);
    return meant === undefined ? undefined : byKey.get(meant);
  };
  while (queue.length > 0) {
    const step = queue.shift()!;
    for (const edge of linkEdges(j, step)) {
      const to = edge.to === null ? undefined : target(edge.to);
      if (to && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}
