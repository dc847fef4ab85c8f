import { describe, expect, it } from 'vitest';
import { T, type Type } from '../types/type.js';
import { checkTemplate, type TemplateCheckOptions } from './check-template.js';

const scope: Record<string, Type> = {
  customer: T.object({ name: T.string, email: T.string, address: T.object({ city: T.string }) }),
  items: T.list(T.object({ sku: T.string, qty: T.number })),
  orders: T.list(T.object({ id: T.string, customer: T.object({ id: T.string }) })),
  trigger: T.object({ invoiceId: T.string, amount: T.number, dueAt: T.timestamp }),
  vip: T.bool,
  tags: T.list(T.string),
  extra: T.dyn,
  prefs: T.map(T.string),
  'first-name': T.string,
};

function check(text: string, options: Partial<TemplateCheckOptions> = {}) {
  return checkTemplate(text, { scope, partials: {}, html: false, ...options });
}

/** The text a problem points at. */
function under(text: string, p: { start: number; end: number }): string {
  return text.slice(p.start, p.end);
}

describe('checkTemplate: names', () => {
  it('accepts a template whose every name is in scope', () => {
    const text = 'Dear {{customer.name}}, invoice {{ trigger.invoiceId }} of {{trigger.amount}} is due {{trigger.dueAt}}.';
    expect(check(text)).toEqual([]);
  });

  it('reports an unknown variable at the whole path, with did-you-mean', () => {
    const text = 'Hello {{ custmer.name }}';
    expect(check(text)).toEqual([
      { code: 'unknown-variable', severity: 'error', message: 'unknown variable `custmer`', start: 9, end: 21, hint: 'did you mean `customer`?', fix: { start: 9, end: 16, newText: 'customer' } },
    ]);
    expect(under(text, { start: 9, end: 21 })).toBe('custmer.name');
  });

  it('reports an unknown field at the field, with did-you-mean over the fields', () => {
    expect(check('{{customer.nmae}}')).toEqual([
      { code: 'unknown-field', severity: 'error', message: '`customer` has no field `nmae`', start: 11, end: 15, hint: 'did you mean `name`?', fix: { start: 11, end: 15, newText: 'name' } },
    ]);
  });

  it('reports an unknown nested field at the nested field', () => {
    const text = 'City: {{customer.address.zip}}';
    const [p, ...rest] = check(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'unknown-field', message: '`customer.address` has no field `zip`', start: 25, end: 28 });
    expect(under(text, p!)).toBe('zip');
    expect(p!.hint).toBe('its fields: `city`');
  });

  it('says a scalar has no fields', () => {
    expect(check('{{customer.name.first}}')).toEqual([
      { code: 'unknown-field', severity: 'error', message: '`customer.name` is `string`, which has no field `first`', start: 16, end: 21 },
    ]);
  });

  it('accepts anything below a dyn value and any key of a map', () => {
    expect(check('{{extra.anything.deep}} {{prefs.whatever}} {{#extra}}{{what.ever}}{{/extra}}')).toEqual([]);
  });

  it('knows what JavaScript gives lists and strings: length and indexes', () => {
    expect(check('{{items.length}} {{items.0.sku}} {{customer.name.length}}')).toEqual([]);
    expect(check('{{items.0.skux}}')).toMatchObject([{ code: 'unknown-field', start: 10, end: 14, hint: 'did you mean `sku`?' }]);
  });

  it('resolves names with odd characters as they are', () => {
    expect(check('{{first-name}}')).toEqual([]);
    expect(check('{{last-name}}')).toMatchObject([{ code: 'unknown-variable', start: 2, end: 11, hint: 'did you mean `first-name`?' }]);
  });

  it('explains that a leading dot is part of the name', () => {
    expect(check('{{#items}}{{.sku}}{{/items}}')).toEqual([
      {
        code: 'unknown-variable',
        severity: 'error',
        message: 'unknown variable `.sku`',
        start: 12,
        end: 16,
        hint: 'mustache.js reads a leading dot as part of the name; write {{sku}} for a field of the current element',
        fix: { start: 12, end: 16, newText: 'sku' },
      },
    ]);
  });

  it('lists the names in scope when nothing is close', () => {
    expect(check('{{zzzzzzzz}}', { scope: { a: T.string, b: T.number } })[0]!.hint).toBe('in scope here: `a`, `b`');
  });

  it('says where a field of list elements can be used', () => {
    expect(check('{{sku}}')[0]).toMatchObject({
      code: 'unknown-variable',
      start: 2,
      end: 5,
      hint: '`sku` is a field of each element of `items`: use it inside {{#items}}...{{/items}}',
    });
    expect(check('{{items.sku}}')[0]).toMatchObject({
      code: 'unknown-field',
      start: 8,
      end: 11,
      hint: '`items` is a list: use {{#items}}{{sku}}{{/items}} to render it for each element',
    });
  });
});

describe('checkTemplate: sections and the context stack', () => {
  it('binds the element of a list inside its section', () => {
    expect(check('{{#items}}{{sku}} x {{qty}}{{/items}}')).toEqual([]);
  });

  it('points at the unknown name inside a section', () => {
    const text = '{{#items}}{{skux}}{{/items}}';
    expect(check(text)).toEqual([
      { code: 'unknown-variable', severity: 'error', message: 'unknown variable `skux`', start: 12, end: 16, hint: 'did you mean `sku`?', fix: { start: 12, end: 16, newText: 'sku' } },
    ]);
  });

  it('sees outer names inside a section', () => {
    expect(check('{{#items}}{{sku}} for {{customer.name}} ({{trigger.invoiceId}}){{/items}}')).toEqual([]);
  });

  it('binds `.` to the element', () => {
    expect(check('{{#tags}}<{{.}}>{{/tags}}')).toEqual([]);
    expect(check('{{#items}}{{.}}{{/items}}')).toMatchObject([
      { code: 'template-renders-object', severity: 'warning', start: 12, end: 13, hint: 'render one of its fields, e.g. {{sku}}' },
    ]);
  });

  it('pushes an object, not a boolean', () => {
    expect(check('{{#customer}}{{name}} in {{address.city}}{{/customer}}')).toEqual([]);
    expect(check('{{#vip}}{{name}}{{/vip}}')).toMatchObject([{ code: 'unknown-variable', start: 10, end: 14 }]);
  });

  it('pushes nothing for an inverted section', () => {
    expect(check('{{^items}}No items, {{customer.name}}.{{/items}}')).toEqual([]);
    expect(check('{{^items}}{{sku}}{{/items}}')).toMatchObject([{ code: 'unknown-variable', start: 12, end: 15 }]);
  });

  it('looks further out when an inner value lacks the rest of a dotted path', () => {
    // `orders[i].customer` has only `id`; Mustache then finds the outer `customer.name`.
    expect(check('{{#orders}}{{customer.id}} {{customer.name}}{{/orders}}')).toEqual([]);
    // Missing everywhere: explained against the frame that got furthest (the order's customer).
    expect(check('{{#orders}}{{customer.zip}}{{/orders}}')).toMatchObject([{ code: 'unknown-field', message: '`customer` has no field `zip`', start: 22, end: 25 }]);
  });

  it('checks a section name and reports an unknown one once, not everything inside it', () => {
    expect(check('{{#itmes}}{{sku}}{{qty}}{{/itmes}}')).toEqual([
      { code: 'unknown-variable', severity: 'error', message: 'unknown variable `itmes`', start: 3, end: 8, hint: 'did you mean `items`?' },
    ]);
  });

  it('nests sections', () => {
    const text = '{{#orders}}{{#customer}}{{id}}{{/customer}}{{#items}}{{sku}}{{/items}}{{/orders}}';
    expect(check(text)).toEqual([]);
  });
});

describe('checkTemplate: output', () => {
  it('warns when a list or object is interpolated directly', () => {
    expect(check('{{customer}} {{items}}')).toEqual([
      {
        code: 'template-renders-object',
        severity: 'warning',
        message: '`customer` is an object and renders as [object Object]',
        start: 2,
        end: 10,
        hint: 'render one of its fields, e.g. {{customer.name}}',
      },
      {
        code: 'template-renders-object',
        severity: 'warning',
        message: '`items` is a list: it renders as its elements joined with commas, objects as [object Object]',
        start: 15,
        end: 20,
        hint: 'render each element with {{#items}}...{{/items}}',
      },
    ]);
  });

  it('warns about triple mustache and {{& }} only in HTML variants', () => {
    const text = '<p>{{{customer.name}}}</p>{{& customer.email}}';
    expect(check(text, { html: false })).toEqual([]);
    expect(check(text, { html: true })).toEqual([
      {
        code: 'template-unescaped-html',
        severity: 'warning',
        message: '`customer.name` is written into the HTML without escaping',
        start: 3,
        end: 22,
        hint: 'use {{customer.name}} so the value is HTML-escaped, or keep the triple mustache only for trusted HTML',
      },
      {
        code: 'template-unescaped-html',
        severity: 'warning',
        message: '`customer.email` is written into the HTML without escaping',
        start: 26,
        end: 46,
        hint: 'use {{customer.email}} so the value is HTML-escaped, or keep the triple mustache only for trusted HTML',
      },
    ]);
  });

  it('accepts timestamps (they render as ISO strings)', () => {
    expect(check('{{trigger.dueAt}} {{#trigger.dueAt}}{{.}}{{/trigger.dueAt}}')).toEqual([]);
  });
});

describe('checkTemplate: partials', () => {
  it('reports an unknown partial at its name, with did-you-mean', () => {
    expect(check('Bye{{> footr}}', { partials: { footer: 'x' } })).toEqual([
      { code: 'unknown-partial', severity: 'error', message: 'unknown partial `footr`', start: 7, end: 12, hint: 'did you mean `footer`?', fix: { start: 7, end: 12, newText: 'footer' } },
    ]);
  });

  it('says when the template has no partials at all', () => {
    expect(check('{{> footer}}')[0]!.hint).toBe('this template declares no partials');
  });

  it('checks a known partial in the including context and reports at the include', () => {
    const partials = { footer: 'Bye {{custmer.name}}', line: '{{sku}} x {{qty}}' };
    expect(check('Hi{{> footer}}', { partials })).toEqual([
      {
        code: 'unknown-variable',
        severity: 'error',
        message: 'in partial `footer`: unknown variable `custmer`',
        start: 2,
        end: 14,
        hint: 'did you mean `customer`?',
      },
    ]);
    expect(check('{{#items}}{{> line}}\n{{/items}}', { partials })).toEqual([]);
    expect(check('{{> line}}', { partials })).toMatchObject([
      { code: 'unknown-variable', message: 'in partial `line`: unknown variable `sku`', start: 0, end: 10 },
      { code: 'unknown-variable', message: 'in partial `line`: unknown variable `qty`', start: 0, end: 10 },
    ]);
  });

  it('reports problems of nested partials and partial syntax errors at the outermost include', () => {
    const partials = { outer: '[{{> inner}}]', inner: '{{#items}}{{sku}}' };
    expect(check('{{> outer}}', { partials })).toEqual([
      {
        code: 'template-syntax',
        severity: 'error',
        message: 'in partial `outer`: in partial `inner`: section `items` is never closed',
        start: 0,
        end: 11,
        hint: 'add {{/items}} where the section ends',
      },
    ]);
  });

  it('reports a partial that includes itself in the same context, and stops', () => {
    expect(check('{{> a}}', { partials: { a: 'x{{> b}}', b: 'y{{> a}}' } })).toEqual([
      {
        code: 'template-recursive-partial',
        severity: 'error',
        message: 'in partial `a`: in partial `b`: partial `a` includes itself (a → b → a) in the same context, so rendering never ends',
        start: 0,
        end: 7,
        hint: 'include it only inside a section over nested data, e.g. {{#children}}{{> a}}{{/children}}',
      },
    ]);
    // A condition that pushes nothing does not help: it holds again one level down.
    expect(check('{{> a}}', { partials: { a: '{{#vip}}{{> a}}{{/vip}}{{^vip}}{{> a}}{{/vip}}' } })).toMatchObject([
      { code: 'template-recursive-partial', start: 0, end: 7 },
    ]);
  });

  it('accepts recursion through a section (a tree rendered by a partial)', () => {
    const tree = T.object({ label: T.string, children: T.list(T.dyn) });
    const partials = { node: '{{label}}{{#children}}{{> node}}{{/children}}' };
    expect(check('{{#root}}{{> node}}{{/root}}', { scope: { root: tree }, partials })).toEqual([]);
  });

  it('stays bounded on partials that fan out', () => {
    const partials: Record<string, string> = {};
    for (let i = 0; i < 30; i++) partials[`p${i}`] = `{{> p${i + 1}}}{{> p${i + 1}}}{{oops}}`;
    partials['p30'] = '{{oops}}';
    const problems = check('{{> p0}}', { partials });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.code === 'unknown-variable' && p.start === 0 && p.end === 8)).toBe(true);
  });
});

describe('checkTemplate: syntax', () => {
  it('reports syntax errors as problems and still checks the names', () => {
    expect(check('{{#items}}{{skux}}')).toEqual([
      { code: 'template-syntax', severity: 'error', message: 'section `items` is never closed', start: 0, end: 10, hint: 'add {{/items}} where the section ends' },
      { code: 'unknown-variable', severity: 'error', message: 'unknown variable `skux`', start: 12, end: 16, hint: 'did you mean `sku`?', fix: { start: 12, end: 16, newText: 'sku' } },
    ]);
  });

  it('does not resolve a tag that swallowed the next one', () => {
    const text = 'Hi {{customer.name\n{{customer.email}}';
    expect(check(text)).toEqual([
      { code: 'template-syntax', severity: 'error', message: 'tag is not closed before the next `{{`', start: 3, end: 18, hint: 'add `}}` to close the tag' },
    ]);
  });

  it('checks names after custom delimiters', () => {
    const text = '{{=<% %>=}}Hi <% custmer.name %> {{not a tag}}';
    expect(check(text)).toMatchObject([{ code: 'unknown-variable', start: 17, end: 29 }]);
  });
});

describe('checkTemplate: filters and pipes', () => {
  it('says Mustache has no pipes, and how to compute the value instead', () => {
    const scope = { trigger: T.object({ plan: T.field(T.string, '') }) };
    const text = 'Plan: {{trigger.plan | upper}}';
    const problems = checkTemplate(text, { scope, partials: {}, html: false });
    expect(problems).toEqual([
      {
        code: 'template-syntax',
        severity: 'error',
        message: 'Mustache has no filters or pipes: `trigger.plan | upper` would be looked up as one name and render nothing',
        start: 8,
        end: 28,
        hint: 'compute the value in the journey with a `set:` step, e.g. `set: { planUpper: "upper(trigger.plan)" }`, and write {{planUpper}}',
      },
    ]);
    expect(checkTemplate('{{#trigger.plan|nope}}x{{/trigger.plan|nope}}', { scope, partials: {}, html: false }).map((p) => p.code)).toEqual(['template-syntax']);
  });
});

describe('checkTemplate: an open scope (a template checked without a journey)', () => {
  const subjectOnly: Record<string, Type> = { subject: T.object({ id: T.string, contacts: T.map(T.string), channels: T.list(T.string) }) };
  const open = (text: string) => checkTemplate(text, { scope: subjectOnly, partials: { p: '{{subject.nope}}' }, html: true, openScope: true });
  const codesAt = (text: string) => open(text).map((p) => `${p.code}: ${under(text, p)}`);

  it('leaves names it does not hold unchecked, and their fields and sections', () => {
    expect(open('{{trigger.amount}} {{customer.name.first}} {{#trigger.items}}{{sku}} {{subject.id}}{{/trigger.items}} {{plan}}')).toEqual([]);
  });

  it('checks the fields of the names it holds, inside sections too', () => {
    const text = '{{subject.nmae}} {{#subject.channels}}{{.}} {{subject.idd}}{{/subject.channels}} {{subject}}';
    expect(codesAt(text)).toEqual(['unknown-field: nmae', 'unknown-field: idd', 'template-renders-object: subject']);
  });

  it('does not report a path that a name it does not hold could still resolve outside a section', () => {
    // Inside `{{#subject}}`, `id.x` fails on the subject, but Mustache goes on to the template's scope: a variable `id` may have `x`.
    expect(open('{{#subject}}{{id.x}} {{region}}{{/subject}}')).toEqual([]);
  });

  it('still reports syntax, partials, escaping and a leading-dot name', () => {
    const text = '{{#subject.channels}}open {{{subject.id}}} {{> q}} {{> p}} {{.id}}';
    expect(codesAt(text)).toEqual([
      'template-syntax: {{#subject.channels}}',
      'template-unescaped-html: {{{subject.id}}}',
      'unknown-partial: q',
      'unknown-field: {{> p}}',
      'unknown-variable: .id',
    ]);
  });
});
