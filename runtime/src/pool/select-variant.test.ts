import { describe, expect, it } from 'vitest';
import type { TemplateIR } from '@herald/dsl';
import { reminder } from './pool-test-fixtures.js';
import { selectVariant } from './select-variant.js';

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
