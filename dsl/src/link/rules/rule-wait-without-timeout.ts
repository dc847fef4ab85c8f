/**
 * `wait-without-timeout`: a wait for an event that never comes holds its instance forever;
 * a timeout with an `onTimeout:` step bounds it. A `timeout:` that is no duration is the
 * shape stage's `invalid-duration`; saying "no timeout" as well would send the reader looking
 * for a key that is there. Nor is a wait with an unknown key (`timout: 2d`): its `unknown-key`,
 * with the did-you-mean, is the mistake, and the timeout may well be what was meant.
 */
import type { LinkRule } from '../link-context.js';
import { stepLabel } from './describe-step.js';

export const waitsWithoutTimeout: LinkRule = ({ model, report }) => {
  for (const j of model.journeys) {
    for (const step of j.steps) {
      if (step.kind !== 'wait' || step.wait.mode !== 'event' || step.wait.timeoutWritten || step.unreadKeys.length > 0) continue;
      const event = step.wait.event.value;
      report({
        code: 'wait-without-timeout',
        message: step.onTimeout
          ? `wait ${stepLabel(step)} for \`${event}\` has \`onTimeout:\` but no \`timeout:\`, so it never times out`
          : `wait ${stepLabel(step)} for \`${event}\` has no timeout; an instance may wait forever`,
        span: step.kindSpan,
        hint: step.onTimeout
          ? 'add `timeout: 7d` (or another duration) to the wait'
          : 'add `timeout: 7d` to the wait and `onTimeout: <step>` to say where to go when the event does not come',
      });
    }
  }
};
