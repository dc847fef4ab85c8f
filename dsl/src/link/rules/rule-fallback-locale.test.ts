import { describe, expect, it } from 'vitest';
import { fallbackLocales } from './rule-fallback-locale.js';
import { BASE_CONFIG, checkRule } from './test-project.js';

describe('missing-fallback-locale', () => {
  it('accepts variants in the default fallback `en`', () => {
    expect(checkRule(fallbackLocales, { 't.template.yaml': 'template: t\nsms: { en: { body: a }, de: { body: b } }\n' })).toEqual([]);
  });

  it('reports a kind without a variant in `en` at the kind key when nothing sets the fallback', () => {
    const r = checkRule(fallbackLocales, {
      'herald.yaml': BASE_CONFIG,
      't.template.yaml': 'template: t\nemail: { en: { subject: a, text: b } }\nsms:\n  de: { body: a }\n  fr: { body: b }\n',
    });
    expect(r).toEqual([
      expect.objectContaining({
        code: 'missing-fallback-locale',
        severity: 'error',
        at: 'sms',
        message: 'template `t` has `sms` variants for `de` and `fr` but none for its fallback locale `en`',
        hint: 'add an `en:` variant under `sms:`, or set `fallbackLocale:` to `de` or `fr` (without `fallbackLocale:` or `defaults.locale` in herald.yaml, the fallback is `en`)',
        related: [],
      }),
    ]);
  });

  it('uses defaults.locale from herald.yaml, and points at it', () => {
    const config = BASE_CONFIG.replace('defaults:\n', 'defaults:\n  locale: de\n');
    const r = checkRule(fallbackLocales, { 'herald.yaml': config, 't.template.yaml': 'template: t\nsms: { en: { body: a } }\n' });
    expect(r.map((p) => p.message)).toEqual(['template `t` has `sms` variants for `en` but none for its fallback locale `de`']);
    expect(r[0]!.related).toEqual([{ file: 'herald.yaml', at: 'de', line: 3, message: 'the fallback locale is set in herald.yaml here' }]);
  });

  it('matches the fallback locale as the runtime does: ignoring case, with `_` as `-`', () => {
    const config = BASE_CONFIG.replace('defaults:\n', 'defaults:\n  locale: pt-br\n');
    expect(checkRule(fallbackLocales, { 'herald.yaml': config, 't.template.yaml': 'template: t\nsms: { pt-BR: { body: a }, de: { body: b } }\n' })).toEqual([]);
    expect(checkRule(fallbackLocales, { 't.template.yaml': 'template: t\nfallbackLocale: de-CH\nsms: { de-ch: { body: a } }\n' })).toEqual([]);
  });

  it('does not shorten the fallback locale (the runtime shortens only a subject\'s own), and says so', () => {
    const r = checkRule(fallbackLocales, { 't.template.yaml': 'template: t\nfallbackLocale: pt-BR\nsms: { pt: { body: a }, de: { body: b } }\n' });
    expect(r.map((p) => [p.message, p.hint])).toEqual([
      [
        'template `t` has `sms` variants for `pt` and `de` but none for its fallback locale `pt-BR`',
        "a fallback locale is matched whole, not shortened like a subject's own: set `fallbackLocale: pt`, or add a `pt-BR:` variant under `sms:`",
      ],
    ]);
  });

  it("prefers the template's fallbackLocale", () => {
    const config = BASE_CONFIG.replace('defaults:\n', 'defaults:\n  locale: de\n');
    const ok = checkRule(fallbackLocales, { 'herald.yaml': config, 't.template.yaml': 'template: t\nfallbackLocale: en\nsms: { en: { body: a } }\n' });
    expect(ok).toEqual([]);
    const r = checkRule(fallbackLocales, { 'herald.yaml': config, 't.template.yaml': 'template: t\nfallbackLocale: fr\nsms: { de: { body: a } }\n' });
    expect(r[0]!.related).toEqual([{ file: 't.template.yaml', at: 'fr', line: 2, message: 'the fallback locale is set by the template here' }]);
  });
});
