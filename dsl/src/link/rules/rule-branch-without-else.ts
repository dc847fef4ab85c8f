/**
 * `branch-without-else`: without `else`, a branch whose conditions all fail falls through
 * to the next step; legal, but often a forgotten case, so it is said out loud.
 */
import type { LinkRule } from '../link-context.js';
import { linkNextKey } from '../step-graph.js';
import { stepLabel } from './describe-step.js';

export const branchesWithoutElse: LinkRule = ({ model, report }) => {
  for (const j of model.journeys) {
    for (const step of j.steps) {
      if (step.kind !== 'branch' || step.otherwise) continue;
      const next = linkNextKey(j, step);
      report({
        code: 'branch-without-else',
        message: `branch ${stepLabel(step)} has no \`else\``,
        span: step.kindSpan,
        hint:
          next === null
            ? 'when no condition holds the journey ends here; end the list with `- else: <step>` to say where it should go'
            : `when no condition holds the journey falls through to the next step (\`${next}\`); end the list with \`- else: <step>\` to make that explicit`,
      });
    }
  }
};
