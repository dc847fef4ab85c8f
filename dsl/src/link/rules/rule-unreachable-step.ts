/**
 * `unreachable-step`: steps that no path from the first step reaches. A run of adjacent
 * unreachable steps (typically everything after an `exit` that nothing jumps back into)
 * is one warning at the first of them, not one per step.
 */
import type { JourneyFile, Step } from '../../model/ast.js';
import type { LinkRule } from '../link-context.js';
import { stepEdges } from '../step-graph.js';
import { stepLabel } from './describe-step.js';

export const unreachableSteps: LinkRule = ({ model, symbols, report }) => {
  for (const j of model.journeys) {
    const byKey = symbols.steps.get(j) ?? new Map<string, Step>();
    const reached = reachable(j, byKey);
    let run: Step[] = [];
    const flush = () => {
      if (run.length === 0) return;
      const first = run[0]!;
      const last = run[run.length - 1]!;
      report({
        code: 'unreachable-step',
        message:
          run.length === 1
            ? `${stepLabel(first)} is never reached`
            : `steps #${first.index + 1}–#${last.index + 1} are never reached`,
        span: first.kindSpan,
        hint: `no path from the first step of journey \`${j.id.value}\` leads here: target ${run.length === 1 ? 'it' : 'the first of them'} with a \`goto\`, branch or wait, or remove ${run.length === 1 ? 'it' : 'them'}`,
      });
      run = [];
    };
    for (const step of j.steps) {
      if (reached.has(step)) flush();
      else run.push(step);
    }
    flush();
  }
};

function reachable(j: JourneyFile, byKey: ReadonlyMap<string, Step>): Set<Step> {
  const seen = new Set<Step>();
  const first = j.steps[0];
  if (!first) return seen;
  const queue: Step[] = [first];
  seen.add(first);
  while (queue.length > 0) {
    const step = queue.shift()!;
    for (const edge of stepEdges(j, step)) {
      const to = edge.to === null ? undefined : byKey.get(edge.to);
      if (to && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}
