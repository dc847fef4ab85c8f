/**
 * `missing-variant-field`: each variant must have the fields its message kind requires
 * (MESSAGE_KINDS), and an email needs a body: `html`, `text` or both. Unknown fields are
 * the schema's business (`additionalProperties: false` per kind). A field that is written but
 * whose text could not be read (`template-file-not-found`, a value of the wrong type) is not
 * missing: its own problem says what is wrong with it. Nor is a field written under a misspelt
 * name (`subjet:`): the shape stage reports that key with a did-you-mean.
 */
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { LinkRule } from '../link-context.js';
import { MESSAGE_KINDS } from '../../schema/template-schema.js';

export const variantFields: LinkRule = ({ model, report }) => {
  for (const t of model.templates) {
    for (const v of t.variants) {
      const kind = MESSAGE_KINDS[v.channel.value];
      if (!kind) continue;
      const written = [...v.fields.map((f) => f.name.value), ...v.unreadFields.map((f) => f.value)];
      const has = new Set(written);
      const known = Object.keys(kind.fields);
      for (const w of written) {
        const meant = known.includes(w) ? undefined : didYouMean(w, known);
        if (meant) has.add(meant);
      }
      const where = `\`${v.channel.value}\` variant \`${v.locale.value}\` of template \`${t.id.value}\``;
      for (const [field, info] of Object.entries(kind.fields)) {
        if (!info.required || has.has(field)) continue;
        report({
          code: 'missing-variant-field',
          message: `${where} has no \`${field}\``,
          span: v.locale.span,
          hint: `add \`${field}:\` (${lowerFirst(info.doc.replace(/\.$/, ''))})`,
        });
      }
      if (v.channel.value === 'email' && !has.has('html') && !has.has('text')) {
        report({
          code: 'missing-variant-field',
          message: `${where} has no body`,
          span: v.locale.span,
          hint: 'add `html:`, `text:` or both',
        });
      }
    }
  }
};

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
