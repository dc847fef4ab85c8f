/**
 * `split-weights`: a split picks an arm in proportion to its weight, so every weight must
 * be a positive finite number. The schema leaves numeric weights to this rule
 * (`x-checked-by`), since only here is the arm known; a weight that is no number at all is
 * the schema's `wrong-type`. Weights that are each fine can still add up to Infinity.
 */
import type { LinkRule } from '../link-context.js';
import { stepLabel } from './describe-step.js';

export const splitWeights: LinkRule = ({ model, report }) => {
  for (const j of model.journeys) {
    for (const step of j.steps) {
      if (step.kind !== 'split') continue;
      let bad = 0;
      for (const arm of step.arms) {
        const w = arm.weight.value;
        if (w > 0 && Number.isFinite(w)) continue;
        bad++;
        report({
          code: 'split-weights',
          message: `split weight \`${w}\` of the arm to \`${arm.goto.value}\` must be a positive number`,
          span: arm.weight.span,
          hint: 'weights are relative (e.g. `1` and `3` send a quarter and three quarters); to drop an arm, remove it',
        });
      }
      const total = step.arms.reduce((sum, a) => sum + a.weight.value, 0);
      if (bad === 0 && step.arms.length > 0 && !(total > 0 && Number.isFinite(total))) {
        report({
          code: 'split-weights',
          message: `the weights of split ${stepLabel(step)} add up to ${total}`,
          span: step.kindSpan,
          hint: 'use smaller weights: only their ratio counts (`1` and `3` split like `1e300` and `3e300`)',
        });
      }
    }
  }
};
