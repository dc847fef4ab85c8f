/**
 * `duplicate-id`: journeys, templates and policies are looked up by id across the whole
 * project, steps by id inside their journey; a second definition is reported at its id,
 * pointing back at the first (the one the symbol tables keep).
 */
import type { Located } from '../../model/ast.js';
import type { LinkRule } from '../link-context.js';
import { linkSteps } from '../step-graph.js';

type Check = (what: string, ids: readonly Located<string>[], scope: string, hint: string) => void;

function checker(report: Parameters<LinkRule>[0]['report']): Check {
  return (what, ids, scope, hint) => {
    const first = new Map<string, Located<string>>();
    for (const id of ids) {
      const earlier = first.get(id.value);
      if (!earlier) {
        first.set(id.value, id);
        continue;
      }
      report({
        code: 'duplicate-id',
        message: `${what} id \`${id.value}\` is already used${scope}`,
        span: id.span,
        hint,
        related: [{ span: earlier.span, message: `\`${id.value}\` is first defined here` }],
      });
    }
  };
}

/** Journey, template and policy ids across the project. */
export const duplicateFileIds: LinkRule = ({ model, report }) => {
  const check = checker(report);
  const projectWide = 'rename one of them: ids must be unique in the project';
  check('journey', model.journeys.map((j) => j.id), ' by another journey', projectWide);
  check('template', model.templates.map((t) => t.id), ' by another template', projectWide);
  check('policy', model.policies.map((p) => p.id), ' by another policy', projectWide);
};

/** Step ids inside each journey. */
export const duplicateStepIds: LinkRule = ({ model, report }) => {
  const check = checker(report);
  for (const j of model.journeys) {
    const ids = linkSteps(j).flatMap((s) => (s.id ? [s.id] : []));
    if (ids.length === 0) continue;
    check('step', ids, ` in journey \`${j.id.value}\``, 'rename one of them: `goto` and the history name steps by id, so ids must be unique in a journey');
  }
};

export const duplicateIds: LinkRule = (ctx) => {
  duplicateFileIds(ctx);
  duplicateStepIds(ctx);
};
