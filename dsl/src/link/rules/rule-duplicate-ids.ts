/**
 * `duplicate-id`: journeys, templates and policies are looked up by id across the whole
 * project, steps by id inside their journey. A step's second definition is reported at its
 * id, pointing back at the first (the one the symbol tables keep); an id shared by files is
 * reported in each of them.
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

/**
 * Ids in different files are reported in every file that defines them: the file being written
 * may come first in the project's order, and an error only in the other file (perhaps closed)
 * would leave the one being typed in clean.
 */
function everyPlaceChecker(report: Parameters<LinkRule>[0]['report']): Check {
  return (what, ids, scope, hint) => {
    const byValue = new Map<string, Located<string>[]>();
    for (const id of ids) byValue.set(id.value, [...(byValue.get(id.value) ?? []), id]);
    for (const [value, places] of byValue) {
      if (places.length < 2) continue;
      for (const id of places) {
        report({
          code: 'duplicate-id',
          message: `${what} id \`${value}\` is also used${scope}`,
          span: id.span,
          hint,
          related: places.filter((other) => other !== id).map((other) => ({ span: other.span, message: `\`${value}\` is also defined here` })),
        });
      }
    }
  };
}

/** Journey, template and policy ids across the project. */
export const duplicateFileIds: LinkRule = ({ model, report }) => {
  const check = everyPlaceChecker(report);
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
