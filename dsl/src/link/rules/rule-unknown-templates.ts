/** `unknown-template`: a send step names a template no `*.template.yaml` defines. */
import type { LinkRule } from '../link-context.js';
import { unknownName } from './unknown-name.js';

export const unknownTemplates: LinkRule = ({ model, symbols, report }) => {
  for (const j of model.journeys) {
    for (const step of j.steps) {
      if (step.kind !== 'send' || symbols.templates.has(step.template.value)) continue;
      report(
        unknownName(
          'unknown-template',
          step.template,
          `unknown template \`${step.template.value}\``,
          symbols.templates.keys(),
          `no template file says \`template: ${step.template.value}\`; create \`${step.template.value}.template.yaml\` or fix the name`,
        ),
      );
    }
  }
};
