/**
 * ajv errors -> problems a person can act on: an unknown key points at the key itself
 * with a did-you-mean, a missing key at the mapping's first key (unless an unknown key there is
 * its near miss, which says it all), a bad value at the value,
 * and combinator noise (`if`, `anyOf`, "must match a schema in ...") is dropped.
 */
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { Problem } from '../diagnostics/report.js';
import { locate, nodeAt, pointerToPath, type YNode } from '../parse/yaml-tree.js';
import type { ErrorObject } from './ajv-instance.js';
import { EVENT_PATTERN, ID_PATTERN, IDENT_PATTERN } from './common-schema.js';
import { STEP_KIND_KEYS } from './journey-schema.js';

export function mapSchemaErrors(errors: readonly ErrorObject[], root: YNode, prefix: readonly (string | number)[] = []): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath);
  const kept = errors.filter(
    (e) => e.keyword !== 'if' && e.keyword !== 'then' && !anyOfPaths.some((p) => e.schemaPath !== p && e.schemaPath.startsWith(p + '/')) && !reportedLater(e),
  );
  const misspelt = misspeltKeys(kept);
  for (const e of kept) {
    // `tigger:` is one mistake: its unknown-key says "did you mean `trigger`?", so `trigger` being missing is no news.
    if (e.keyword === 'required' && misspelt.has(placedKey(e.instancePath, (e.params as { missingProperty: string }).missingProperty))) continue;
    const p = mapOne(e, root, [...prefix, ...pointerToPath(e.instancePath)]);
    if (!p) continue;
    const key = `${p.code}:${p.span.start}:${p.span.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(p);
  }
  return problems;
}

/** The keys that unknown keys are near misses of, by the mapping they are written in. */
function misspeltKeys(errors: readonly ErrorObject[]): Set<string> {
  const out = new Set<string>();
  for (const e of errors) {
    if (e.keyword !== 'additionalProperties') continue;
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const suggestion = didYouMean(key, allowedKeys(e));
    if (suggestion !== undefined) out.add(placedKey(e.instancePath, suggestion));
  }
  return out;
}

function placedKey(instancePath: string, key: string): string {
  return `${instancePath}\u0000${key}`;
}

function allowedKeys(e: ErrorObject): string[] {
  return Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
}

/**
 * A schema marked `x-checked-by: <code>` leaves values of its own JSON type to that later rule,
 * which knows more (a split weight's rule names the arm): reporting them here too would give
 * two diagnostics for one mistake. A value of another type never reaches the rule, so it stays ours.
 */
function reportedLater(e: ErrorObject): boolean {
  const ps = e.parentSchema as Record<string, unknown> | undefined;
  return typeof ps?.['x-checked-by'] === 'string' && typeof e.data === ps['type'];
}

/** Sections that exist once where they are (`defaults:`, `retry:`): "under `defaults`", not "in a defaults". */
const SECTION_TITLES: ReadonlySet<string> = new Set(['archive', 'defaults', 'dedupe', 'failover', 'retry', 'quiet hours', 'frequency cap', 'trigger', 'subject profile', 'subject source']);

/** Where a key is missing or unknown, for the message: ` in a send step`, ` in an emit step`, ` under \`defaults\``, ` in herald.yaml`. */
function describePlace(e: ErrorObject): string {
  const title = (e.parentSchema as { title?: string } | undefined)?.title;
  const key = pointerToPath(e.instancePath).at(-1);
  const byKey = key !== undefined && !/^\d+$/.test(key);
  // A mapping with no title of its own (a wait's `{ event: ..., timeout: ... }`, a template field's `{ file: ... }`) is named by its key.
  if (!title) return byKey ? ` under \`${key}\`` : '';
  if (title.includes('.')) return ` in ${title}`;
  if (SECTION_TITLES.has(title)) return byKey ? ` under \`${key}\`` : ` in the ${title}`;
  return ` in ${/^[aeiou]/i.test(title) ? 'an' : 'a'} ${title}`;
}

/** A key as messages show it: in backticks, except the whole file (a root of the wrong type). */
function quoted(name: string): string {
  return name === 'the file' ? name : `\`${name}\``;
}

function nameOf(path: readonly (string | number)[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string' && !/^\d+$/.test(String(path[i]))) return String(path[i]);
  return 'the file';
}

function hintOf(e: ErrorObject): string | undefined {
  const ps = e.parentSchema as Record<string, unknown> | undefined;
  return (ps?.['x-hint'] as string | undefined) ?? (ps?.['description'] as string | undefined);
}

/** What to write instead of a value of the wrong type: an instruction, then what the key is for. */
function typeHint(e: ErrorObject, name: string): string | undefined {
  const ps = e.parentSchema as Record<string, unknown> | undefined;
  const own = ps?.['x-hint'] as string | undefined;
  if (own) return own;
  const types = ([] as string[]).concat((e.params as { type: string | string[] }).type);
  const ways: Record<string, string> = {
    integer: `a whole number (\`${name}: 3\`)`,
    number: `a number (\`${name}: 3\`)`,
    string: 'text (quoted when it starts with a character YAML reads specially)',
    boolean: '`true` or `false`',
    array: `a list: \`[a, b]\`, or one \`- item\` per line under \`${name}:\``,
    object: `a mapping: \`key: value\` lines indented under \`${name}:\``,
    null: 'nothing (`~`)',
  };
  const known = types.map((t) => ways[t]).filter((w): w is string => w !== undefined);
  if (known.length === 0) return hintOf(e);
  const doc = ps?.['description'] as string | undefined;
  return `write ${known.join(', or ')}${doc ? ` — ${doc.charAt(0).toLowerCase()}${doc.slice(1).replace(/\.$/, '')}` : ''}`;
}

function mapOne(e: ErrorObject, root: YNode, path: (string | number)[]): Problem | undefined {
  const where = locate(root, path);
  const name = nameOf(path);
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = allowedKeys(e);
      const suggestion = didYouMean(key, allowed);
      const span = locate(root, [...path, key], true);
      return {
        code: 'unknown-key',
        message: `unknown key \`${key}\`${describePlace(e)}`,
        span,
        hint: suggestion
          ? `did you mean \`${suggestion}\`?`
          : allowed.length
            ? `allowed here: ${allowed.map((a) => `\`${a}\``).join(', ')}`
            : undefined,
        ...(suggestion ? { fix: { title: `Change to \`${suggestion}\``, span, newText: suggestion } } : {}),
      };
    }
    case 'propertyNames': {
      return undefined; // reported by the nested `pattern` error with the key's name
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const node = nodeAt(root, path);
      // At the key that holds the mapping (`dedupe:`); a whole file or a list item has no such
      // key, so there it is the mapping's first key.
      const parent = path.length > 0 ? nodeAt(root, path.slice(0, -1)) : undefined;
      const span =
        parent?.kind === 'map'
          ? locate(root, path, true)
          : node?.kind === 'map' && node.entries[0]
            ? node.entries[0].keySpan
            : where;
      return {
        code: 'missing-key',
        message: `missing required key \`${missing}\`${describePlace(e)}`,
        span,
        hint: requiredHint(missing, e),
      };
    }
    case 'type': {
      const expected = String((e.params as { type: string | string[] }).type).replace(',', ' or ');
      const actual = describeValue(e.data);
      const last = path.at(-1);
      if (last !== undefined && /^\d+$/.test(String(last))) {
        // A list item (a half-typed `- send` under `steps:`): the list is fine, the item is not.
        const list = nameOf(path);
        const isStep = list === 'steps';
        const kind = isStep && typeof e.data === 'string' && STEP_KIND_KEYS.includes(e.data) ? e.data : undefined;
        return {
          code: 'wrong-type',
          message: `${isStep ? 'a step' : `an item of ${quoted(list)}`} must be ${article(expected)}, not ${actual}`,
          span: where,
          hint:
            kind !== undefined
              ? `a step maps its kind to what it does: write \`- ${kind}: ...\` (\`- send: <template>\`, \`- wait: 3d\`)`
              : expected === 'object'
                ? `write a mapping: \`- key: value\`, its other keys indented under the first${isStep ? ` (a step starts with its kind: ${STEP_KIND_KEYS.slice(0, 4).map((k) => `\`${k}:\``).join(', ')}, ...)` : ''}`
                : typeHint(e, list),
        };
      }
      return {
        code: 'wrong-type',
        message: `${quoted(name)} must be ${article(expected)}, not ${actual}`,
        span: where,
        hint: typeHint(e, name),
      };
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String);
      const suggestion = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      return {
        code: 'invalid-value',
        message: `${quoted(name)} must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}`,
        span: where,
        hint: suggestion ? `did you mean \`${suggestion}\`?` : undefined,
        ...(suggestion ? { fix: { title: `Change to \`${suggestion}\``, span: where, newText: suggestion } } : {}),
      };
    }
    case 'pattern': {
      const isKey = (e.propertyName ?? undefined) !== undefined;
      const form = NAME_FORMS[String((e.params as { pattern: string }).pattern)];
      if (isKey) {
        const span = locate(root, [...path, e.propertyName!], true);
        const suggestion = form?.suggest(e.propertyName!);
        return {
          code: 'invalid-value',
          message: `\`${e.propertyName}\` is not a valid ${form?.what ?? 'name'} here`,
          span,
          hint: form ? `${form.rule}${suggestion ? `: write \`${suggestion}\`` : ''}` : hintOf(e),
          ...(suggestion ? { fix: { title: `Rename to \`${suggestion}\``, span, newText: suggestion } } : {}),
        };
      }
      const duration = String((e.params as { pattern: string }).pattern).includes('ms|s|m|h|d|w');
      return {
        code: duration ? 'invalid-duration' : 'invalid-value',
        message: duration ? `\`${String(e.data)}\` is not a duration` : `\`${String(e.data)}\` is not a valid ${quoted(name)}`,
        span: where,
        hint: hintOf(e),
      };
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      const [first, second] = i < j ? [i, j] : [j, i];
      const list = nodeAt(root, path);
      const item = list?.kind === 'seq' ? list.items[second] : undefined;
      const value = Array.isArray(e.data) ? e.data[second] : undefined;
      const shown = typeof value === 'string' || typeof value === 'number' ? `\`${value}\`` : `item ${second + 1}`;
      const what = singular(name);
      return {
        code: 'invalid-value',
        message: what ? `${what} ${shown} is listed twice` : `${shown} is listed twice in ${quoted(name)}`,
        span: item ? item.span : where,
        hint: 'remove the second one',
        ...(list?.kind === 'seq' && list.items[first] ? { related: [{ span: list.items[first]!.span, message: 'first listed here' }] } : {}),
      };
    }
    case 'minItems': {
      const limit = Number((e.params as { limit: number }).limit);
      const what = singular(name) ?? 'item';
      const message =
        path.length === 1 && name === 'steps'
          ? 'a journey needs at least one step'
          : `${quoted(name)} needs at least ${limit === 1 ? `one ${what}` : `${limit} ${what}s`}`;
      const x = (e.parentSchema as Record<string, unknown> | undefined)?.['x-hint'] as string | undefined;
      return { code: 'invalid-value', message, span: where, hint: x ?? (name === 'steps' ? 'add a step, e.g. `- send: <template>` or `- exit: done`' : `add ${limit === 1 ? `a ${what}` : 'more'}`) };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const limit = Number((e.params as { limit: number }).limit);
      const bound = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'more than', exclusiveMaximum: 'less than' }[e.keyword];
      const x = (e.parentSchema as Record<string, unknown> | undefined)?.['x-hint'] as string | undefined;
      return {
        code: 'invalid-value',
        message: `${quoted(name)} must be ${bound} ${limit}, not ${String(e.data)}`,
        span: where,
        hint: x ?? `write a number ${bound} ${limit}`,
      };
    }
    case 'minLength':
      // ajv's "must NOT have fewer than 1 characters": every minLength in Herald's schemas is 1.
      return { code: 'invalid-value', message: `${quoted(name)} must not be empty`, span: where, hint: hintOf(e) };
    case 'anyOf':
    case 'oneOf':
      return { code: 'invalid-value', message: `${quoted(name)} does not have any of the accepted forms`, span: where, hint: hintOf(e) };
    default:
      return { code: 'invalid-value', message: `${quoted(name)} ${e.message ?? 'is not valid'}`, span: where, hint: hintOf(e) };
  }
}

/** The name patterns of the schemas, in words, with a name of that form made from what was written. */
const NAME_FORMS: Readonly<Record<string, { what: string; rule: string; suggest: (name: string) => string | undefined }>> = {
  [EVENT_PATTERN]: {
    what: 'event name',
    rule: 'event names are lower-case words joined by dots (`invoice.overdue`)',
    suggest: (n) => suggestIn(EVENT_PATTERN, words(n).map((w) => w.toLowerCase()).join('.')),
  },
  [ID_PATTERN]: {
    what: 'id',
    rule: 'ids are lower-case words joined by `-` or `_` (`payment-reminder`)',
    suggest: (n) => suggestIn(ID_PATTERN, words(n).map((w) => w.toLowerCase()).join('-')),
  },
  [IDENT_PATTERN]: {
    what: 'name',
    rule: 'names are letters, digits and `_`, and do not start with a digit',
    suggest: (n) => suggestIn(IDENT_PATTERN, words(n).join('_')),
  },
};

function words(name: string): string[] {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

function suggestIn(pattern: string, candidate: string): string | undefined {
  return candidate && new RegExp(pattern).test(candidate) ? candidate : undefined;
}

/** `channels` -> `channel`, for messages about one item of a list; undefined when the name is no plural. */
function singular(name: string): string | undefined {
  if (name === 'the file' || !/[a-z]s$/.test(name) || name.endsWith('ss')) return undefined;
  return name.endsWith('ies') ? `${name.slice(0, -3)}y` : name.slice(0, -1);
}

function requiredHint(missing: string, e: ErrorObject): string | undefined {
  const prop = ((e.parentSchema as { properties?: Record<string, { description?: string }> })?.properties ?? {})[missing];
  return prop?.description;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null (an empty value)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text \`${v.length > 30 ? v.slice(0, 27) + '...' : v}\``;
  return `${typeof v === 'number' ? 'the number' : 'the value'} \`${String(v)}\``;
}
