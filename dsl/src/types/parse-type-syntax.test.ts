import { describe, expect, it } from 'vitest';
import { parseTypeSyntax } from './parse-type-syntax.js';

const error = (text: string) => {
  const r = parseTypeSyntax(text);
  if (r.ok) throw new Error(`\`${text}\` parsed`);
  return r.error;
};

describe('parseTypeSyntax: unknown type names', () => {
  it('offers the documented type names only, and a did-you-mean for a misspelt one', () => {
    expect(error('strng')).toEqual({
      message: 'unknown type `strng`; known: string, number, bool, timestamp, duration, any, list, map',
      start: 0,
      end: 5,
      suggestion: 'string',
    });
    expect(error('list<{sku: string, qty: numbr}>')).toMatchObject({ start: 24, end: 29, suggestion: 'number' });
    expect(error('widget').suggestion).toBeUndefined();
  });

  it('still accepts the undocumented aliases', () => {
    for (const t of ['boolean', 'dyn', 'null']) expect(parseTypeSyntax(t).ok).toBe(true);
  });
});
