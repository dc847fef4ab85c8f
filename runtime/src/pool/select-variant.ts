/**
 * Which variant of a template a message uses: the message kind the channel takes, then the
 * locale. A channel of kind `any` (the log channel standing in for another) takes the variant
 * named like the channel when there is one (a log channel named `sms` shows the SMS text),
 * else the first kind the template has, in the order email, sms, push, webhook, letter, then
 * its own kinds alphabetically. Locales: the subject's, then it shortened a subtag at a time
 * (`zh-Hant-TW` → `zh-Hant` → `zh`), the template's fallback, the project default, and at last
 * any locale the variant has. Tags compare case-insensitively with `_` read as `-` (`DE`,
 * `de_ch` find `de`, `de-CH`); the chosen locale is the variant's key as the template wrote it.
 * How tags compare and shorten comes from the compiler (`@herald/dsl/render`, the light entry the
 * workers load), so that its `missing-fallback-locale` check matches exactly what is picked here.
 */
import { localePrefixes, normalizeLocale } from '@herald/dsl/render';
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
  const declared = declaredLocales(Object.keys(byLocale));
  for (const tag of localeChain(subjectLocale, template.fallbackLocale, defaultLocale, Object.keys(byLocale))) {
    const locale = declared.get(tag);
    if (locale !== undefined) return { ok: true, kind, locale, fields: byLocale[locale]! };
  }
  return { ok: false, error: `template ${template.id} has no ${kind} variant in any locale` };
}

function firstKind(template: TemplateIR): string | undefined {
  for (const k of ANY_KIND_PREFERENCE) if (template.variants[k] !== undefined) return k;
  return Object.keys(template.variants).sort()[0];
}

/**
 * Normalized tag -> the key as the template declares it, so the message carries the template's
 * own spelling. Two keys equal but for case (`de-CH`, `de-ch`): the first in sorted order wins,
 * which does not depend on the order the variants were written in.
 */
function declaredLocales(keys: readonly string[]): Map<string, string> {
  const byTag = new Map<string, string>();
  for (const key of [...keys].sort()) if (!byTag.has(normalizeLocale(key))) byTag.set(normalizeLocale(key), key);
  return byTag;
}

/** The normalized tags to try, best first; look each up in `declaredLocales`. */
function localeChain(subjectLocale: string | undefined, fallback: string, projectDefault: string, available: readonly string[]): string[] {
  // The subject's tag and its shorter forms (`zh-hant-tw`, `zh-hant`, `zh`); the fallbacks only whole.
  const chain = subjectLocale ? localePrefixes(subjectLocale) : [];
  chain.push(normalizeLocale(fallback), normalizeLocale(projectDefault), ...[...available].sort().map(normalizeLocale));
  return chain;
}
