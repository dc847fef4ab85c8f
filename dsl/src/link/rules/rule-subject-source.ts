/**
 * `subject.source` in herald.yaml names a query that enriches every subject profile: the source
 * and query must exist, and the query must take the subject id as `id`.
 */
import type { LinkRule } from '../link-context.js';
import { unknownName } from './unknown-name.js';

export const subjectSource: LinkRule = ({ model, symbols, report }) => {
  const ref = model.config?.subjectSource;
  if (!ref) return;
  const source = symbols.sources.get(ref.source.value);
  if (!source) {
    report(unknownName('unknown-source', ref.source, `unknown source \`${ref.source.value}\``, symbols.sources.keys(), 'declare it under `sources:`'));
    return;
  }
  const query = source.queries.find((q) => q.name.value === ref.query.value);
  if (!query) {
    report(unknownName('unknown-query', ref.query, `source \`${ref.source.value}\` has no query \`${ref.query.value}\``, source.queries.map((q) => q.name.value), undefined));
    return;
  }
  const args = query.args.type;
  const others = args.kind === 'object' ? Object.entries(args.fields).filter(([k, f]) => k !== 'id' && !f.optional) : [];
  if (others.length > 0) {
    report({
      code: 'invalid-value',
      message: `query \`${ref.query.value}\` needs ${others.map(([k]) => `\`${k}\``).join(', ')}, but a subject source is given only \`id\``,
      span: ref.query.span,
      hint: 'use a query whose only required argument is `id`',
    });
  }
};
