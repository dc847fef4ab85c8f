import { describe, expect, it } from 'vitest';
import { T } from '../types/type.js';
import { scopeNameUses } from './scope-name-uses.js';

const scope = {
  name: T.string,
  items: T.list(T.object({ name: T.string, sku: T.string })),
  skus: T.list(T.object({ sku: T.string })),
  rows: T.list(T.dyn),
  labels: T.map(T.string),
  customer: T.object({ name: T.string }),
};

/** Each use as the text it covers and whether it is certain. */
function uses(text: string, name = 'name'): string[] {
  return scopeNameUses(text, scope, name).map((u) => `${text.slice(u.start, u.end)}@${u.start}${u.certain ? '' : '?'}`);
}

describe('scopeNameUses (which tags a rename of a scope name must rewrite)', () => {
  it('finds the name in plain tags, dotted paths and both tags of a section over it', () => {
    expect(uses('Hi {{name}} {{{name}}} {{name.length}}')).toEqual(['name@5', 'name@15', 'name@25']);
    expect(uses('{{#name}}x{{/name}}')).toEqual(['name@3', 'name@13']);
  });

  it("leaves an item's field of the same name inside a section, and finds the scope's where the items have none", () => {
    expect(uses('{{#items}}{{name}} {{sku}}{{/items}} {{name}}')).toEqual(['name@39']);
    expect(uses('{{#skus}}{{name}}{{/skus}}')).toEqual(['name@11']);
    expect(uses('{{#customer}}{{name}}{{/customer}}')).toEqual([]);
  });

  it('says a use inside a section over a value of unknown type or a map is not certain', () => {
    expect(uses('{{#rows}}{{name}}{{/rows}}')).toEqual(['name@11?']);
    expect(uses('{{#labels}}{{name}}{{/labels}}')).toEqual(['name@13?']);
  });

  it('follows an inverted section (it pushes nothing), and leaves other names and `.` alone', () => {
    expect(uses('{{^items}}{{name}}{{/items}}{{.}}{{names}}')).toEqual(['name@12']);
    expect(uses('{{#items}}{{sku}}{{/items}}', 'items')).toEqual(['items@3', 'items@20']);
  });
});
