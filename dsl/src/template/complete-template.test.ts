import { describe, expect, it } from 'vitest';
import { T, type Type } from '../types/type.js';
import { templateVariablesAt } from './complete-template.js';

const item = T.object({ sku: T.string, qty: T.number });
const customer = T.object({ name: T.string, address: T.object({ city: T.string }) });
const scope: Record<string, Type> = { customer, items: T.list(item), vip: T.bool };

/** Completion at the `|` in the text. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const r = templateVariablesAt(text, offset, scope);
  return { prefix: r.prefix, names: r.candidates.map((c) => c.name), candidates: r.candidates };
}

describe('templateVariablesAt', () => {
  it('offers the scope at the top level', () => {
    expect(at('Hi {{cus|}}')).toMatchObject({ prefix: 'cus', names: ['customer', 'items', 'vip'] });
    expect(at('Hi {{ |')).toMatchObject({ prefix: '', names: ['customer', 'items', 'vip'] });
  });

  it('offers the element fields first inside a list section, then the outer names', () => {
    expect(at('{{#items}}{{sk|}}{{/items}}')).toMatchObject({ prefix: 'sk', names: ['sku', 'qty', 'customer', 'items', 'vip'] });
    // Half-typed: the section and the tag are both still open.
    const r = at('{{#items}}\n  {{|');
    expect(r.names).toEqual(['sku', 'qty', 'customer', 'items', 'vip']);
    expect(r.candidates[0]!.type).toEqual(T.string);
  });

  it('does not push for inverted sections or booleans', () => {
    expect(at('{{^items}}{{|}}{{/items}}').names).toEqual(['customer', 'items', 'vip']);
    expect(at('{{#vip}}{{|}}{{/vip}}').names).toEqual(['customer', 'items', 'vip']);
  });

  it('offers fields after a dot', () => {
    expect(at('{{customer.ad|}}')).toMatchObject({ prefix: 'ad', names: ['name', 'address'] });
    expect(at('{{#customer}}{{address.|')).toMatchObject({ prefix: '', names: ['city'] });
    expect(at('{{nobody.|}}')).toMatchObject({ prefix: '', names: [] });
  });

  it('offers the open section in a closing tag', () => {
    expect(at('{{#items}}{{sku}}{{/it|')).toMatchObject({ prefix: 'it', names: ['items'] });
  });

  it('offers nothing outside tags, in comments and after a space', () => {
    expect(at('Hello | {{name}}').names).toEqual([]);
    expect(at('{{! cus|}}').names).toEqual([]);
    expect(at('{{customer |}}').names).toEqual([]);
  });

  it('sees the section a tag runs into while it is being typed', () => {
    // `{{cus` is still open, so Mustache reads `cus\n{{#items` as one tag; the name typed so far is `cus`.
    expect(at('{{#items}}{{cus|\n{{/items}}')).toMatchObject({ prefix: 'cus', names: ['sku', 'qty', 'customer', 'items', 'vip'] });
  });
});
