/**
 * `unknown-source` / `unknown-query`: a `data:` or `fetch:` binding must name a source of
 * herald.yaml and one of that source's queries (whose `returns:` types the binding).
 */
import type { DataBinding } from '../../model/ast.js';
import type { LinkRule } from '../link-context.js';
import { unknownName } from './unknown-name.js';

export const unknownSources: LinkRule = ({ model, symbols, report }) => {
  if (!model.config) return; // `missing-project-file` covers it
  const check = (b: DataBinding) => {
    const source = symbols.sources.get(b.source.value);
    if (!source) {
      report(
        unknownName(
          'unknown-source',
          b.source,
          `unknown data source \`${b.source.value}\` in binding \`${b.name.value}\``,
          symbols.sources.keys(),
          `declare it under \`sources:\` in herald.yaml, with \`use:\` and its \`queries:\``,
        ),
      );
      return;
    }
    if (source.queries.some((q) => q.name.value === b.query.value)) return;
    report({
      ...unknownName(
        'unknown-query',
        b.query,
        `source \`${source.name.value}\` has no query \`${b.query.value}\``,
        source.queries.map((q) => q.name.value),
        source.queries.length
          ? `its queries: ${source.queries.map((q) => `\`${q.name.value}\``).join(', ')}; or add \`${b.query.value}\` under its \`queries:\``
          : `add \`${b.query.value}\` under \`queries:\` of source \`${source.name.value}\` in herald.yaml`,
      ),
      related: [{ span: source.name.span, message: `source \`${source.name.value}\` is declared here` }],
    });
  };
  for (const j of model.journeys) {
    j.data.forEach(check);
    for (const step of j.steps) if (step.kind === 'fetch') step.bindings.forEach(check);
  }
};
