import { describe, expect, it, vi } from 'vitest';
import type { TemplateIR } from '@herald/dsl';
import { localePrefixes, normalizeLocale, sameLocale } from '@herald/dsl/render';
import { reminder } from './pool-test-fixtures.js';
import { selectVariant } from './select-variant.js';

// The compiler's own functions, watched: the runtime must match tags with them, not a copy.
vi.mock('@herald/dsl/render', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@herald/dsl/render')>();
  return { ...actual, normalizeLocale: vi.fn(actual.normalizeLocale), localePrefixes: vi.fn(actual.localePrefixes) };
});

/** A template whose email variants are the given locale keys, each field naming its key. */
function withLocales(...locales: string[]): TemplateIR {
  return { ...reminder, variants: { email: Object.fromEntries(locales.map((l) => [l, { subject: l }])) } };
}

const localeFor = (template: TemplateIR, subjectLocale: string | undefined, defaultLocale = 'en') => {
  const choice = selectVariant(template, 'email', subjectLocale, defaultLocale);
  return choice.ok ? choice.locale : choice.error;
};

describe('selectVariant: locales', () => {
  it('keeps what worked: the exact locale, the language, then the fallback', () => {
    const t = withLocales('en', 'de', 'de-CH');
    expect(localeFor(t, 'en-GB')).toBe('en');
    expect(localeFor(t, 'de-AT')).toBe('de');
    expect(localeFor(t, 'de-CH')).toBe('de-CH');
    expect(localeFor(t, 'fr')).toBe('en');
    expect(localeFor(t, undefined)).toBe('en');
  });

  it('compares tags case-insensitively and returns the key as the template declares it', () => {
    const t = withLocales('en', 'de', 'de-CH');
    expect(localeFor(t, 'DE')).toBe('de');
    expect(localeFor(t, 'de-ch')).toBe('de-CH');
    expect(localeFor(t, 'DE-CH')).toBe('de-CH');
    expect(localeFor(withLocales('en', 'pt-br'), 'pt-BR')).toBe('pt-br');
    expect(selectVariant(t, 'email', 'de-ch', 'en')).toEqual({ ok: true, kind: 'email', locale: 'de-CH', fields: { subject: 'de-CH' } });
  });

  it('reads _ as - (de_CH from a CRM)', () => {
    const t = withLocales('en', 'de', 'de-CH');
    expect(localeFor(t, 'de_CH')).toBe('de-CH');
    expect(localeFor(t, 'de_AT')).toBe('de');
    expect(localeFor(withLocales('en', 'de_CH'), 'de-ch')).toBe('de_CH');
  });

  it('shortens a tag one subtag at a time, skipping a dangling singleton', () => {
    expect(localeFor(withLocales('en', 'zh', 'zh-Hant', 'zh-Hant-TW'), 'zh-Hant-TW')).toBe('zh-Hant-TW');
    expect(localeFor(withLocales('en', 'zh', 'zh-Hant'), 'zh-Hant-TW')).toBe('zh-Hant');
    expect(localeFor(withLocales('en', 'zh'), 'zh-hant-tw')).toBe('zh');
    expect(localeFor(withLocales('en', 'de-CH', 'de'), 'de-CH-x-phonebk')).toBe('de-CH');
  });

  it("falls back to the template's fallback, the project default, then any locale it has", () => {
    expect(localeFor({ ...withLocales('en', 'fr'), fallbackLocale: 'fr' }, 'zh-Hant-TW')).toBe('fr');
    expect(localeFor({ ...withLocales('it', 'fr'), fallbackLocale: 'es' }, 'zh', 'IT')).toBe('it');
    expect(localeFor({ ...withLocales('it', 'fr'), fallbackLocale: 'es' }, 'zh', 'nl')).toBe('fr');
    expect(localeFor(withLocales(), 'de')).toBe('template reminder has no email variant in any locale');
  });
});

describe("selectVariant: the compiler's locale matching", () => {
  it('compares and shortens tags with the functions the compiler checks fallback locales with', () => {
    vi.mocked(normalizeLocale).mockClear();
    vi.mocked(localePrefixes).mockClear();
    expect(localeFor({ ...withLocales('en', 'de-CH', 'pt'), fallbackLocale: 'PT' }, 'de_CH-x-phonebk')).toBe('de-CH');
    expect(localePrefixes).toHaveBeenCalledWith('de_CH-x-phonebk');
    expect(normalizeLocale).toHaveBeenCalledWith('PT');
    expect(normalizeLocale).toHaveBeenCalledWith('de-CH');
  });

  it('gives a subject without a variant of its own the fallback exactly when missing-fallback-locale finds it', () => {
    const cases: [fallback: string, locales: string[]][] = [
      ['pt-br', ['pt-BR', 'de']],
      ['pt-BR', ['pt', 'de']],
      ['de_CH', ['de-ch', 'fr']],
      ['EN', ['en', 'de']],
      ['zh-Hant', ['zh', 'zh-Hant-TW']],
    ];
    for (const [fallback, locales] of cases) {
      const compilerFinds = locales.some((l) => sameLocale(l, fallback));
      const chosen = localeFor({ ...withLocales(...locales), fallbackLocale: fallback }, 'xx', 'yy');
      expect(sameLocale(chosen, fallback), `${fallback} in ${locales.join(', ')}`).toBe(compilerFinds);
    }
  });
});
