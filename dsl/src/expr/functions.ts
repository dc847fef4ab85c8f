/**
 * The function library, in one table read by the checker (`check`), the compiler
 * (`implement`) and editor completion/hover (`name`, `signatures`, `doc`, `example`).
 * Argument lists count the receiver of a method-style call (`s.contains(t)`) as argument 0.
 */
import { T, typeToString, unifyTypes, type Type, type TypeKind } from '../types/type.js';
import type { CallNode, ExprNode } from './ast.js';
import { formatDuration } from '../types/parse-duration.js';
import { DURATION_HINT, parseDuration } from './duration.js';
import type { ExprProblemCode } from './problem.js';
import { cachedRegex, compileRegex } from './regex.js';
import { addCalendarDays, atTimeOfDay, calendarDaysBetween, formatInZone, formatTimestamp, isValidTimeZone, parseTimeOfDay, parseTimestamp, zonedParts } from './timestamp.js';
import { codePointLength, describeValue, failOn, isMap, type EvalEnv } from './values.js';

/** How a function may be called: `size(x)` (global), `x.size()` (method), or both. */
export type CallStyle = 'global' | 'method' | 'both';

export interface FunctionInfo {
  readonly name: string;
  /** `macro`: arguments are not evaluated as usual (`has`, `coalesce`). */
  readonly kind: 'function' | 'macro';
  readonly style: CallStyle;
  readonly signatures: readonly string[];
  readonly doc: string;
  readonly example: string;
}

export interface CallCheck {
  readonly name: string;
  /** Receiver first for method-style calls. */
  readonly args: readonly ExprNode[];
  readonly types: readonly Type[];
  readonly method: boolean;
  report(code: ExprProblemCode, message: string, argIndex: number | undefined, hint?: string): void;
}

export interface CallSite {
  readonly node: CallNode;
  /** Receiver first for method-style calls. */
  readonly args: readonly ExprNode[];
  readonly types: readonly Type[];
}

/** Arguments arrive evaluated, receiver first, in an array the caller reuses between calls. */
export type FunctionImpl = (args: readonly unknown[], env: EvalEnv) => unknown;

export interface FunctionDef extends FunctionInfo {
  readonly minArgs: number;
  readonly maxArgs: number;
  /** The result type; problems with the arguments go through `c.report`. */
  check(c: CallCheck): Type;
  /** Called once per call site when compiling: precompute what literals allow. */
  implement(site: CallSite): FunctionImpl;
}

// --- helpers ---

function argLabel(c: CallCheck, i: number): string {
  if (c.method && i === 0) return `the receiver of \`.${c.name}()\``;
  const n = c.method ? i : i + 1;
  return c.args.length - (c.method ? 1 : 0) === 1 ? `the argument of \`${c.name}\`` : `argument ${n} of \`${c.name}\``;
}

/** Is argument `i` of one of `kinds` (or dyn)? Reports a type-mismatch when not. */
function want(c: CallCheck, i: number, kinds: readonly TypeKind[], hint?: string): boolean {
  const t = c.types[i];
  if (!t || t.kind === 'dyn' || kinds.includes(t.kind)) return true;
  const what = kinds.map((k) => `\`${k}\``).join(' or ');
  c.report('type-mismatch', `${argLabel(c, i)} must be ${what}, got \`${typeToString(t)}\``, i, hint);
  return false;
}

function stringLiteral(node: ExprNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

function checkTimeZoneArg(c: CallCheck, i: number): void {
  if (!want(c, i, ['string'])) return;
  const tz = stringLiteral(c.args[i]);
  if (tz !== undefined && !isValidTimeZone(tz)) {
    c.report('invalid-argument', `unknown time zone \`${tz}\``, i, 'use an IANA name such as `Europe/Paris` or `UTC`');
  }
}

type Fail = (message: string) => never;

function failer(site: CallSite): Fail {
  return (message) => failOn(site.node, message);
}

function needString(v: unknown, fail: Fail, what = 'a string'): string {
  if (typeof v !== 'string') fail(`needs ${what}, got ${describeValue(v)}`);
  return v as string;
}

function needNumber(v: unknown, fail: Fail, what = 'a number'): number {
  if (typeof v !== 'number') fail(`needs ${what}, got ${describeValue(v)}`);
  return v as number;
}

function needTimestamp(v: unknown, fail: Fail): number {
  if (typeof v !== 'string') fail(`needs a timestamp, got ${describeValue(v)}`);
  const ms = parseTimestamp(v as string);
  if (ms === undefined) fail(`\`${String(v)}\` is not a valid timestamp`);
  return ms as number;
}

function needTimeZone(v: unknown, fail: Fail): string | undefined {
  if (v === undefined) return undefined;
  const tz = needString(v, fail, 'a time zone name');
  if (!isValidTimeZone(tz)) fail(`unknown time zone \`${tz}\``);
  return tz;
}

/** Strict: the whole string must be a number (`" 12 "` is, `"12px"` and `""` are not). */
function parseNumber(s: string): number | undefined {
  if (s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** CEL (ext math) rounds half away from zero; the exponent trick avoids `1.005 * 100` drift. */
function roundHalfAway(x: number, digits: number): number {
  const sign = x < 0 ? -1 : 1;
  const abs = Math.abs(x);
  if (digits === 0) return sign * Math.round(abs);
  const shifted = Math.round(Number(`${abs}e${digits}`));
  return sign * Number(`${shifted}e${-digits}`);
}

const COMPARABLE: readonly TypeKind[] = ['number', 'string', 'timestamp', 'duration'];

function compareForMinMax(kind: TypeKind, fail: Fail): (a: unknown, b: unknown) => number {
  if (kind === 'timestamp') return (a, b) => needTimestamp(a, fail) - needTimestamp(b, fail);
  return (a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
    return fail(`cannot compare ${describeValue(a)} with ${describeValue(b)}`);
  };
}

function minMax(name: 'min' | 'max', sign: 1 | -1): FunctionDef {
  const other = name === 'min' ? 'smallest' : 'largest';
  return {
    name,
    kind: 'function',
    style: 'global',
    signatures: [`${name}(a: T, b: T, ...) -> T`, `${name}(list<T>) -> T`],
    doc: `The ${other} of its arguments, or of a list's elements. T is number, string, timestamp or duration.`,
    example: name === 'min' ? 'min(trigger.amount, 500)' : 'max(subject.lastSeen, trigger.at)',
    minArgs: 1,
    maxArgs: Infinity,
    check(c) {
      if (c.types.length === 1) {
        const t = c.types[0]!;
        if (t.kind === 'list') {
          if (t.element.kind !== 'dyn' && !COMPARABLE.includes(t.element.kind)) {
            c.report('type-mismatch', `\`${name}\` compares numbers, strings, timestamps or durations, got \`${typeToString(t)}\``, 0);
            return T.dyn;
          }
          return t.element;
        }
      }
      let result: Type | undefined;
      c.types.forEach((t, i) => {
        if (!want(c, i, COMPARABLE)) return;
        if (result && t.kind !== 'dyn' && result.kind !== 'dyn' && t.kind !== result.kind) {
          c.report('type-mismatch', `\`${name}\` cannot compare \`${typeToString(result)}\` with \`${typeToString(t)}\``, i);
          return;
        }
        result = result ? unifyTypes(result, t) : t;
      });
      return result ?? T.dyn;
    },
    implement(site) {
      const fail = failer(site);
      const first = site.types[0];
      const oneList = site.types.length === 1 && first?.kind === 'list';
      const staticKind = first?.kind === 'list' && oneList ? first.element.kind : (site.types.find((t) => t.kind !== 'dyn')?.kind ?? 'dyn');
      const compare = compareForMinMax(staticKind, fail);
      const pick = (values: readonly unknown[]): unknown => {
        if (values.length === 0) fail('needs at least one value, got an empty list');
        let best = values[0];
        for (let i = 1; i < values.length; i++) if (sign * compare(values[i], best) < 0) best = values[i];
        return best;
      };
      if (oneList) return (args) => pick(needList(args[0], fail));
      return (args) => (args.length === 1 && Array.isArray(args[0]) ? pick(args[0]) : pick(args));
    },
  };
}

function needList(v: unknown, fail: Fail): readonly unknown[] {
  if (!Array.isArray(v)) fail(`needs a list, got ${describeValue(v)}`);
  return v as unknown[];
}

function stringToString(name: string, doc: string, example: string, f: (s: string) => string): FunctionDef {
  return {
    name,
    kind: 'function',
    style: 'both',
    signatures: [`${name}(string) -> string`, `s.${name}() -> string`],
    doc,
    example,
    minArgs: 1,
    maxArgs: 1,
    check(c) {
      want(c, 0, ['string']);
      return T.string;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => f(needString(args[0], fail));
    },
  };
}

function stringPredicate(name: string, doc: string, example: string, f: (s: string, t: string) => boolean): FunctionDef {
  return {
    name,
    kind: 'function',
    style: 'method',
    signatures: [`s.${name}(t: string) -> bool`],
    doc,
    example,
    minArgs: 2,
    maxArgs: 2,
    check(c) {
      const listHint = name === 'contains' && c.types[0]?.kind === 'list' ? 'for list membership write `x in list`' : undefined;
      want(c, 0, ['string'], listHint);
      want(c, 1, ['string']);
      return T.bool;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => f(needString(args[0], fail), needString(args[1], fail));
    },
  };
}

function numberToNumber(name: string, doc: string, example: string, f: (n: number) => number): FunctionDef {
  return {
    name,
    kind: 'function',
    style: 'global',
    signatures: [`${name}(number) -> number`],
    doc,
    example,
    minArgs: 1,
    maxArgs: 1,
    check(c) {
      want(c, 0, ['number']);
      return T.number;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => f(needNumber(args[0], fail));
    },
  };
}

/**
 * `name(timestamp, <arg>[, timeZone]) -> timestamp`: calendar arithmetic in a zone (UTC by
 * default). `arg` checks a literal second argument at compile time and reads it at run time;
 * `apply` is undefined out of the timestamp range, which fails the call.
 */
function zonedTimestamp<A>(spec: {
  readonly name: string;
  readonly doc: string;
  readonly example: string;
  readonly arg: { readonly name: string; readonly type: 'number' | 'string'; readonly checkLiteral: (c: CallCheck) => void; readonly read: (v: unknown, fail: Fail) => A };
  readonly apply: (from: number, arg: A, timeZone: string | undefined) => number | undefined;
}): FunctionDef {
  const { name, arg } = spec;
  return {
    name,
    kind: 'function',
    style: 'global',
    signatures: [`${name}(timestamp, ${arg.name}: ${arg.type}) -> timestamp`, `${name}(timestamp, ${arg.name}: ${arg.type}, timeZone: string) -> timestamp`],
    doc: spec.doc,
    example: spec.example,
    minArgs: 2,
    maxArgs: 3,
    check(c) {
      want(c, 0, ['timestamp']);
      if (want(c, 1, [arg.type])) arg.checkLiteral(c);
      if (c.types.length > 2) checkTimeZoneArg(c, 2);
      return T.timestamp;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => {
        const from = needTimestamp(args[0], fail);
        const value = arg.read(args[1], fail);
        const ms = spec.apply(from, value, needTimeZone(args[2], fail));
        return (ms === undefined ? undefined : formatTimestamp(ms)) ?? fail('timestamp out of range');
      };
    },
  };
}

function zonedNumber(name: string, doc: string, example: string, field: 'hour' | 'weekday'): FunctionDef {
  return {
    name,
    kind: 'function',
    style: 'global',
    signatures: [`${name}(timestamp) -> number`, `${name}(timestamp, timeZone: string) -> number`],
    doc,
    example,
    minArgs: 1,
    maxArgs: 2,
    check(c) {
      want(c, 0, ['timestamp']);
      if (c.types.length > 1) checkTimeZoneArg(c, 1);
      return T.number;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => {
        const parts = zonedParts(needTimestamp(args[0], fail), needTimeZone(args[1], fail));
        return parts ? parts[field] : fail('unknown time zone');
      };
    },
  };
}

// --- the table ---

const DEFS: readonly FunctionDef[] = [
  {
    name: 'size',
    kind: 'function',
    style: 'both',
    signatures: ['size(string | list | map) -> number', 'x.size() -> number'],
    doc: 'The number of characters (Unicode code points) of a string, elements of a list, or entries of a map.',
    example: 'size(trigger.items) > 0',
    minArgs: 1,
    maxArgs: 1,
    check(c) {
      want(c, 0, ['string', 'list', 'map', 'object']);
      return T.number;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => {
        const v = args[0];
        if (typeof v === 'string') return codePointLength(v);
        if (Array.isArray(v)) return v.length;
        if (isMap(v)) return Object.keys(v).length;
        return fail(`needs a string, list or map, got ${describeValue(v)}`);
      };
    },
  },
  {
    name: 'has',
    kind: 'macro',
    style: 'global',
    signatures: ['has(x.field) -> bool'],
    doc: 'Whether the field is present (even if its value is null). Never fails on a missing or null `x`: then it is false.',
    example: 'has(customer.email)',
    minArgs: 1,
    maxArgs: 1,
    check: () => T.bool, // the checker handles the macro itself
    implement: () => {
      throw new Error('has() is compiled by the compiler itself');
    },
  },
  {
    name: 'coalesce',
    kind: 'macro',
    style: 'global',
    signatures: ['coalesce(a: T, b: T, ...) -> T'],
    doc: 'The first argument that is neither null nor missing, like `a ?? b ?? ...`. Missing fields in the arguments do not fail.',
    example: 'coalesce(subject.nickname, subject.firstName, "there")',
    minArgs: 1,
    maxArgs: Infinity,
    check: () => T.dyn, // the checker handles the macro itself
    implement: () => {
      throw new Error('coalesce() is compiled by the compiler itself');
    },
  },
  stringToString('lower', 'The string in lower case (full Unicode, not only ASCII).', 'lower(subject.email)', (s) => s.toLowerCase()),
  stringToString('upper', 'The string in upper case (full Unicode, not only ASCII).', 'upper(trigger.currency)', (s) => s.toUpperCase()),
  stringToString('trim', 'The string without leading and trailing white space.', 'trim(subject.firstName) != ""', (s) => s.trim()),
  stringPredicate('contains', 'Whether `t` occurs in `s`.', 'subject.email.contains("@")', (s, t) => s.includes(t)),
  stringPredicate('startsWith', 'Whether `s` starts with `t`.', 'trigger.sku.startsWith("PRO-")', (s, t) => s.startsWith(t)),
  stringPredicate('endsWith', 'Whether `s` ends with `t`.', 'subject.email.endsWith(".gov")', (s, t) => s.endsWith(t)),
  {
    name: 'matches',
    kind: 'function',
    style: 'both',
    signatures: ['s.matches(re: string) -> bool', 'matches(s: string, re: string) -> bool'],
    doc: 'Whether the regular expression (RE2 syntax) matches somewhere in `s`; anchor with `^...$` for a full match. A literal pattern is compiled once and checked when the journey is compiled.',
    example: 'subject.phone.matches(r"^\\+33[0-9]{9}$")',
    minArgs: 2,
    maxArgs: 2,
    check(c) {
      want(c, 0, ['string']);
      if (want(c, 1, ['string'])) {
        const pattern = stringLiteral(c.args[1]);
        if (pattern !== undefined) {
          const r = compileRegex(pattern);
          if (!r.ok) c.report('invalid-regex', `invalid regular expression: ${r.message}`, 1, 'raw strings (`r"\\d+"`) avoid doubling backslashes');
        }
      }
      return T.bool;
    },
    implement(site) {
      const fail = failer(site);
      const literal = stringLiteral(site.args[1]);
      const compiled = literal === undefined ? undefined : compileRegex(literal);
      if (compiled?.ok) {
        const re = compiled.regex;
        return (args) => re.test(needString(args[0], fail));
      }
      return (args) => {
        const s = needString(args[0], fail);
        const r = cachedRegex(needString(args[1], fail, 'a pattern string'));
        return r.ok ? r.regex.test(s) : fail(`invalid regular expression: ${r.message}`);
      };
    },
  },
  {
    name: 'now',
    kind: 'function',
    style: 'global',
    signatures: ['now() -> timestamp'],
    doc: "The current time, from the engine's clock (a virtual clock in tests and simulations).",
    example: 'now() - trigger.at > 7d',
    minArgs: 0,
    maxArgs: 0,
    check: () => T.timestamp,
    implement(site) {
      const fail = failer(site);
      return (_args, env) => formatTimestamp(env.now()) ?? fail('the clock is out of the timestamp range');
    },
  },
  {
    name: 'duration',
    kind: 'function',
    style: 'global',
    signatures: ['duration(string) -> duration'],
    doc: 'Parses a duration such as "1h30m" or "-15m" (units ms, s, m, h, d, w). Literal durations (`1h30m`) need no call.',
    example: 'duration(journey.vars.delay)',
    minArgs: 1,
    maxArgs: 1,
    check(c) {
      if (want(c, 0, ['string'])) {
        const text = stringLiteral(c.args[0]);
        if (text !== undefined && parseDuration(text) === undefined) {
          c.report('invalid-duration', `\`${text}\` is not a valid duration`, 0, DURATION_HINT);
        }
      }
      return T.duration;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => {
        const text = needString(args[0], fail);
        const ms = parseDuration(text);
        return ms === undefined ? fail(`\`${text}\` is not a valid duration`) : ms;
      };
    },
  },
  {
    name: 'timestamp',
    kind: 'function',
    style: 'global',
    signatures: ['timestamp(string) -> timestamp'],
    doc: 'Parses an RFC 3339 timestamp ("2026-11-23T10:00:00Z", "2026-11-23T11:00:00+01:00") or a date ("2026-11-23", midnight UTC).',
    example: 'now() > timestamp("2026-12-24T00:00:00Z")',
    minArgs: 1,
    maxArgs: 1,
    check(c) {
      if (want(c, 0, ['string', 'timestamp'])) {
        const text = stringLiteral(c.args[0]);
        if (text !== undefined && parseTimestamp(text) === undefined) {
          c.report('invalid-timestamp', `\`${text}\` is not a valid timestamp`, 0, 'write RFC 3339, e.g. `2026-11-23T10:00:00Z`');
        }
      }
      return T.timestamp;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => formatTimestamp(needTimestamp(args[0], fail)) ?? fail('timestamp out of range');
    },
  },
  {
    name: 'round',
    kind: 'function',
    style: 'global',
    signatures: ['round(number) -> number', 'round(number, digits: number) -> number'],
    doc: 'Rounds half away from zero, to `digits` decimals (default 0; negative rounds to tens, hundreds...).',
    example: 'round(trigger.amount * 1.2, 2)',
    minArgs: 1,
    maxArgs: 2,
    check(c) {
      want(c, 0, ['number']);
      if (c.types.length > 1 && want(c, 1, ['number'])) {
        const d = c.args[1];
        if (d?.kind === 'number' && !(Number.isInteger(d.value) && Math.abs(d.value) <= 15)) {
          c.report('invalid-argument', '`round` digits must be a whole number from -15 to 15', 1);
        }
      }
      return T.number;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => {
        const x = needNumber(args[0], fail);
        const d = args[1] === undefined ? 0 : needNumber(args[1], fail);
        if (!(Number.isInteger(d) && Math.abs(d) <= 15)) fail('digits must be a whole number from -15 to 15');
        return roundHalfAway(x, d);
      };
    },
  },
  numberToNumber('floor', 'The largest whole number not above x.', 'floor(trigger.amount / 100)', Math.floor),
  numberToNumber('ceil', 'The smallest whole number not below x.', 'ceil(size(trigger.items) / 10)', Math.ceil),
  {
    name: 'abs',
    kind: 'function',
    style: 'global',
    signatures: ['abs(number) -> number', 'abs(duration) -> duration'],
    doc: 'The absolute value of a number or a duration.',
    example: 'abs(trigger.at - subject.lastSeen) < 1h',
    minArgs: 1,
    maxArgs: 1,
    check(c) {
      want(c, 0, ['number', 'duration']);
      return c.types[0]?.kind === 'duration' ? T.duration : c.types[0]?.kind === 'dyn' ? T.dyn : T.number;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => Math.abs(needNumber(args[0], fail, 'a number or a duration'));
    },
  },
  minMax('min', 1),
  minMax('max', -1),
  {
    name: 'string',
    kind: 'function',
    style: 'global',
    signatures: ['string(string | number | bool | timestamp | duration | null) -> string'],
    doc: 'Converts to a string: numbers as JavaScript writes them, timestamps as ISO-8601, durations as Herald writes them ("1h30m"; CEL would write "5400s"), null as "null".',
    example: 'string(trigger.amount) + " " + trigger.currency',
    minArgs: 1,
    maxArgs: 1,
    check(c) {
      want(c, 0, ['string', 'number', 'bool', 'timestamp', 'duration', 'null']);
      return T.string;
    },
    implement(site) {
      const fail = failer(site);
      const kind = site.types[0]?.kind;
      if (kind === 'duration') {
        return (args) => {
          const ms = needNumber(args[0], fail, 'a duration');
          return Number.isFinite(ms) ? formatDuration(ms) : fail('duration out of range');
        };
      }
      if (kind === 'timestamp') return (args) => formatTimestamp(needTimestamp(args[0], fail)) ?? fail('timestamp out of range');
      return (args) => {
        const v = args[0];
        if (typeof v === 'string') return v;
        if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
        return fail(`cannot convert ${describeValue(v)} to a string`);
      };
    },
  },
  ...(['number', 'int'] as const).map(
    (name): FunctionDef => ({
      name,
      kind: 'function',
      style: 'global',
      signatures: [`${name}(string | number) -> number`],
      doc:
        name === 'number'
          ? 'Converts a string such as "12.5" to a number (the whole string must be a number).'
          : 'Converts to a whole number, truncating toward zero: int(2.7) == 2, int(-2.7) == -2, int("4.5") == 4.',
      example: name === 'number' ? 'number(trigger.amountText) > 100' : 'int(trigger.amount / 1000)',
      minArgs: 1,
      maxArgs: 1,
      check(c) {
        if (want(c, 0, ['string', 'number'])) {
          const text = stringLiteral(c.args[0]);
          if (text !== undefined && parseNumber(text) === undefined) {
            c.report('invalid-argument', `\`${JSON.stringify(text)}\` is not a number`, 0);
          }
        }
        return T.number;
      },
      implement(site) {
        const fail = failer(site);
        const convert = (v: unknown): number => {
          if (typeof v === 'number') return v;
          const s = needString(v, fail, 'a string or a number');
          const n = parseNumber(s);
          return n === undefined ? fail(`${JSON.stringify(s)} is not a number`) : n;
        };
        return name === 'int' ? (args) => Math.trunc(convert(args[0])) + 0 : (args) => convert(args[0]);
      },
    }),
  ),
  {
    name: 'join',
    kind: 'function',
    style: 'both',
    signatures: ['join(list<string>) -> string', 'join(list<string>, separator: string) -> string', 'list.join(separator) -> string'],
    doc: 'The strings of the list joined with the separator (default "").',
    example: 'join(subject.channels, ", ")',
    minArgs: 1,
    maxArgs: 2,
    check(c) {
      const t = c.types[0];
      if (want(c, 0, ['list']) && t?.kind === 'list' && t.element.kind !== 'dyn' && t.element.kind !== 'string') {
        c.report('type-mismatch', `${argLabel(c, 0)} must be \`list<string>\`, got \`${typeToString(t)}\``, 0);
      }
      if (c.types.length > 1) want(c, 1, ['string']);
      return T.string;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => {
        const list = needList(args[0], fail);
        const sep = args[1] === undefined ? '' : needString(args[1], fail, 'a separator string');
        for (const e of list) if (typeof e !== 'string') fail(`needs a list of strings, found ${describeValue(e)}`);
        return list.join(sep);
      };
    },
  },
  {
    name: 'keys',
    kind: 'function',
    style: 'both',
    signatures: ['keys(map) -> list<string>', 'm.keys() -> list<string>'],
    doc: 'The keys of a map, in the order of the data.',
    example: '"vip" in keys(subject.tags)',
    minArgs: 1,
    maxArgs: 1,
    check(c) {
      want(c, 0, ['map', 'object']);
      return T.list(T.string);
    },
    implement(site) {
      const fail = failer(site);
      return (args) => {
        const m = args[0];
        return isMap(m) ? Object.keys(m) : fail(`needs a map, got ${describeValue(m)}`);
      };
    },
  },
  {
    name: 'daysBetween',
    kind: 'function',
    style: 'global',
    signatures: ['daysBetween(from: timestamp, to: timestamp) -> number', 'daysBetween(from: timestamp, to: timestamp, timeZone: string) -> number'],
    doc: 'Calendar days from `from` to `to` (negative when `to` is earlier), counted on dates in the time zone (UTC by default).',
    example: 'daysBetween(trigger.dueDate, now()) >= 30',
    minArgs: 2,
    maxArgs: 3,
    check(c) {
      want(c, 0, ['timestamp']);
      want(c, 1, ['timestamp']);
      if (c.types.length > 2) checkTimeZoneArg(c, 2);
      return T.number;
    },
    implement(site) {
      const fail = failer(site);
      return (args) =>
        calendarDaysBetween(needTimestamp(args[0], fail), needTimestamp(args[1], fail), needTimeZone(args[2], fail)) ??
        fail('unknown time zone');
    },
  },
  zonedTimestamp({
    name: 'addDays',
    doc: 'The timestamp `days` calendar days later (earlier, when negative), at the same local time in the time zone (UTC by default): across a daylight-saving change 09:00 stays 09:00, where `+ 1d` (24 hours) would give 08:00 or 10:00.',
    example: 'addDays(trigger.dueDate, 3, subject.timezone)',
    arg: {
      name: 'days',
      type: 'number',
      checkLiteral(c) {
        const n = c.args[1]?.kind === 'number' ? c.args[1].value : undefined;
        if (n !== undefined && !Number.isInteger(n)) c.report('invalid-argument', `\`addDays\` takes a whole number of days, not ${n}`, 1, 'write a whole number, or add a duration for parts of a day (`+ 12h`)');
      },
      read(v, fail) {
        const days = needNumber(v, fail, 'a number of days');
        return Number.isInteger(days) ? days : fail(`needs a whole number of days, got ${days}`);
      },
    },
    apply: addCalendarDays,
  }),
  zonedTimestamp({
    name: 'atTime',
    doc: 'The same calendar date as the timestamp in the time zone (UTC by default), at the local time of day `"HH:MM"` or `"HH:MM:SS"` (24-hour). A time daylight saving skips is moved forward by the gap.',
    example: 'atTime(addDays(now(), 1, subject.timezone), "09:00", subject.timezone)',
    arg: {
      name: 'time',
      type: 'string',
      checkLiteral(c) {
        const text = stringLiteral(c.args[1]);
        if (text !== undefined && parseTimeOfDay(text) === undefined) {
          c.report('invalid-argument', `\`${text}\` is not a time of day`, 1, 'write 24-hour `"HH:MM"` or `"HH:MM:SS"`, e.g. `"09:00"`');
        }
      },
      read(v, fail) {
        const text = needString(v, fail, 'a time of day');
        return parseTimeOfDay(text) ?? fail(`\`${text}\` is not a time of day (write "HH:MM")`);
      },
    },
    apply: atTimeOfDay,
  }),
  zonedNumber('hour', 'The hour (0-23) of the timestamp in the time zone (UTC by default).', 'hour(now(), subject.timezone) < 21', 'hour'),
  zonedNumber(
    'dayOfWeek',
    'The day of the week (0 = Sunday ... 6 = Saturday) of the timestamp in the time zone (UTC by default).',
    'dayOfWeek(now(), "Europe/Paris") in [1, 2, 3, 4, 5]',
    'weekday',
  ),
  {
    name: 'format',
    kind: 'function',
    style: 'global',
    signatures: ['format(timestamp) -> string', 'format(timestamp, timeZone: string) -> string'],
    doc: 'The timestamp as ISO-8601; with a time zone, in its local time with the offset ("2026-11-23T11:00:00.000+01:00").',
    example: 'format(trigger.at, subject.timezone)',
    minArgs: 1,
    maxArgs: 2,
    check(c) {
      want(c, 0, ['timestamp']);
      if (c.types.length > 1) checkTimeZoneArg(c, 1);
      return T.string;
    },
    implement(site) {
      const fail = failer(site);
      return (args) => {
        const ms = needTimestamp(args[0], fail);
        const tz = needTimeZone(args[1], fail);
        return (tz === undefined ? formatTimestamp(ms) : formatInZone(ms, tz)) ?? fail('timestamp out of range');
      };
    },
  },
];

/** Every function, by name, for the checker and the compiler. */
export const FUNCTION_DEFS: ReadonlyMap<string, FunctionDef> = new Map(DEFS.map((d) => [d.name, d]));

/** The library as editor completion and hover show it, sorted by name. */
export const FUNCTIONS: readonly FunctionInfo[] = [...DEFS].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Formats `n` arguments for messages: "1 argument", "2 arguments", "1 to 2 arguments", "at least 1 argument". */
export function arityText(def: FunctionDef, method: boolean): string {
  const shift = method ? 1 : 0;
  const min = def.minArgs - shift;
  const max = def.maxArgs - shift;
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (max === Infinity) return `at least ${plural(min)}`;
  if (min === max) return plural(min);
  return `${min} to ${plural(max)}`;
}
