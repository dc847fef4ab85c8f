import { describe, expect, it } from 'vitest';
import { scanTemplate } from './scan-template.js';

describe('scanTemplate: tags', () => {
  it('lists every kind of tag with the exact offsets of its name and of the tag', () => {
    const text = 'Hi {{ name }} {{{raw}}} {{& amp }} {{#s}}{{/s}} {{^ i}}{{/i}} {{> footer}} {{! note }}';
    const { tags, problems } = scanTemplate(text);
    expect(problems).toEqual([]);
    expect(tags).toEqual([
      { kind: 'name', path: 'name', start: 6, end: 10, tagStart: 3, tagEnd: 13 },
      { kind: 'unescaped', path: 'raw', start: 17, end: 20, tagStart: 14, tagEnd: 23 },
      { kind: 'unescaped', path: 'amp', start: 28, end: 31, tagStart: 24, tagEnd: 34 },
      { kind: 'section', path: 's', start: 38, end: 39, tagStart: 35, tagEnd: 41 },
      { kind: 'inverted', path: 'i', start: 52, end: 53, tagStart: 48, tagEnd: 55 },
      { kind: 'partial', path: 'footer', start: 66, end: 72, tagStart: 62, tagEnd: 74 },
      { kind: 'comment', path: 'note', start: 79, end: 83, tagStart: 75, tagEnd: 86 },
    ]);
    for (const t of tags) expect(text.slice(t.start, t.end)).toBe(t.path);
  });

  it('follows custom delimiters', () => {
    const text = '{{=<% %>=}}Hi <% customer.name %>, {{literal}} <%={{ }}=%>{{back}}';
    const { tags, problems } = scanTemplate(text);
    expect(problems).toEqual([]);
    expect(tags).toEqual([
      { kind: 'name', path: 'customer.name', start: 17, end: 30, tagStart: 14, tagEnd: 33 },
      { kind: 'name', path: 'back', start: 60, end: 64, tagStart: 58, tagEnd: 66 },
    ]);
    expect(tags.map((t) => text.slice(t.tagStart, t.tagEnd))).toEqual(['<% customer.name %>', '{{back}}']);
  });

  it('keeps spaces inside a name, as Mustache does', () => {
    expect(scanTemplate('{{ first name }}').tags).toMatchObject([{ path: 'first name', start: 3, end: 13 }]);
  });
});

describe('scanTemplate: syntax errors are problems, never exceptions', () => {
  const problemsOf = (text: string) => scanTemplate(text).problems.map((p) => ({ code: p.code, message: p.message, at: text.slice(p.start, p.end), start: p.start, end: p.end }));

  it('an unclosed section, at its opening tag', () => {
    expect(problemsOf('Hi {{#items}}{{sku}}')).toEqual([
      { code: 'template-syntax', message: 'section `items` is never closed', at: '{{#items}}', start: 3, end: 13 },
    ]);
  });

  it('an unclosed tag, at its opening delimiter', () => {
    expect(problemsOf('Hi {{name')).toEqual([
      { code: 'template-syntax', message: 'tag is not closed: `{{` has no matching `}}`', at: '{{', start: 3, end: 5 },
    ]);
    expect(problemsOf('Hi {{# items')).toEqual([
      { code: 'template-syntax', message: 'tag is not closed: `{{` has no matching `}}`', at: '{{#', start: 3, end: 6 },
    ]);
    expect(problemsOf('{{{raw}}')).toEqual([
      { code: 'template-syntax', message: 'tag is not closed: `{{{` has no matching `}}}`', at: '{{{', start: 0, end: 3 },
    ]);
  });

  it('a close that does not match, at the closing tag', () => {
    expect(problemsOf('{{#a}}{{#b}}x{{/a}}')).toEqual([
      { code: 'template-syntax', message: '`{{/a}}` closes section `a` while section `b` is still open', at: '{{/a}}', start: 13, end: 19 },
    ]);
    expect(problemsOf('{{#items}}x{{/itmes}}')).toEqual([
      { code: 'template-syntax', message: '`{{/itmes}}` does not match `{{#items}}`', at: '{{/itmes}}', start: 11, end: 21 },
    ]);
    expect(problemsOf('x{{/a}}')).toEqual([
      { code: 'template-syntax', message: '`{{/a}}` closes a section that is not open', at: '{{/a}}', start: 1, end: 7 },
    ]);
  });

  it('a mis-nested close: names the section it does not match, where it opens, and the close meant', () => {
    const text = '{{#trigger.seats}}many{{/trigger.seat}}';
    expect(scanTemplate(text).problems).toEqual([
      {
        code: 'template-syntax',
        severity: 'error',
        message: '`{{/trigger.seat}}` does not match `{{#trigger.seats}}`',
        start: 22,
        end: 39,
        hint: 'did you mean {{/trigger.seats}}?',
        related: [{ start: 0, end: 18, message: '{{#trigger.seats}} is opened here' }],
      },
    ]);
    // A stray close before the real one: one problem, not also "closes a section that is not open".
    expect(problemsOf('{{#a}}x{{/b}}y{{/a}}')).toEqual([
      { code: 'template-syntax', message: '`{{/b}}` does not match `{{#a}}`', at: '{{/b}}', start: 7, end: 13 },
    ]);
    expect(scanTemplate('{{#a}}x{{/b}}y{{/a}}').tags.map((t) => t.path)).toEqual(['a']);
  });

  it('bad delimiters, an empty tag, a tag that runs into the next', () => {
    expect(problemsOf('{{=<%=}}')).toEqual([
      { code: 'template-syntax', message: '`{{=<%=}}` must set two delimiters separated by a space', at: '{{=<%=}}', start: 0, end: 8 },
    ]);
    expect(problemsOf('a {{ }} b')).toEqual([{ code: 'template-syntax', message: 'the tag names nothing', at: '{{ }}', start: 2, end: 7 }]);
    expect(problemsOf('{{a {{b}}')).toEqual([
      { code: 'template-syntax', message: 'tag is not closed before the next `{{`', at: '{{a', start: 0, end: 3 },
    ]);
  });

  it('still lists the tags it could read', () => {
    const { tags } = scanTemplate('{{#items}}{{sku}}{{/itmes}} {{name');
    expect(tags.map((t) => [t.kind, t.path])).toEqual([
      ['section', 'items'],
      ['name', 'sku'],
    ]);
  });
});

describe('scanTemplate: limits', () => {
  it('reports absurdly deep nesting instead of recursing into it', () => {
    const text = '{{#a}}'.repeat(5000) + '{{/a}}'.repeat(5000);
    const { problems, tags } = scanTemplate(text);
    expect(problems).toEqual([
      { code: 'template-syntax', severity: 'error', message: 'sections nest deeper than 64 levels', start: 64 * 6, end: 65 * 6, hint: 'flatten the template, or move parts into partials' },
    ]);
    expect(tags).toHaveLength(5000);
  });
});
