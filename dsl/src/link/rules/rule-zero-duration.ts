/**
 * `zero-duration` (warning): a duration of 0 where the step's point is to let time pass.
 * A wait for an event with `timeout: 0s` still takes an event kept for it before it got
 * there, but otherwise times out at once; a batch with `window: 0s` ends at once and, taking
 * only events that come while it collects, always with an empty list; `wait: 0s` goes on at
 * once (and, being a wait, keeps a loop through it from counting as `loop-without-wait`).
 * Not an error: each still runs, it just does not wait. (`archive.retention: 0s` in herald.yaml
 * is reported with this code too, by rule-archive-retention.ts.)
 */
import type { LinkRule } from '../link-context.js';
import { stepLabel } from './describe-step.js';

export const zeroDurations: LinkRule = ({ model, report }) => {
  for (const j of model.journeys) {
    for (const step of j.steps) {
      if (step.kind === 'wait' && step.wait.mode === 'duration' && step.wait.duration.value === 0) {
        report({
          code: 'zero-duration',
          message: `wait ${stepLabel(step)} waits 0s: it goes on at once`,
          span: step.wait.duration.span,
          hint: 'write how long to wait, e.g. `wait: 1h`, or remove the step',
        });
      }
      if (step.kind === 'wait' && step.wait.mode === 'event' && step.wait.timeout?.value === 0) {
        report({
          code: 'zero-duration',
          message: `wait ${stepLabel(step)} for \`${step.wait.event.value}\` has a timeout of 0: unless the event came before, it times out at once`,
          span: step.wait.timeout.span,
          hint: 'give the event time to come, e.g. `timeout: 1d`',
        });
      }
      if (step.kind === 'batch' && step.window.value === 0) {
        report({
          code: 'zero-duration',
          message: `batch ${stepLabel(step)} collects \`${step.event.value}\` for 0s: it goes on at once, and \`${step.as.value}\` is always empty`,
          span: step.window.span,
          hint: 'give the events time to come together, e.g. `window: 1h`, or remove the step',
        });
      }
    }
  }
};
