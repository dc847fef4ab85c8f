/**
 * Check a value from herald.yaml (a plugin's `config:` or a query's `with:`) against a
 * schema the plugin ships, and turn ajv's errors into problems at the exact key or value.
 * The value is a JsonWithSource (no YAML tree), so this is a small cousin of
 * schema/map-schema-errors.ts that works through `locate`.
 *
 * `${ENV_VAR}` strings are substituted at run time, so they must pass wherever a scalar is
 * expected: a whole-string reference is replaced by a value of the type the schema wants
 * before validating, and whatever the schema still says about that exact value is dropped.
 * A reference embedded in a longer string keeps the string, but its pattern, format,
 * length and forbidden forms (`not`) cannot be judged before substitution either.
 *
 * Messages use what the schema tells people: a failed oneOf/anyOf of `required` branches
 * becomes "give exactly one of `a`, `b` (both are given)"; a failed `pattern` shows the
 * property's first example, named by its `title`, with its `description` as the hint; a
 * failed `not` names the forbidden form by the `title` of its subschema.
 */
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import type { Problem } from '../../diagnostics/report.js';
import type { JsonWithSource } from '../../model/ast.js';
import { pointerToPath } from '../../parse/yaml-tree.js';
import { tryValidatorFor, type ErrorObject } from '../../schema/ajv-instance.js';
import type { Span } from '../../source/source-file.js';

const WHOLE_ENV_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;
const EMBEDDED_ENV_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
// `not` is here because a forbidden form (`not: { pattern }`) is judged on text that substitution changes.
const STRING_KEYWORDS = new Set(['pattern', 'format', 'minLength', 'maxLength', 'not']);
/** Keywords that say something to people but nothing about what is valid. */
const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', 'markdownDescription', 'x-hint']);

type Schema = Record<string, unknown>;
type Path = readonly (string | number)[];
type Where = (path: Path, key?: boolean) => Span;

export type PluginJsonResult = { readonly ok: true; readonly problems: Problem[] } | { readonly ok: false; readonly error: string };

/**
 * @param place where the value sits, for messages: "the config of channel `email`"
 * @param fallback the span for problems when the value was not written at all
 */
export function validatePluginJson(
  schema: Record<string, unknown>,
  source: JsonWithSource | undefined,
  place: string,
  fallback: Span,
): PluginJsonResult {
  const compiled = tryValidatorFor(schema);
  if (!compiled.ok) return { ok: false, error: compiled.error };
  const envPaths = new Set<string>();
  const embedded = new Set<string>();
  const value = substituteEnvRefs(source?.value ?? {}, [], schema, envPaths, embedded);
  if (compiled.validate(value)) return { ok: true, problems: [] };
  const errors = [...(compiled.validate.errors ?? [])];
  const where: Where = (path, key = false) => (source ? source.locate(path, key) : fallback);
  const ctx: Ctx = { root: schema, value, place, where };

  // A failed anyOf/oneOf comes with the errors of every branch; one sentence about the
  // combinator (or the errors of the one branch the value was meant for) says more than all of them.
  const suppressed = new Set<number>();
  const explained = new Map<number, Problem>();
  errors.forEach((e, i) => {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') return;
    const members = branchErrors(errors, i);
    const outcome = explainCombinator(e, errors, ctx);
    if (outcome === 'drop') suppressed.add(i);
    else if (typeof outcome === 'object' && 'problem' in outcome) explained.set(i, outcome.problem);
    if (typeof outcome === 'object' && 'branch' in outcome) {
      suppressed.add(i);
      for (const j of members) if (!inBranch(errors[j]!, e, outcome.branch)) suppressed.add(j);
    } else {
      for (const j of members) suppressed.add(j);
    }
  });

  // `tokn: x` where `token` is required is one mistake: the unknown key's did-you-mean says it all.
  const misspelt = new Set(
    errors.flatMap((e) => {
      if (e.keyword !== 'additionalProperties') return [];
      const allowed = Object.keys((((e.parentSchema ?? {}) as Schema)['properties'] as Schema | undefined) ?? {});
      const meant = didYouMean(String((e.params as { additionalProperty: string }).additionalProperty), allowed);
      return meant === undefined ? [] : [`${e.instancePath}\u0000${meant}`];
    }),
  );
  const reportable = (e: ErrorObject) =>
    !(e.keyword === 'required' && misspelt.has(`${e.instancePath}\u0000${String((e.params as { missingProperty: string }).missingProperty)}`)) &&
    !(e.keyword === 'if' || e.keyword === 'then' || e.keyword === 'else' || e.keyword === 'propertyNames') &&
    !envPaths.has(e.instancePath) &&
    !(embedded.has(e.instancePath) && STRING_KEYWORDS.has(e.keyword));
  const toProblem = (e: ErrorObject, i: number) => explained.get(i) ?? mapError(e, pointerToPath(e.instancePath), ctx);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  errors.forEach((e, i) => {
    if (suppressed.has(i) || !reportable(e)) return;
    const p = toProblem(e, i);
    const key = `${p.span.start}:${p.span.end}:${p.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(p);
  });
  // Explaining combinators must never leave an invalid value without a problem.
  if (problems.length === 0) {
    const last = errors.findLastIndex((e, i) => suppressed.has(i) && reportable(e));
    if (last >= 0) problems.push(toProblem(errors[last]!, last));
  }
  return { ok: true, problems };
}

interface Ctx {
  readonly root: Schema;
  /** The whole value as validated (after `${VAR}` substitution). */
  readonly value: unknown;
  readonly place: string;
  readonly where: Where;
}

/** "`port` in the config of channel `email`", or the place itself for the top. */
function subjectOf(path: Path, place: string): string {
  return path.length ? `\`${path.filter((s) => typeof s === 'string' && !/^\d+$/.test(s)).at(-1) ?? path.join('.')}\` in ${place}` : place;
}

function mapError(e: ErrorObject, path: Path, ctx: Ctx): Problem {
  const { place, where } = ctx;
  const code = 'invalid-plugin-config';
  const name = subjectOf(path, place);
  const parent = (e.parentSchema ?? {}) as Schema;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((parent['properties'] as Schema | undefined) ?? {});
      const suggestion = didYouMean(key, allowed);
      const span = where([...path, key], true);
      return {
        code,
        message: `unknown key \`${key}\` in ${path.length ? `\`${String(path.at(-1))}\` of ` : ''}${place}`,
        span,
        hint: suggestion ? `did you mean \`${suggestion}\`?` : allowed.length ? `allowed here: ${allowed.map((a) => `\`${a}\``).join(', ')}` : undefined,
        ...(suggestion ? { fix: { title: `Change to \`${suggestion}\``, span, newText: suggestion } } : {}),
      };
    }
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const described = ((parent['properties'] as Record<string, Schema> | undefined)?.[missing]?.['description'] as string | undefined) ?? undefined;
      return {
        code,
        message: `${name} is missing required key \`${missing}\``,
        span: objectSpan(path, ctx.value, where),
        hint: described ? `add \`${missing}:\` (${described})` : `add \`${missing}:\``,
      };
    }
    case 'type': {
      const expected = String((e.params as { type: string | string[] }).type).replace(/,/g, ' or ');
      return { code, message: `${name} must be ${article(expected)}, not ${describeValue(e.data)}`, span: where(path), hint: describedHint(parent) };
    }
    case 'enum': {
      const allowed = ((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String);
      const suggestion = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      const span = where(path);
      return {
        code,
        message: `${name} must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}`,
        span,
        hint: suggestion ? `did you mean \`${suggestion}\`?` : describedHint(parent),
        ...(suggestion ? { fix: { title: `Change to \`${suggestion}\``, span, newText: suggestion } } : {}),
      };
    }
    case 'format': {
      const format = String((e.params as { format: string }).format);
      const shown = typeof e.data === 'string' ? `, not \`${e.data}\`` : '';
      return { code, message: `${name} must be ${FORMAT_NAMES[format] ?? `in the format \`${format}\``}${shown}`, span: where(path), hint: describedHint(parent) };
    }
    case 'pattern':
      return patternProblem(e, path, ctx);
    case 'not':
      return notProblem(e, path, ctx);
    default:
      return { code, message: `${name} ${e.message ?? 'is not valid'}`, span: where(path), hint: describedHint(parent) };
  }
}

/** What the formats ajv-formats checks are, in words with an example (the runtime checks them at start). */
const FORMAT_NAMES: Readonly<Record<string, string>> = {
  uri: 'an absolute URI (such as `https://api.example.com/v1`)',
  'uri-reference': 'a URI or a relative reference (such as `/v1/customers`)',
  url: 'a URL (such as `https://api.example.com/v1`)',
  email: 'an email address',
  hostname: 'a host name (such as `smtp.example.com`)',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  'date-time': 'a date and time in ISO-8601 with a zone (such as `2026-01-31T09:00:00Z`)',
  date: 'a date (such as `2026-01-31`)',
  time: 'a time with a zone (such as `09:00:00Z`)',
  duration: 'an ISO-8601 duration (such as `PT30S`)',
  uuid: 'a UUID',
  regex: 'a regular expression',
};

/**
 * A regex says little to a person: the schema's first example (or its default) shows the form,
 * its `title` names it, its `description` explains it; the regex itself is the last resort.
 */
function patternProblem(e: ErrorObject, path: Path, ctx: Ctx): Problem {
  const parent = (e.parentSchema ?? {}) as Schema;
  const pattern = String((e.params as { pattern: string }).pattern);
  // A `propertyNames` pattern is about a key, not the value at `path`.
  const key = e.propertyName;
  const name = key === undefined ? subjectOf(path, ctx.place) : `key \`${key}\` in ${subjectOf(path, ctx.place)}`;
  const span = key === undefined ? ctx.where(path) : ctx.where([...path, key], true);
  const examples = examplesOf(parent, pattern);
  const title = titleOf(parent);
  const example = examples[0];
  const message =
    example !== undefined
      ? `${name} must ${title ? `be ${articled(title)}` : 'look'} like \`${example}\``
      : title
        ? `${name} must be ${articled(title)}`
        : `${name} does not have the expected form`;
  const more = examples.length > 1 ? `for example ${examples.map((x) => `\`${x}\``).join(', ')}` : undefined;
  const hint = describedHint(parent) ?? more ?? (example === undefined ? `it must match the regular expression \`${pattern}\`` : undefined);
  return { code: 'invalid-plugin-config', message, span, hint };
}

/** Examples (else the default) that the pattern accepts: one it refuses would mislead. */
function examplesOf(s: Schema, pattern: string): string[] {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return [];
  }
  const listed = Array.isArray(s['examples']) ? s['examples'] : [];
  const fits = listed.filter((x): x is string => typeof x === 'string' && re.test(x));
  if (fits.length > 0) return fits;
  const d = s['default'];
  return typeof d === 'string' && re.test(d) ? [d] : [];
}

/**
 * `not` forbids a form. Its subschema's `title` names that form ("a URL with credentials"),
 * its `description` says why; a `not` over `required` forbids keys, said as such.
 */
function notProblem(e: ErrorObject, path: Path, ctx: Ctx): Problem {
  const code = 'invalid-plugin-config';
  const name = subjectOf(path, ctx.place);
  const parent = (e.parentSchema ?? {}) as Schema;
  const sub = resolveRef(e.schema, ctx.root);
  const data = e.data;
  if (isObject(data)) {
    const given = givenKeys(data);
    const together = presenceOf(sub, ctx.root);
    if (together && together.excludes.length === 0 && together.requires.length >= 2) {
      const keys = byPosition(together.requires, data);
      const last = keys.at(-1)!;
      return {
        code,
        message:
          keys.length === 2
            ? `${name}: give at most one of ${keys.map(tick).join(', ')} (both are given)`
            : `${name}: do not give ${andList(keys.map(tick))} together`,
        span: ctx.where([...path, last], true),
        related: keys.slice(0, -1).map((k) => ({ span: ctx.where([...path, k], true), message: `${tick(k)} is given here` })),
        hint: describedHint(parent) ?? `remove ${keys.length === 2 ? 'one of them' : 'at least one of them'}`,
      };
    }
    const forbidden = anyKeyOf(sub, ctx.root, 0)?.filter((k) => given.has(k));
    if (forbidden && forbidden.length > 0) {
      const keys = byPosition(forbidden, data);
      return {
        code,
        message: `${name} must not have ${orList(keys.map(tick))}`,
        span: ctx.where([...path, keys[0]!], true),
        hint: describedHint(parent) ?? `remove ${andList(keys.map((k) => `\`${k}:\``))}`,
      };
    }
  }
  const title = titleOf(sub);
  const values = constsOf(sub);
  const message = title
    ? `${name} must not be ${articled(title)}`
    : values
      ? `${name} must not be ${orList(values.map((v) => `\`${String(v)}\``))}`
      : `${name} has a form that is not allowed here`;
  return { code, message, span: ctx.where(path), hint: describedHint(sub) ?? describedHint(parent) };
}

// ---------------------------------------------------------------- anyOf / oneOf

type Outcome = { problem: Problem } | { branch: number } | 'drop' | undefined;

/**
 * The errors ajv reported while trying the branches of the combinator at `i`: the run just
 * before it at or below its value, under its schema path (or under `$defs`, where a `$ref`ed
 * branch reports).
 */
function branchErrors(errors: readonly ErrorObject[], i: number): number[] {
  const c = errors[i]!;
  const parentPath = c.schemaPath.slice(0, c.schemaPath.lastIndexOf('/'));
  const out: number[] = [];
  for (let j = i - 1; j >= 0; j--) {
    const e = errors[j]!;
    if (e.instancePath !== c.instancePath && !e.instancePath.startsWith(c.instancePath + '/')) break;
    const inside = e.schemaPath.startsWith(c.schemaPath + '/');
    // Another keyword of the schema that holds the combinator reported before it did.
    const sibling = e.schemaPath.startsWith(parentPath + '/') && !/^(\$defs|definitions)\//.test(e.schemaPath.slice(parentPath.length + 1));
    const viaRef = /\/(\$defs|definitions)\//.test(e.schemaPath) && !sibling;
    if (!inside && !viaRef) break;
    out.push(j);
  }
  return out;
}

function inBranch(e: ErrorObject, c: ErrorObject, k: number): boolean {
  const at = `${c.schemaPath}/${k}`;
  if (e.schemaPath === at || e.schemaPath.startsWith(at + '/')) return true;
  const ref = (Array.isArray(c.schema) ? (c.schema[k] as Schema | undefined) : undefined)?.['$ref'];
  return typeof ref === 'string' && e.schemaPath.startsWith(ref + '/');
}

function explainCombinator(e: ErrorObject, errors: readonly ErrorObject[], ctx: Ctx): Outcome {
  // The value has the wrong type for the schema holding the combinator: that error says it.
  const typeAt = `${e.schemaPath.slice(0, e.schemaPath.lastIndexOf('/'))}/type`;
  if (errors.some((x) => x.schemaPath === typeAt && x.instancePath === e.instancePath)) return 'drop';
  const raw = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
  if (raw.length === 0) return undefined;
  const branches = raw.map((b) => resolveRef(b, ctx.root));
  const path = pointerToPath(e.instancePath);
  const passing = e.keyword === 'oneOf' ? ((e.params as { passingSchemas?: number[] | null }).passingSchemas ?? null) : null;
  const presence = isObject(e.data) ? presenceProblem(e, branches, path, ctx) : undefined;
  if (presence) return { problem: presence };
  if (passing === null) {
    const byType = typeOutcome(e, branches, path, ctx);
    if (byType) return byType;
    const consts = constProblem(e, branches, path, ctx);
    if (consts) return { problem: consts };
  }
  const labelled = labelProblem(e, raw, branches, passing, path, ctx);
  return labelled ? { problem: labelled } : undefined;
}

/** What a branch demands of an object's keys, when that is all it demands. */
interface Presence {
  readonly requires: readonly string[];
  readonly excludes: readonly string[];
}

/** `required`, `not` of required keys, and `allOf` / `$ref` of those; undefined for anything else. */
function presenceOf(s: unknown, root: Schema, depth = 0): Presence | undefined {
  if (!isObject(s) || depth > 16) return undefined;
  const requires: string[] = [];
  const excludes: string[] = [];
  const add = (p: Presence | undefined): boolean => {
    if (!p) return false;
    requires.push(...p.requires);
    excludes.push(...p.excludes);
    return true;
  };
  for (const [k, v] of Object.entries(s)) {
    if (ANNOTATIONS.has(k) || (k === 'type' && v === 'object')) continue;
    if (k === 'required' && Array.isArray(v) && v.every((x) => typeof x === 'string')) requires.push(...(v as string[]));
    else if (k === 'not') {
      const keys = anyKeyOf(v, root, depth + 1);
      if (!keys) return undefined;
      excludes.push(...keys);
    } else if (k === 'allOf' && Array.isArray(v)) {
      if (!v.every((sub) => add(presenceOf(sub, root, depth + 1)))) return undefined;
    } else if (k === '$ref' && typeof v === 'string') {
      if (!add(presenceOf(resolveRef(s, root), root, depth + 1))) return undefined;
    } else return undefined;
  }
  return { requires: [...new Set(requires)], excludes: [...new Set(excludes)] };
}

/** The keys of a schema that holds when any one of them is given: `required: [k]`, or an `anyOf` of those. */
function anyKeyOf(s: unknown, root: Schema, depth: number): string[] | undefined {
  const p = presenceOf(s, root, depth);
  if (p) return p.requires.length === 1 && p.excludes.length === 0 ? [...p.requires] : undefined;
  const r = resolveRef(s, root);
  if (!isObject(r) || !Array.isArray(r['anyOf']) || Object.keys(r).some((k) => k !== 'anyOf' && !ANNOTATIONS.has(k))) return undefined;
  const keys: string[] = [];
  for (const sub of r['anyOf']) {
    const k = anyKeyOf(sub, root, depth + 1);
    if (!k) return undefined;
    keys.push(...k);
  }
  return keys;
}

/**
 * "give exactly one of `from`, `messagingServiceSid` (both are given)": for a oneOf/anyOf whose
 * branches only require keys (each perhaps excluding the others'), said from the keys given.
 */
function presenceProblem(e: ErrorObject, branches: readonly unknown[], path: Path, ctx: Ctx): Problem | undefined {
  const all = branches.map((b) => presenceOf(b, ctx.root));
  if (all.some((p) => p === undefined)) return undefined;
  const ps = all as Presence[];
  const groups = ps.filter((p) => p.requires.length > 0);
  const empty = ps.filter((p) => p.requires.length === 0);
  if (groups.length < 2) return undefined;
  const keys = groups.flatMap((g) => g.requires);
  if (new Set(keys).size !== keys.length) return undefined; // overlapping groups: no simple sentence
  // Exclusions only read as "exactly one" when each of single keys excludes all the others;
  // lopsided ones (a branch that allows what another forbids) have no such simple rule.
  const others = (g: Presence) => keys.filter((k) => !g.requires.includes(k));
  const exclusive = groups.every((g) => g.requires.length === 1 && others(g).every((k) => g.excludes.includes(k)));
  if (!exclusive && groups.some((g) => g.excludes.length > 0)) return undefined;
  if (groups.some((g) => g.excludes.some((k) => !keys.includes(k)))) return undefined;
  let mode: 'exactly' | 'at least' | 'at most';
  if (empty.length === 0) mode = e.keyword === 'oneOf' || exclusive ? 'exactly' : 'at least';
  else if (empty.length === 1 && e.keyword === 'oneOf' && !exclusive && keys.every((k) => empty[0]!.excludes.includes(k))) {
    // The branch that requires nothing and forbids every key: none of them is fine too.
    mode = 'at most';
  } else return undefined;

  const data = e.data as Record<string, unknown>;
  const given = givenKeys(data);
  const label = (g: Presence) => (g.requires.length === 1 ? tick(g.requires[0]!) : `${tick(g.requires[0]!)} with ${andList(g.requires.slice(1).map(tick))}`);
  const name = subjectOf(path, ctx.place);
  const head = `${name}: give ${mode} one of ${groups.map(label).join(', ')}`;
  const keyAt = (k: string) => ctx.where([...path, k], true);
  const sat = groups.filter((g) => g.requires.every((k) => given.has(k)));
  const code = 'invalid-plugin-config';

  if (sat.length >= 2 && mode !== 'at least') {
    const ordered = [...sat].sort((a, b) => position(a.requires, data) - position(b.requires, data));
    const firstGiven = (g: Presence) => byPosition(g.requires, data)[0]!;
    return {
      code,
      message: `${head} (${sat.length === 2 && groups.length === 2 ? 'both are' : `${andList(ordered.map(label))} are`} given)`,
      span: keyAt(firstGiven(ordered.at(-1)!)),
      related: ordered.slice(0, -1).map((g) => ({ span: keyAt(firstGiven(g)), message: `${label(g)} is given here` })),
      hint: `keep one of them and remove the ${sat.length === 2 ? 'other' : 'others'}`,
    };
  }
  // With the exclusions above, one group given is never an error.
  if (sat.length >= 1) return undefined;
  const partial = groups.find((g) => g.requires.some((k) => given.has(k)));
  if (partial) {
    const have = byPosition(partial.requires.filter((k) => given.has(k)), data);
    const missing = partial.requires.filter((k) => !given.has(k));
    return {
      code,
      message: `${head} (${andList(have.map(tick))} ${have.length > 1 ? 'are' : 'is'} given without ${andList(missing.map(tick))})`,
      span: keyAt(have[0]!),
      hint: `add ${andList(missing.map((k) => `\`${k}:\``))}${mode === 'at most' ? `, or remove ${andList(have.map((k) => `\`${k}:\``))}` : ''}`,
    };
  }
  if (mode === 'at most') return undefined;
  return {
    code,
    message: `${head} (${groups.length === 2 ? 'neither' : 'none'} is given)`,
    span: objectSpan(path, ctx.value, ctx.where),
    hint: `add ${groups.map((g) => andList(g.requires.map((k) => `\`${k}:\``))).join(' or ')}`,
  };
}

/**
 * Branches told apart by type: a value of a type none takes gets a type error; one that only
 * one branch takes is reported with that branch's errors, as if it were the only one.
 */
function typeOutcome(e: ErrorObject, branches: readonly unknown[], path: Path, ctx: Ctx): Outcome {
  const types = branches.map(typesOf);
  if (types.some((t) => t === undefined)) return undefined;
  const actual = jsonType(e.data);
  const takes = (t: readonly string[]) => t.includes(actual) || (actual === 'integer' && t.includes('number'));
  const taking = types.flatMap((t, k) => (takes(t!) ? [k] : []));
  if (taking.length === 1) return { branch: taking[0]! };
  if (taking.length > 0) return undefined;
  const expected = [...new Set(types.flatMap((t) => t!))].map(article);
  const parent = (e.parentSchema ?? {}) as Schema;
  return {
    problem: { code: 'invalid-plugin-config', message: `${subjectOf(path, ctx.place)} must be ${orList(expected)}, not ${describeValue(e.data)}`, span: ctx.where(path), hint: describedHint(parent) },
  };
}

/** Branches that are each one `const` (the enum with a description per value): an enum error. */
function constProblem(e: ErrorObject, branches: readonly unknown[], path: Path, ctx: Ctx): Problem | undefined {
  const values: unknown[] = [];
  for (const b of branches) {
    if (!isObject(b) || !('const' in b) || Object.keys(b).some((k) => k !== 'const' && k !== 'type' && !ANNOTATIONS.has(k))) return undefined;
    values.push(b['const']);
  }
  const allowed = values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  const suggestion = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
  const span = ctx.where(path);
  return {
    code: 'invalid-plugin-config',
    message: `${subjectOf(path, ctx.place)} must be one of ${allowed.map(tick).join(', ')}`,
    span,
    hint: suggestion ? `did you mean \`${suggestion}\`?` : describedHint(e.parentSchema),
    ...(suggestion ? { fix: { title: `Change to \`${suggestion}\``, span, newText: suggestion } } : {}),
  };
}

/** Branches with a `title` or `description` each: name them instead of "must match a schema in oneOf". */
function labelProblem(e: ErrorObject, raw: readonly unknown[], branches: readonly unknown[], passing: readonly number[] | null, path: Path, ctx: Ctx): Problem | undefined {
  const titles = raw.map((b, k) => titleOf(b) ?? titleOf(branches[k]));
  const docs = raw.map((b, k) => describedHint(b) ?? describedHint(branches[k]));
  const labels = titles.map((t, k) => t ?? docs[k]);
  if (labels.some((l) => l === undefined)) return undefined;
  const name = subjectOf(path, ctx.place);
  const allTitled = titles.every((t) => t !== undefined);
  const list = (ks: readonly number[]) => ks.map((k, n) => `(${n + 1}) ${labels[k]}`).join('; ');
  const every = raw.map((_, k) => k);
  const parentDoc = describedHint(e.parentSchema);
  let message: string;
  let hint: string | undefined;
  if (passing && passing.length > 1) {
    message = allTitled
      ? `${name} must be only one of ${orList(titles.map((t) => articled(t!)))}, but it is ${andList(passing.map((k) => articled(titles[k]!)))}`
      : `${name} matches more than one of the forms it can take, and must match exactly one`;
    hint = allTitled ? parentDoc : `it matches: ${list(passing)}`;
  } else {
    message = allTitled ? `${name} must be ${orList(titles.map((t) => articled(t!)))}` : `${name} does not match any of the forms it can take`;
    hint = allTitled ? (docs.every((d) => d !== undefined) ? titles.map((t, k) => `${t}: ${docs[k]}`).join('; ') : parentDoc) : `it can be: ${list(every)}`;
  }
  return { code: 'invalid-plugin-config', message, span: ctx.where(path), hint };
}

// ---------------------------------------------------------------- helpers

/** A missing key is reported at the object that lacks it: its key, or its first key at the top. */
function objectSpan(path: Path, root: unknown, where: Where): Span {
  if (path.length > 0) return where(path, true);
  const first = root && typeof root === 'object' && !Array.isArray(root) ? Object.keys(root)[0] : undefined;
  return first === undefined ? where([]) : where([first], true);
}

function describedHint(s: unknown): string | undefined {
  if (!isObject(s)) return undefined;
  const h = s['x-hint'] ?? s['description'];
  return typeof h === 'string' ? h : undefined;
}

function titleOf(s: unknown): string | undefined {
  const t = isObject(s) ? s['title'] : undefined;
  return typeof t === 'string' && t.trim() !== '' ? t : undefined;
}

function constsOf(s: unknown): unknown[] | undefined {
  if (!isObject(s)) return undefined;
  if ('const' in s) return [s['const']];
  return Array.isArray(s['enum']) && s['enum'].length > 0 ? s['enum'] : undefined;
}

function typesOf(s: unknown): string[] | undefined {
  if (!isObject(s)) return undefined;
  const t = s['type'];
  if (typeof t === 'string') return [t];
  if (Array.isArray(t) && t.every((x) => typeof x === 'string')) return t as string[];
  const values = constsOf(s);
  return values ? [...new Set(values.map(jsonType))] : undefined;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function isObject(v: unknown): v is Schema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A `$ref` to this schema, followed; anything else as it is. */
function resolveRef(s: unknown, root: Schema, depth = 0): unknown {
  if (!isObject(s) || typeof s['$ref'] !== 'string' || !s['$ref'].startsWith('#') || depth > 16) return s;
  const target = resolvePointer(root, s['$ref'].slice(1));
  return target === undefined ? s : resolveRef(target, root, depth + 1);
}

function givenKeys(data: Record<string, unknown>): Set<string> {
  return new Set(Object.keys(data).filter((k) => data[k] !== undefined));
}

/** Where the first of `keys` stands among the keys as written. */
function position(keys: readonly string[], data: Record<string, unknown>): number {
  const order = Object.keys(data);
  return Math.min(...keys.map((k) => (order.includes(k) ? order.indexOf(k) : Infinity)));
}

/** `keys` in the order they are written (keys not written last). */
function byPosition(keys: readonly string[], data: Record<string, unknown>): string[] {
  return [...keys].sort((a, b) => position([a], data) - position([b], data));
}

function tick(s: string): string {
  return `\`${s}\``;
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function article(t: string): string {
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** A title in a sentence: "a sender", "an E.164 number"; one that brings its article keeps it. */
function articled(t: string): string {
  return /^(a|an|the)\s/i.test(t) ? t : `${/^[aeiou]/i.test(t) ? 'an' : 'a'} ${t}`;
}

function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text \`${v.length > 30 ? v.slice(0, 27) + '...' : v}\``;
  return `${typeof v === 'number' ? 'the number' : 'the value'} \`${String(v)}\``;
}

// ---------------------------------------------------------------- ${ENV_VAR}

function pointer(path: Path): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** A copy of `value` with whole-string `${VAR}`s replaced by a value of the type the schema wants there. */
function substituteEnvRefs(value: unknown, path: Path, root: Schema, envPaths: Set<string>, embedded: Set<string>): unknown {
  if (typeof value === 'string') {
    if (WHOLE_ENV_REF.test(value)) {
      const placeholder = placeholderFor(schemasAt(root, path), value);
      if (placeholder.scalar) envPaths.add(pointer(path));
      return placeholder.value;
    }
    if (EMBEDDED_ENV_REF.test(value)) embedded.add(pointer(path));
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnvRefs(v, [...path, i], root, envPaths, embedded));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnvRefs(v, [...path, k], root, envPaths, embedded)]));
  }
  return value;
}

/**
 * The value a `${VAR}` stands for while validating. `scalar` is false where the schema
 * wants only objects or lists: substitution yields text, so the schema's error stands.
 */
function placeholderFor(schemas: readonly Schema[], original: string): { value: unknown; scalar: boolean } {
  const types = new Set<string>();
  for (const s of schemas) {
    const t = s['type'];
    if (typeof t === 'string') types.add(t);
    else if (Array.isArray(t)) for (const x of t) types.add(String(x));
  }
  const scalar = (value: unknown) => ({ value, scalar: true });
  if (types.size === 0 || types.has('string')) return scalar(original);
  for (const s of schemas) {
    if ('const' in s) return scalar(s['const']);
    if (Array.isArray(s['enum']) && s['enum'].length > 0) return scalar(s['enum'][0]);
  }
  if (types.has('integer') || types.has('number')) {
    for (const s of schemas) {
      if (typeof s['minimum'] === 'number') return scalar(types.has('integer') ? Math.ceil(s['minimum']) : s['minimum']);
      if (typeof s['exclusiveMinimum'] === 'number') return scalar(Math.floor(s['exclusiveMinimum']) + 1);
    }
    return scalar(0);
  }
  if (types.has('boolean')) return scalar(false);
  if (types.has('null')) return scalar(null);
  return { value: original, scalar: false };
}

/** The subschemas that apply at `path`, following local `$ref`s and combinators; enough to read a type. */
function schemasAt(root: Schema, path: Path): Schema[] {
  let current = expand(root, root, 0);
  for (const seg of path) {
    const next: Schema[] = [];
    for (const s of current) for (const child of childSchemas(s, seg)) next.push(...expand(child, root, 0));
    current = next;
    if (current.length === 0) break;
  }
  return current;
}

function expand(s: unknown, root: Schema, depth: number): Schema[] {
  if (!s || typeof s !== 'object' || Array.isArray(s) || depth > 16) return [];
  const schema = s as Schema;
  const out: Schema[] = [schema];
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#')) out.push(...expand(resolvePointer(root, ref.slice(1)), root, depth + 1));
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[k];
    if (Array.isArray(list)) for (const sub of list) out.push(...expand(sub, root, depth + 1));
  }
  for (const k of ['then', 'else']) out.push(...expand(schema[k], root, depth + 1));
  return out;
}

function resolvePointer(root: Schema, ptr: string): unknown {
  let cur: unknown = root;
  for (const seg of pointerToPath(ptr)) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[decodeURIComponent(seg)];
  }
  return cur;
}

function childSchemas(s: Schema, seg: string | number): unknown[] {
  const out: unknown[] = [];
  if (typeof seg === 'number') {
    const prefix = s['prefixItems'];
    const items = s['items'];
    if (Array.isArray(prefix) && seg < prefix.length) out.push(prefix[seg]);
    else if (Array.isArray(items)) out.push(items[seg] ?? s['additionalItems']);
    else if (items !== undefined) out.push(items);
    return out;
  }
  const props = s['properties'] as Record<string, unknown> | undefined;
  if (props && Object.prototype.hasOwnProperty.call(props, seg)) return [props[seg]];
  const patterns = s['patternProperties'] as Record<string, unknown> | undefined;
  for (const [re, sub] of Object.entries(patterns ?? {})) {
    try {
      if (new RegExp(re, 'u').test(seg)) out.push(sub);
    } catch {
      // A pattern JS cannot read tells us nothing about the type.
    }
  }
  if (out.length === 0 && s['additionalProperties'] && typeof s['additionalProperties'] === 'object') out.push(s['additionalProperties']);
  return out;
}
