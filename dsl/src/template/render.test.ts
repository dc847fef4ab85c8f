import { describe, expect, it } from 'vitest';
import { renderTemplate } from './render.js';

describe('renderTemplate', () => {
  const view = { customer: { name: 'Ann & <Bob>' }, items: [{ sku: 'A1', qty: 2 }, { sku: 'B2', qty: 1 }] };

  it('escapes for HTML variants', () => {
    expect(renderTemplate('<p>{{customer.name}}</p>', view, {}, { html: true })).toBe('<p>Ann &amp; &lt;Bob&gt;</p>');
    expect(renderTemplate('<p>{{{customer.name}}}</p>', view, {}, { html: true })).toBe('<p>Ann & <Bob></p>');
  });

  it('does not escape for text variants', () => {
    expect(renderTemplate('Hi {{customer.name}}', view, {}, { html: false })).toBe('Hi Ann & <Bob>');
  });

  it('escapes for a JSON string in JSON fields (webhook bodies), so quotes and line breaks in values keep the document valid', () => {
    const data = { name: 'Ada "the" Admin\\\nline two', amount: 12.5, vip: true };
    const out = renderTemplate('{"name": "{{name}}", "amount": {{amount}}, "vip": {{vip}}}', data, {}, { html: false, json: true });
    expect(JSON.parse(out)).toEqual({ name: 'Ada "the" Admin\\\nline two', amount: 12.5, vip: true });
  });

  it('renders sections, outer names inside them, partials, and what the checker allows on lists', () => {
    const partials = { line: '{{sku}} x{{qty}} for {{customer.name}};' };
    expect(renderTemplate('{{items.length}}: {{#items}}{{> line}}{{/items}} first {{items.0.sku}}', view, partials, { html: false })).toBe(
      '2: A1 x2 for Ann & <Bob>;B2 x1 for Ann & <Bob>; first A1',
    );
    expect(renderTemplate('{{^items}}none{{/items}}', { items: [] }, {}, { html: false })).toBe('none');
  });

  it('renders timestamps as ISO strings and ignores functions in the data', () => {
    const at = new Date('2024-05-01T10:00:00Z');
    const data = { sentAt: at, nested: [{ at }], hook: () => 'ran' };
    expect(renderTemplate('{{sentAt}} {{#nested}}{{at}}{{/nested}} [{{hook}}]', data, {}, { html: false })).toBe(
      '2024-05-01T10:00:00.000Z 2024-05-01T10:00:00.000Z []',
    );
  });

  it('finds only the partials it is given', () => {
    expect(renderTemplate('[{{> constructor}}{{> missing}}]', {}, {}, { html: false })).toBe('[]');
  });

  it('handles cyclic data without looping', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    expect(renderTemplate('{{self.self.name}}', a, {}, { html: false })).toBe('a');
  });
});
