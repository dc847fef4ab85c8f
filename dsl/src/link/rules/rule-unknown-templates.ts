/**
 * `unknown-template`: a send step names a template no `*.template.yaml` defines.
 * `unbuilt-template` (info): the template's file is there but has errors (its YAML does not
 * parse, say), so the send cannot be checked against it. Said once per journey: the errors
 * themselves are reported in that file, and one note is enough to lead there.
 */
import type { LinkRule } from '../link-context.js';
import { unknownName } from './unknown-name.js';

export const unknownTemplates: LinkRule = ({ model, symbols, report }) => {
  for (const j of model.journeys) {
    const noted = new Set<string>();
    for (const step of j.steps) {
      if (step.kind !== 'send' || symbols.templates.has(step.template.value)) continue;
      const unbuilt = symbols.unbuiltTemplates.get(step.template.value);
      if (unbuilt) {
        if (noted.has(unbuilt.value)) continue;
        noted.add(unbuilt.value);
        report({
          code: 'unbuilt-template',
          message: `template \`${unbuilt.value}\` is in \`${unbuilt.span.file}\`, which has errors; sends of it are checked once they are fixed`,
          span: step.template.span,
          hint: `fix the errors reported in \`${unbuilt.span.file}\``,
          related: [{ span: unbuilt.span, message: `this file would define template \`${unbuilt.value}\`` }],
        });
        continue;
      }
      report(
        unknownName(
          'unknown-template',
          step.template,
          `unknown template \`${step.template.value}\``,
          [...symbols.templates.keys(), ...symbols.unbuiltTemplates.keys()],
          `no template file says \`template: ${step.template.value}\`; create \`${step.template.value}.template.yaml\` or fix the name`,
        ),
      );
    }
  }
};
