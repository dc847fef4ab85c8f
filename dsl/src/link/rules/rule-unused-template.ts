/**
 * `unused-template` (info): no send step names the template, so nothing sends it. Only a note:
 * a template is often written before the journey that sends it. Until one does, it is checked
 * on its own (Mustache syntax, `subject.*` and `journey.*`; see checkTemplateAlone in
 * check-sites.ts), since what `trigger` and the journey's variables hold depends on the journey.
 *
 * Not reported while a journey file that names the template could not be built in full: it
 * may send the template from a step that was not built.
 */
import type { LinkRule } from '../link-context.js';
import { mayBeNamedByUnbuiltJourney } from '../symbols.js';

export const unusedTemplates: LinkRule = ({ model, symbols, report }) => {
  const used = new Set<string>();
  for (const j of model.journeys) for (const s of j.steps) if (s.kind === 'send') used.add(s.template.value);
  for (const t of model.templates) {
    if (used.has(t.id.value) || symbols.templates.get(t.id.value) !== t) continue; // a duplicate id is reported as such
    if (mayBeNamedByUnbuiltJourney(model, t.id.value)) continue;
    report({
      code: 'unused-template',
      message: `no journey sends template \`${t.id.value}\``,
      span: t.id.span,
      hint:
        `send it from a journey (\`send: ${t.id.value}\`), or remove the file; until a journey sends it, only its Mustache syntax ` +
        'and its `subject.*` and `journey.*` names are checked, since the other names depend on the journey',
    });
  }
};
