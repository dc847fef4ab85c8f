import { describe, expect, it } from 'vitest';
import { parseYamlFile } from './parse-yaml-file.js';
import { quoteTemplateValue } from './quote-template-value.js';

/** The text with the edit for `line` applied. */
function quoted(text: string, line: number): string | undefined {
  const edit = quoteTemplateValue(text, line);
  if (!edit) return undefined;
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
}

function valueOf(text: string, ...path: (string | number)[]): unknown {
  const parsed = parseYamlFile('x.template.yaml', text);
  expect(parsed.problems).toEqual([]);
  let node = parsed.root;
  for (const key of path) {
    if (node?.kind === 'map') node = node.entries.find((e) => e.key === key)?.value;
    else if (node?.kind === 'seq' && typeof key === 'number') node = node.items[key];
    else node = undefined;
  }
  return node?.kind === 'scalar' ? node.value : undefined;
}

describe('quoting a value that starts with `{{`', () => {
  it('quotes the whole value of a key, keeping a comment after it', () => {
    const fixed = quoted('email:\n  subject: {{ trigger.name }} welcome # greeting\n  text: hi\n', 1)!;
    expect(fixed).toBe('email:\n  subject: "{{ trigger.name }} welcome" # greeting\n  text: hi\n');
  });

  it('does not take a `#` inside a tag for a comment', () => {
    expect(valueOf(quoted('a: {{#items}} {{.}} {{/items}} and more\n', 0)!, 'a')).toBe('{{#items}} {{.}} {{/items}} and more');
  });

  it('quotes list items, and uses single quotes where double quotes would need escapes', () => {
    const text = 'x:\n  - {{ a }} <a href="/pay">pay</a>\n  - k: {{ b }} it\'s \\o/\n';
    const once = quoted(text, 1)!;
    const twice = quoted(once, 2)!;
    expect(twice).toBe('x:\n  - \'{{ a }} <a href="/pay">pay</a>\'\n  - k: \'{{ b }} it\'\'s \\o/\'\n');
    expect(valueOf(twice, 'x', 0)).toBe('{{ a }} <a href="/pay">pay</a>');
    expect(valueOf(twice, 'x', 1, 'k')).toBe("{{ b }} it's \\o/");
  });

  it('folds a value that goes on over more lines, as YAML would have read it', () => {
    const fixed = quoted('a:\n  text: {{ a }} hello\n    world\n\n    again\n  b: 1\n', 1)!;
    expect(fixed).toBe('a:\n  text: "{{ a }} hello world\\nagain"\n  b: 1\n');
  });

  it('keeps Windows line ends', () => {
    expect(quoted('a: {{ a }} b\r\nc: 1\r\n', 0)).toBe('a: "{{ a }} b"\r\nc: 1\r\n');
  });

  it('offers nothing for lines that hold no such value', () => {
    expect(quoteTemplateValue('a: "{{ a }} b"\n', 0)).toBeUndefined();
    expect(quoteTemplateValue('a: b {{ c }}\n', 0)).toBeUndefined();
    expect(quoteTemplateValue('{{ a }} b\n', 0)).toBeUndefined();
    expect(quoteTemplateValue('a: 1\n', 5)).toBeUndefined();
  });
});
