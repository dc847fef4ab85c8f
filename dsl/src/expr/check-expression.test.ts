import { describe, expect, it } from 'vitest';
import { T, typeToString, type Type } from '../types/type.js';
import { checkExpression } from './check-expression.js';
import { parseExpression } from './parse-expression.js';
import type { ExprProblem } from './problem.js';

const scope: Record<string, Type> = {
  trigger: T.object({
    amount: T.number,
    invoiceId: T.string,
    at: T.timestamp,
    items: T.list(T.object({ sku: T.string, price: T.number })),
    tags: T.list(T.string),
    meta: T.map(T.string),
    note: T.optional(T.string),
  }),
  customer: T.object({
    name: T.string,
    segment: T.string,
    email: T.optional(T.string),
    address: T.object({ zip: T.string, city: T.string }),
    vip: T.bool,
  }),
  delay: T.duration,
  payload: T.dyn,
  flag: T.bool,
};

function check(text: string, expected?: Type) {
  const parsed = parseExpression(text);
  expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return checkExpression(parsed.ast!, scope, expected);
}

function typeOf(text: string): string {
  const r = check(text);
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return typeToString(r.checked.type);
}

function problems(text: string, expected?: Type): Pick<ExprProblem, 'code' | 'start' | 'end' | 'message' | 'hint'>[] {
  return check(text, expected).problems.map(({ code, start, end, message, hint }) => (hint === undefined ? { code, start, end, message } : { code, start, end, message, hint }));
}

describe('types', () => {
  it.each([
    ['1 + 2', 'number'],
    ['"a" + "b"', 'string'],
    ['[1, 2] + [3]', 'list<number>'],
    ['trigger.at + 7d', 'timestamp'],
    ['7d + trigger.at', 'timestamp'],
    ['trigger.at - 1h', 'timestamp'],
    ['now() - trigger.at', 'duration'],
    ['delay + 30m', 'duration'],
    ['delay * 2', 'duration'],
    ['2 * delay', 'duration'],
    ['delay / 2', 'duration'],
    ['delay / 1h', 'number'],
    ['-delay', 'duration'],
    ['trigger.amount > 1000 && customer.segment == "business"', 'bool'],
    ['trigger.items[0].price', 'number'],
    ['trigger.meta["k"]', 'string'],
    ['customer["name"]', 'string'],
    ['trigger.items', 'list<{sku: string, price: number}>'],
    ['[]', 'list<dyn>'],
    ['[1, "a"]', 'list<dyn>'],
    ['[null, 1]', 'list<number>'],
    ['{}', 'map<dyn>'],
    ['{"a": 1, b: "x"}', '{a: number, b: string}'],
    ['{(trigger.invoiceId): 1}', 'map<number>'],
    ['trigger.note ?? "none"', 'string'],
    ['null ?? 1', 'number'],
    ['flag ? 1 : 2', 'number'],
    ['payload.anything.goes', 'dyn'],
    ['payload + 1', 'number'],
    ['payload + delay', 'dyn'],
    ['size(trigger.items)', 'number'],
    ['trigger.tags.size()', 'number'],
    ['coalesce(trigger.note, customer.name)', 'string'],
    ['min(1, 2)', 'number'],
    ['max([trigger.at, now()])', 'timestamp'],
    ['abs(delay)', 'duration'],
    ['keys(trigger.meta)', 'list<string>'],
    ['has(customer.email)', 'bool'],
    ['"x" in trigger.tags', 'bool'],
    ['"k" in trigger.meta', 'bool'],
  ])('%s : %s', (text, type) => {
    expect(typeOf(text)).toBe(type);
  });

  it('records a type for every node', () => {
    const r = check('trigger.amount + 1 > 2');
    const types = [...r.checked.nodeTypes.values()].map(typeToString);
    expect(types.sort()).toEqual(['bool', 'number', 'number', 'number', 'number', '{amount: number, invoiceId: string, at: timestamp, items: list<{sku: string, price: number}>, tags: list<string>, meta: map<string>, note: string?}'].sort());
  });
});

describe('unknown names', () => {
  it('unknown-variable with did-you-mean over the scope', () => {
    expect(problems('custmer.name == "x"')).toEqual([
      { code: 'unknown-variable', start: 0, end: 7, message: 'unknown variable `custmer`', hint: 'did you mean `customer`?' },
    ]);
  });

  it('a function named without parentheses', () => {
    expect(problems('now > trigger.at')[0]).toMatchObject({ code: 'unknown-variable', hint: '`now` is a function: write `now(...)`' });
    expect(problems('event.amount > 3')[0]).toMatchObject({
      code: 'unknown-variable',
      hint: "`event` is in scope only where an event is being matched (`trigger.when`, a wait's `match`): the event that started the journey is `trigger`, one a wait took is its `as:` name",
    });
  });

  it('unknown-field names the object and points at the field', () => {
    expect(problems('customer.nmae == "x"')).toEqual([
      { code: 'unknown-field', start: 9, end: 13, message: '`customer` has no field `nmae`', hint: 'did you mean `name`?' },
    ]);
    expect(problems('customer.address.zipp')[0]).toMatchObject({ start: 17, end: 21, message: '`customer.address` has no field `zipp`', hint: 'did you mean `zip`?' });
    expect(problems('customer.address.qqqqqq')[0]).toMatchObject({ hint: 'its fields are `zip`, `city`' });
    expect(problems('customer["nmae"]')[0]).toMatchObject({ code: 'unknown-field', start: 9, end: 15 });
  });

  it('unknown-function with did-you-mean over the library', () => {
    expect(problems('lenght(trigger.tags) > 0')).toEqual([
      { code: 'unknown-function', start: 0, end: 6, message: 'unknown function `lenght`' },
    ]);
    expect(problems('sise(trigger.tags) > 0')[0]).toMatchObject({ hint: 'did you mean `size`?' });
    expect(problems('customer.name.lowr()')[0]).toMatchObject({ code: 'unknown-function', start: 14, end: 18, hint: 'did you mean `lower`?' });
  });

  it('call style: global-only and method-only functions', () => {
    expect(problems('trigger.at.now()')[0]).toMatchObject({ code: 'unknown-function', message: '`now` is not a method' });
    expect(problems('contains(customer.name, "a")')[0]).toMatchObject({
      code: 'unknown-function',
      hint: 'write `customer.name.contains("a")`',
    });
  });

  it('several problems are all reported', () => {
    expect(problems('custmer.x && customer.nmae == 1 && sise(1)').map((p) => p.code)).toEqual(['unknown-variable', 'unknown-field', 'unknown-function']);
  });
});

describe('type mismatches', () => {
  it('comparing different types', () => {
    expect(problems('customer.name == 1')).toEqual([
      { code: 'type-mismatch', start: 0, end: 18, message: 'cannot compare `string` with `number`', hint: 'convert with `number(...)` or `string(...)`' },
    ]);
    expect(problems('trigger.at < "2026-01-01T00:00:00Z"')[0]).toMatchObject({ message: 'cannot compare `timestamp` with `string`', hint: 'wrap the string in `timestamp(...)`' });
    expect(problems('delay > 5')[0]).toMatchObject({ hint: 'write a duration such as `0s` or `30m`' });
  });

  it('null and dyn compare with anything for ==, not for <', () => {
    expect(problems('customer.email == null')).toEqual([]);
    expect(problems('payload == 1 && payload < "x"')).toEqual([]);
    expect(problems('trigger.amount < null')[0]).toMatchObject({ code: 'type-mismatch' });
  });

  it('logical operators need bools', () => {
    expect(problems('trigger.amount && flag')).toEqual([
      { code: 'type-mismatch', start: 0, end: 14, message: '`&&` needs `bool` operands, got `number`' },
    ]);
    expect(problems('!customer.name')[0]).toMatchObject({ start: 1, end: 14, message: '`!` needs a `bool`, got `string`' });
  });

  it('arithmetic on the wrong types points at the operator', () => {
    expect(problems('customer.name + 1')).toEqual([
      { code: 'type-mismatch', start: 14, end: 15, message: '`+` cannot take `string` and `number`', hint: 'convert the other side with `string(...)`' },
    ]);
    expect(problems('trigger.at + 7')[0]).toMatchObject({ hint: 'add or subtract a duration, e.g. `7d`' });
    expect(problems('trigger.at * 2')[0]).toMatchObject({ code: 'type-mismatch' });
  });

  it('function arguments', () => {
    expect(problems('lower(trigger.amount)')).toEqual([
      { code: 'type-mismatch', start: 6, end: 20, message: 'the argument of `lower` must be `string`, got `number`' },
    ]);
    expect(problems('trigger.tags.contains("a")')[0]).toMatchObject({ hint: 'for list membership write `x in list`' });
    expect(problems('join([1, 2], ",")')[0]).toMatchObject({ code: 'type-mismatch', message: 'argument 1 of `join` must be `list<string>`, got `list<number>`' });
  });

  it('wrong-argument-count', () => {
    expect(problems('size(trigger.tags, 1)')).toEqual([
      { code: 'wrong-argument-count', start: 0, end: 21, message: '`size` takes 1 argument, got 2', hint: 'size(string | list | map) -> number; x.size() -> number' },
    ]);
    expect(problems('customer.name.contains()')[0]).toMatchObject({ message: '`contains` takes 1 argument, got 0' });
    expect(problems('now(1)')[0]).toMatchObject({ message: '`now` takes 0 arguments, got 1' });
    expect(problems('round()')[0]).toMatchObject({ message: '`round` takes 1 to 2 arguments, got 0' });
    expect(problems('min()')[0]).toMatchObject({ message: '`min` takes at least 1 argument, got 0' });
  });

  it('`in` needs a list or a map', () => {
    expect(problems('"a" in customer.name')[0]).toMatchObject({ code: 'type-mismatch', start: 7, end: 20, hint: 'for a substring write `s.contains(t)`' });
    expect(problems('1 in trigger.tags')[0]).toMatchObject({ message: 'cannot look for `number` in `list<string>`' });
  });

  it('branches of ?: and sides of ?? must agree', () => {
    expect(problems('flag ? 1 : "x"')[0]).toMatchObject({ code: 'type-mismatch', message: 'the branches of `?:` have different types `number` and `string`', start: 11, end: 14 });
    expect(problems('trigger.note ?? 1')[0]).toMatchObject({ code: 'type-mismatch' });
    expect(problems('trigger.amount ? 1 : 2')[0]).toMatchObject({ message: 'the condition of `?:` must be `bool`, got `number`' });
  });

  it('fields of non-objects and indexes of the wrong type', () => {
    expect(problems('trigger.amount.x')[0]).toMatchObject({ code: 'type-mismatch', start: 15, end: 16, message: '`trigger.amount` is `number`, which has no fields' });
    expect(problems('trigger.tags.size')[0]).toMatchObject({ hint: 'call it: `.size()`' });
    expect(problems('trigger.tags["0"]')[0]).toMatchObject({ message: 'a list index must be `number`, got `string`', start: 13, end: 16 });
    expect(problems('customer.name[0]')[0]).toMatchObject({ message: '`customer.name` is `string`, which cannot be indexed' });
  });

  it('map literal keys', () => {
    expect(problems('{1: "a"}')[0]).toMatchObject({ code: 'type-mismatch', message: 'map keys must be `string`, got `number`' });
    expect(problems('{a: 1, "a": 2}')).toEqual([{ code: 'duplicate-map-key', start: 7, end: 10, message: 'the key `a` appears twice in this map' }]);
  });
});

describe('has()', () => {
  it('needs a field selection', () => {
    expect(problems('has(customer)')).toEqual([
      { code: 'invalid-argument', start: 4, end: 12, message: '`has()` needs a field selection like `has(x.field)`' },
    ]);
    expect(problems('has(trigger.meta["k"])')[0]).toMatchObject({ hint: 'for a map key write `"key" in m`' });
    expect(problems('has(a.b, c)')[0]).toMatchObject({ code: 'wrong-argument-count' });
  });

  it('checks the field exists in the declared type', () => {
    expect(problems('has(customer.emial)')[0]).toMatchObject({ code: 'unknown-field', start: 13, end: 18, hint: 'did you mean `email`?' });
    expect(problems('has(payload.x.y) && has(trigger.meta.k)')).toEqual([]);
    expect(problems('has(trigger.amount.x)')[0]).toMatchObject({ code: 'type-mismatch' });
  });
});

describe('expected type', () => {
  it('not-a-bool-condition', () => {
    expect(problems('trigger.amount', T.bool)).toEqual([
      { code: 'not-a-bool-condition', start: 0, end: 14, message: 'a condition must be `bool`, got `number`', hint: 'compare it, e.g. `x > 0`' },
    ]);
    expect(problems('trigger.tags', T.bool)[0]).toMatchObject({ hint: 'test its size, e.g. `size(x) > 0`' });
    expect(problems('flag', T.bool)).toEqual([]);
    expect(problems('payload.x', T.bool)).toEqual([]);
  });

  it('other expected types', () => {
    expect(problems('trigger.tags ?? ["email"]', T.list(T.string))).toEqual([]);
    expect(problems('trigger.amount', T.list(T.string))).toEqual([
      { code: 'wrong-expression-type', start: 0, end: 14, message: 'expected `list<string>`, got `number`' },
    ]);
    expect(problems('trigger.amount', T.string)[0]).toMatchObject({ code: 'wrong-expression-type', hint: 'convert it with `string(...)`' });
    expect(problems('payload', T.string)).toEqual([]);
    expect(problems('customer.email', T.string)).toEqual([]);
  });
});

describe('constant-condition warnings', () => {
  it('a literal side of || and &&', () => {
    const w = check('false || flag').problems;
    expect(w).toEqual([
      {
        code: 'constant-condition',
        severity: 'warning',
        start: 0,
        end: 5,
        message: 'the left side `false` makes this `||` always equal to its right side',
      },
    ]);
    expect(problems('true && flag')[0]).toMatchObject({ message: 'the left side `true` makes this `&&` always equal to its right side' });
    expect(problems('flag || true')[0]).toMatchObject({ start: 8, end: 12, message: 'the right side `true` makes this `||` always `true`' });
    expect(problems('flag && false')[0]).toMatchObject({ message: 'the right side `false` makes this `&&` always `false`' });
  });

  it('comparisons of two literals', () => {
    expect(problems('1 == 1')).toEqual([{ code: 'constant-condition', start: 0, end: 6, message: 'this compares two constants, it is always `true`' }]);
    expect(problems('"a" > "b"')[0]).toMatchObject({ message: 'this compares two constants, it is always `false`' });
    expect(problems('1h > 30m')[0]).toMatchObject({ message: 'this compares two constants, it is always `true`' });
  });

  it('a literal ?: condition and a literal ?? left side', () => {
    expect(problems('true ? 1 : 2')[0]).toMatchObject({ code: 'constant-condition', start: 0, end: 4 });
    expect(problems('"x" ?? customer.name')[0]).toMatchObject({ code: 'constant-condition' });
  });

  it('warnings are severity warning, and plain conditions have none', () => {
    expect(check('flag || true').problems.every((p) => p.severity === 'warning')).toBe(true);
    expect(problems('flag && trigger.amount > 3')).toEqual([]);
  });
});

describe('literal arguments checked at compile time', () => {
  it('invalid-regex', () => {
    expect(problems('customer.name.matches("(a")')).toEqual([
      { code: 'invalid-regex', start: 22, end: 26, message: 'invalid regular expression: Unterminated group', hint: 'raw strings (`r"\\d+"`) avoid doubling backslashes' },
    ]);
    expect(problems(String.raw`customer.name.matches(r"(a)\1")`)[0]).toMatchObject({ code: 'invalid-regex', message: expect.stringContaining('backreferences') });
    expect(problems('customer.name.matches("(?=a)")')[0]).toMatchObject({ code: 'invalid-regex', message: expect.stringContaining('lookaround') });
    expect(problems('customer.name.matches("(?i)^a[b-c]+$")')).toEqual([]);
  });

  it('invalid-duration and invalid-timestamp', () => {
    expect(problems('duration("3x")')).toEqual([
      {
        code: 'invalid-duration',
        start: 9,
        end: 13,
        message: '`3x` is not a valid duration',
        hint: 'a duration is a number and a unit (ms, s, m, h, d, w), e.g. `30m` or `1h30m`',
      },
    ]);
    expect(problems('timestamp("2026-13-01T00:00:00Z")')[0]).toMatchObject({ code: 'invalid-timestamp', start: 10, end: 32 });
    expect(problems('timestamp("2026-11-23T10:00:00")')[0]).toMatchObject({ code: 'invalid-timestamp' });
    expect(problems('timestamp("2026-11-23T10:00:00+01:00") < now()')).toEqual([]);
  });

  it('time zones and round digits', () => {
    expect(problems('hour(now(), "Mars/Olympus")')[0]).toMatchObject({ code: 'invalid-argument', start: 12, end: 26, message: 'unknown time zone `Mars/Olympus`' });
    expect(problems('hour(now(), "Europe/Paris")')).toEqual([]);
    expect(problems('round(1.5, 0.5)')[0]).toMatchObject({ code: 'invalid-argument' });
    expect(problems('number("12px")')[0]).toMatchObject({ code: 'invalid-argument' });
  });

  it('calendar arithmetic: whole days, a time of day, a known zone', () => {
    expect(problems('addDays(now(), 1, "Europe/Paris") > now() && atTime(now(), "09:00", "Europe/Paris") > now()')).toEqual([]);
    expect(problems('addDays(now(), 1.5)')[0]).toMatchObject({ code: 'invalid-argument', start: 15, end: 18, message: '`addDays` takes a whole number of days, not 1.5' });
    expect(problems('atTime(now(), "9am")')[0]).toMatchObject({ code: 'invalid-argument', start: 14, end: 19, message: '`9am` is not a time of day' });
    expect(problems('atTime(now(), "09:00", "Mars/Olympus")')[0]).toMatchObject({ code: 'invalid-argument', message: 'unknown time zone `Mars/Olympus`' });
    expect(problems('addDays(now(), "1")')[0]).toMatchObject({ code: 'type-mismatch' });
  });
});

describe('unknown names: what to write instead', () => {
  it('lists the names in scope when none is close, as templates do', () => {
    expect(problems('zzzzzz > 1')).toEqual([
      { code: 'unknown-variable', start: 0, end: 6, message: 'unknown variable `zzzzzz`', hint: 'in scope here: `trigger`, `customer`, `delay`, `payload`, `flag`' },
    ]);
  });

  it('says a YAML word for a boolean is written `true` or `false`', () => {
    for (const word of ['yes', 'no', 'on', 'off', 'True', 'False']) {
      expect(problems(word), word).toEqual([
        { code: 'unknown-variable', start: 0, end: word.length, message: `unknown variable \`${word}\``, hint: `\`${word}\` is no boolean in an expression: write \`true\` or \`false\`` },
      ]);
    }
    // Compared, it is still a boolean that was meant, not text.
    expect(problems('flag == yes')[0]!.hint).toBe('`yes` is no boolean in an expression: write `true` or `false`');
  });

  it('suggests quoting a bare word compared with `==` or `!=`', () => {
    expect(problems('customer.segment == business')).toEqual([
      { code: 'unknown-variable', start: 20, end: 28, message: 'unknown variable `business`', hint: 'for the text, quote it: `"business"`' },
    ]);
    expect(problems('pro != customer.segment')[0]!.hint).toBe('for the text, quote it: `"pro"`');
    // A near miss of a name in scope may be either.
    expect(problems('customer.segment == flg')[0]!.hint).toBe('did you mean `flag`? or, for the text, quote it: `"flg"`');
    // Not compared, or compared with no text (quoting would trade one error for another): the names in scope.
    expect(problems('size(business) > 0')[0]!.hint).toMatch(/^in scope here: /);
    expect(problems('trigger.amount == high')[0]!.hint).toMatch(/^in scope here: /);
    expect(problems('high != trigger.at')[0]!.hint).toMatch(/^in scope here: /);
    // Both sides unknown: either may be the text.
    expect(problems('business == pro').map((p) => p.hint)).toEqual(['for the text, quote it: `"business"`', 'for the text, quote it: `"pro"`']);
  });
});

describe('scope', () => {
  it('does not resolve names through Object.prototype', () => {
    expect(problems('constructor')[0]).toMatchObject({ code: 'unknown-variable' });
    expect(problems('customer.toString')[0]).toMatchObject({ code: 'unknown-field' });
  });

  it('a partial AST (after syntax errors) still checks without cascading', () => {
    const parsed = parseExpression('custmer.name == (1 + )');
    const r = checkExpression(parsed.ast!, scope);
    expect(r.problems.map((p) => p.code)).toEqual(['unknown-variable']);
  });
});
