/**
 * `unknown-event`: every event a journey starts on, waits for, batches or emits must be
 * declared under `events:` in herald.yaml, since its payload type comes from there.
 */
import type { Located } from '../../model/ast.js';
import type { LinkRule } from '../link-context.js';
import { unknownName } from './unknown-name.js';

export const unknownEvents: LinkRule = ({ model, symbols, report }) => {
  if (!model.config) return; // `missing-project-file` covers it
  const check = (ref: Located<string>, role: string) => {
    if (symbols.events.has(ref.value)) return;
    report(
      unknownName(
        'unknown-event',
        ref,
        `unknown event \`${ref.value}\` ${role}`,
        symbols.events.keys(),
        `declare it under \`events:\` in herald.yaml, with its payload \`fields:\``,
      ),
    );
  };
  for (const j of model.journeys) {
    check(j.trigger.event, `in the trigger of journey \`${j.id.value}\``);
    for (const step of j.steps) {
      if (step.kind === 'wait' && step.wait.mode === 'event') check(step.wait.event, 'in a wait step');
      else if (step.kind === 'batch') check(step.event, 'in a batch step');
      else if (step.kind === 'emit') check(step.event, 'in an emit step');
    }
  }
};
