import { describe, expect, it } from 'vitest';
import * as render from '../render-entry.js';
import { localePrefixes, normalizeLocale, sameLocale, shorterLocales } from './locale-tag.js';

describe('locale tags', () => {
  it('compare ignoring case, with `_` as `-`', () => {
    expect(normalizeLocale(' pt_BR ')).toBe('pt-br');
    expect(sameLocale('de-CH', 'DE_ch')).toBe(true);
    expect(sameLocale('de', 'de-CH')).toBe(false);
  });

  it('shorten a subtag at a time, longest first, skipping a dangling single-letter subtag', () => {
    expect(localePrefixes('zh-Hant-TW')).toEqual(['zh-hant-tw', 'zh-hant', 'zh']);
    expect(localePrefixes('de_CH-x-phonebk')).toEqual(['de-ch-x-phonebk', 'de-ch', 'de']);
    expect(localePrefixes('')).toEqual([]);
    expect(shorterLocales('pt-BR')).toEqual(['pt']);
    expect(shorterLocales('de')).toEqual([]);
  });

  it('are matched by the runtime through the light render entry, with these very functions', () => {
    expect(render.normalizeLocale).toBe(normalizeLocale);
    expect(render.localePrefixes).toBe(localePrefixes);
    expect(render.sameLocale).toBe(sameLocale);
  });
});
