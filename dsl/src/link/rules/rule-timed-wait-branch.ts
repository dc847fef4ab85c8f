/**
 * `timed-wait-branch`: a wait for a duration or a time goes on to the next step when the time
 * is over; `onTimeout:` and `onEvent:` belong to a wait for an event. On a timed wait they were
 * silently ignored, so the step they name was never taken.
 */
import type { LinkRule } from '../link-context.js';
import { stepLabel } from './describe-step.js';

export const timedWaitBranches: LinkRule = ({ model, report }) => {
  for (const j of model.journeys) {
    for (const step of j.steps) {
      if (step.kind !== 'wait' || step.wait.mode === 'event') continue;
      for (const [key, target] of [['onTimeout', step.onTimeout], ['onEvent', step.onEvent]] as const) {
        if (target === undefined) continue;
        report({
          code: 'timed-wait-branch',
          message: `wait ${stepLabel(step)} waits for ${step.wait.mode === 'duration' ? 'a duration' : 'a time'}: it goes on to the next step when that is over, so \`${key}: ${target.value}\` is never taken`,
          span: target.span,
          hint:
            key === 'onTimeout'
              ? `put step \`${target.value}\` right after the wait (or \`goto: ${target.value}\` after it), or wait for an event: \`wait: { event: ..., timeout: ... }\``
              : 'only a wait for an event (`wait: { event: ... }`) has an `onEvent:`',
        });
      }
    }
  }
};
