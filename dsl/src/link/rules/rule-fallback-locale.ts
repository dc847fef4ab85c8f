/**
 * `missing-fallback-locale`: a subject whose locale a template does not have gets the
 * fallback locale (`fallbackLocale:`, else `defaults.locale`, else `en`); a message kind
 * with variants but none in that locale would leave such a subject with whichever variant
 * sorts first. Tags match as the runtime matches them (locale-tag.ts): `pt-br` is `pt-BR`.
 * The runtime shortens only a subject's own tag, so a fallback `pt-BR` does not find `pt`.
 */
import type { TemplateVariant } from '../../model/ast.js';
import type { LinkRule } from '../link-context.js';
import { sameLocale, shorterLocales } from '../locale-tag.js';
import { listNames } from './describe-step.js';

export const fallbackLocales: LinkRule = ({ model, report }) => {
  const defaultLocale = model.config?.defaults.locale;
  for (const t of model.templates) {
    const fallback = t.fallbackLocale ?? defaultLocale;
    const locale = fallback?.value ?? 'en';
    const byKind = new Map<string, TemplateVariant[]>();
    for (const v of t.variants) byKind.set(v.channel.value, [...(byKind.get(v.channel.value) ?? []), v]);
    for (const [kind, variants] of byKind) {
      if (variants.some((v) => sameLocale(v.locale.value, locale))) continue;
      const locales = variants.map((v) => v.locale.value);
      const shorter = shorterLocales(locale)
        .map((tag) => variants.find((v) => sameLocale(v.locale.value, tag))?.locale.value)
        .find((l) => l !== undefined);
      report({
        code: 'missing-fallback-locale',
        message: `template \`${t.id.value}\` has \`${kind}\` variants for ${listNames(locales)} but none for its fallback locale \`${locale}\``,
        span: variants[0]!.channel.span,
        hint: shorter
          ? `a fallback locale is matched whole, not shortened like a subject's own: set \`fallbackLocale: ${shorter}\`, or add a \`${locale}:\` variant under \`${kind}:\``
          : `add an \`${locale}:\` variant under \`${kind}:\`, or set \`fallbackLocale:\` to ${listNames(locales, 'or')}` +
            (fallback ? '' : ` (without \`fallbackLocale:\` or \`defaults.locale\` in herald.yaml, the fallback is \`en\`)`),
        related: fallback
          ? [{ span: fallback.span, message: `the fallback locale is set ${fallback === t.fallbackLocale ? 'by the template' : 'in herald.yaml'} here` }]
          : [],
      });
    }
  }
};
