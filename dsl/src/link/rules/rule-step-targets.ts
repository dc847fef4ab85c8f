/**
 * `unknown-step`: a `goto`, branch arm, split arm, `onEvent` or `onTimeout` names no step
 * of its journey. `goto-next-step`: a `goto` to the step right after it, which is where
 * the journey would go anyway.
 */
import type { LinkRule } from '../link-context.js';
import { linkEdges, linkNextKey, linkSteps } from '../step-graph.js';
import { unknownName } from './unknown-name.js';

export const stepTargets: LinkRule = ({ model, symbols, report }) => {
  for (const j of model.journeys) {
    const steps = symbols.steps.get(j);
    // Only user ids can be written as targets; `#3` is not a valid step reference. A duplicated id (its own error) is listed once.
    const all = linkSteps(j);
    const ids = [...new Set(all.flatMap((s) => (s.id ? [s.id.value] : [])))];
    for (const step of all) {
      for (const edge of linkEdges(j, step)) {
        if (!edge.ref || edge.to === null || steps?.has(edge.to)) continue;
        report(
          unknownName(
            'unknown-step',
            edge.ref,
            `journey \`${j.id.value}\` has no step \`${edge.ref.value}\``,
            ids,
            ids.length
              ? `give the target step \`id: ${edge.ref.value}\`; step ids here: ${ids.map((i) => `\`${i}\``).join(', ')}`
              : `give the target step \`id: ${edge.ref.value}\``,
          ),
        );
      }
      if (step.kind === 'goto' && step.target.value === linkNextKey(j, step)) {
        report({
          code: 'goto-next-step',
          message: `\`goto: ${step.target.value}\` jumps to the very next step, where the journey goes anyway`,
          span: step.target.span,
          hint: 'remove this goto step',
        });
      }
    }
  }
};
