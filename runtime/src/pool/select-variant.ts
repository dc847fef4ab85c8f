/**
 * Which variant of a template a message uses: the message kind the channel takes, then the
 * locale. A channel of kind `any` (the log channel standing in for another) takes the variant
 * named like the channel when there is one (a log channel named `sms` shows the SMS text),
 * else the first kind the template has, in the order email, sms, push, webhook, letter, then
 * its own kinds alphabetically. Locales: the subject's, its
 * language alone (`de-CH` → `de`), the template's fallback, the project default, and at last
 * any locale the variant has.
 */
import type { TemplateIR } from '@herald/dsl';

export const ANY_KIND_PREFERENCE: readonly string[] = ['email', 'sms', 'push', 'webhook', 'letter'];

export type VariantChoice =
  | { readonly ok: true; readonly kind: string; readonly locale: string; readonly fields: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly error: string };

export function selectVariant(
  template: TemplateIR,
  channelKind: string,
  subjectLocale: string | undefined,
  defaultLocale: string,
  channelName?: string,
): VariantChoice {
  const kind = channelKind !== 'any' ? channelKind : channelName !== undefined && template.variants[channelName] !== undefined ? channelName : firstKind(template);
  if (kind === undefined) return { ok: false, error: `template ${template.id} has no variants` };
  const byLocale = template.variants[kind];
  if (byLocale === undefined) return { ok: false, error: `template ${template.id} has no ${kind} variant` };
  for (const locale of localeChain(subjectLocale, template.fallbackLocale, defaultLocale, Object.keys(byLocale))) {
    const fields = byLocale[locale];
    if (fields !== undefined) return { ok: true, kind, locale, fields };
  }
  return { ok: false, error: `template ${template.id} has no ${kind} variant in any locale` };
}

function firstKind(template: TemplateIR): string | undefined {
  for (const k of ANY_KIND_PREFERENCE) if (template.variants[k] !== undefined) return k;
  return Object.keys(template.variants).sort()[0];
}

function localeChain(subjectLocale: string | undefined, fallback: string, projectDefault: string, available: readonly string[]): string[] {
  const chain: string[] = [];
  if (subjectLocale) {
    chain.push(subjectLocale);
    const language = subjectLocale.split('-')[0]!;
    if (language !== subjectLocale) chain.push(language);
  }
  chain.push(fallback, projectDefault, ...[...available].sort());
  return chain;
}
