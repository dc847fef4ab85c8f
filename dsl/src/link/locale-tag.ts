/**
 * Locale tags as the runtime compares them when it picks a template variant
 * (runtime/src/pool/select-variant.ts): BCP 47 tags are case-insensitive, and `_` counts as
 * `-`. The compiler's locale checks must match the same way, or they report a variant the
 * runtime finds (`pt-br` for a fallback `pt-BR`) as missing.
 */

/** The form two tags are compared in: `pt_BR`, `PT-br` and `pt-BR` are all `pt-br`. */
export function normalizeLocale(tag: string): string {
  return tag.trim().replace(/_/g, '-').toLowerCase();
}

export function sameLocale(a: string, b: string): boolean {
  return normalizeLocale(a) === normalizeLocale(b);
}

/**
 * The tag's shorter forms, longest first, each a subtag shorter, as the runtime tries them for
 * a subject's own locale: `zh-Hant-TW` → `zh-Hant`, `zh`. A single-letter subtag left at the end
 * goes too (`de-CH-x-phonebk` → `de-CH`). Only a subject's locale is shortened, never a fallback.
 */
export function shorterLocales(tag: string): string[] {
  const subtags = tag.trim().replace(/_/g, '-').split('-').filter((s) => s !== '');
  const out: string[] = [];
  for (let n = subtags.length - 1; n > 0; n--) {
    if (subtags[n - 1]!.length === 1) continue;
    out.push(subtags.slice(0, n).join('-'));
  }
  return out;
}
