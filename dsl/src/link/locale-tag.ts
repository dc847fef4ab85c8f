/**
 * Locale tags, compared the one way both sides use: the runtime when it picks a template
 * variant (runtime/src/pool/select-variant.ts imports these through `@herald/dsl/render`) and
 * the compiler's locale checks (`missing-fallback-locale`). BCP 47 tags are case-insensitive,
 * and `_` counts as `-`; were the two to compare differently, the compiler would report a
 * variant the runtime finds (`pt-br` for a fallback `pt-BR`) as missing, or miss one it does not.
 *
 * This file imports nothing: it is part of the light `@herald/dsl/render` entry that the
 * runtime's worker threads load, and must not pull in the rest of the compiler.
 */

/** The form two tags are compared in: `pt_BR`, `PT-br` and `pt-BR` are all `pt-br`. */
export function normalizeLocale(tag: string): string {
  return tag.trim().replace(/_/g, '-').toLowerCase();
}

export function sameLocale(a: string, b: string): boolean {
  return normalizeLocale(a) === normalizeLocale(b);
}

/**
 * The tag, normalised, and its shorter forms, longest first, each a subtag shorter: what the
 * runtime tries for a subject's own locale (RFC 4647 lookup). `zh-Hant-TW` gives `zh-hant-tw`,
 * `zh-hant`, `zh`. A single-letter subtag left at the end goes too: it only introduces an
 * extension or private use (`de-CH-x-phonebk` gives `de-ch-x-phonebk`, `de-ch`, `de`, never
 * `de-ch-x`).
 */
export function localePrefixes(tag: string): string[] {
  const subtags = normalizeLocale(tag).split('-').filter((s) => s !== '');
  const out: string[] = [];
  for (let n = subtags.length; n > 0; n--) {
    if (subtags[n - 1]!.length === 1) continue;
    out.push(subtags.slice(0, n).join('-'));
  }
  return out;
}

/**
 * The tag's shorter forms only (`localePrefixes` without the tag itself), normalised: what a
 * subject's locale would also find, but a fallback locale does not, since only a subject's own
 * locale is shortened.
 */
export function shorterLocales(tag: string): string[] {
  const whole = normalizeLocale(tag);
  return localePrefixes(tag).filter((t) => t !== whole);
}
