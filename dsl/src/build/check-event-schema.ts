/**
 * `invalid-event-schema`: an event declared with `schema:` keeps its JSON Schema in the IR,
 * and the runtime validates every posted and emitted event of the type against it. So the
 * schema must be one the runtime can compile (ajv, draft 2020-12, unknown keywords allowed,
 * as runtime/src/plugins-host/json-validator.ts runs it): a schema the JSON Schema
 * meta-schema refuses (`type: strnig`), a `pattern` that is no regular expression (ajv
 * compiles them with the `u` flag), or a `$ref` that resolves nowhere would otherwise
 * surface only when the first such event arrives. Each problem points at the keyword at fault.
 *
 * `unknown-schema-keyword` (a warning): JSON Schema ignores keywords it does not know, so a typo
 * (`requried: [email]`, `maxLenght: 5`) silently drops the check it was meant to make; ajv in its
 * non-strict mode says nothing. A key in a schema position that is no keyword of draft 2020-12
 * (nor one ajv accepts from earlier drafts) is reported, with a did-you-mean; annotations of the
 * project's own start with `x-` and are left alone.
 */
import AjvModule from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import type { Problem } from '../diagnostics/report.js';
import { locate, pointerToPath, toJson, type YNode } from '../parse/yaml-tree.js';
import type { Span } from '../source/source-file.js';

// ajv is CommonJS; under NodeNext its default export arrives as the module object.
const Ajv2020 = ((AjvModule as unknown as { default?: unknown }).default ?? AjvModule) as typeof AjvModule.default;

type Path = readonly (string | number)[];

/** Keywords whose values are data, not schemas: a `pattern` key inside them is no regex. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);

export function eventSchemaProblems(event: string, node: YNode, keySpan: Span): Problem[] {
  const place = `the JSON Schema of event \`${event}\``;
  const { $schema: _dialect, ...schema } = toJson(node) as Record<string, unknown>;
  // A fresh instance per check, as the schema is the user's: nothing it adds ($id, $defs) outlives it.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, allowUnionTypes: true, logger: false, validateFormats: false });
  const keywordProblems = unknownKeywords(schema, node, place);
  if (!ajv.validateSchema(schema)) return [...metaSchemaProblems(ajv.errors ?? [], node, place), ...keywordProblems];
  const regexProblems = invalidPatterns(schema, node, place);
  if (regexProblems.length > 0) return [...regexProblems, ...keywordProblems];
  try {
    ajv.compile(schema);
    return keywordProblems;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const ref = /can't resolve reference (\S+)/.exec(message)?.[1];
    const at = ref === undefined ? undefined : findRef(schema, ref);
    return [
      ...keywordProblems,
      {
        code: 'invalid-event-schema',
        message: `${place} does not compile: ${message}`,
        span: at ? locate(node, at) : keySpan,
        hint:
          ref === undefined
            ? 'fix the schema so that a JSON Schema validator (draft 2020-12) accepts it'
            : 'a `$ref` must point into the same schema (`#/$defs/address`): Herald loads no other schema files',
      },
    ];
  }
}

/** Draft 2020-12's keywords (every vocabulary), and those of earlier drafts ajv's 2020 dialect still applies. */
const KEYWORDS = new Set([
  // core
  '$schema', '$id', '$ref', '$anchor', '$dynamicRef', '$dynamicAnchor', '$vocabulary', '$comment', '$defs',
  // applicator
  'prefixItems', 'items', 'contains', 'additionalProperties', 'properties', 'patternProperties', 'dependentSchemas',
  'propertyNames', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not',
  // unevaluated
  'unevaluatedItems', 'unevaluatedProperties',
  // validation
  'type', 'const', 'enum', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties',
  'minProperties', 'required', 'dependentRequired',
  // meta-data, format, content
  'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples', 'format',
  'contentEncoding', 'contentMediaType', 'contentSchema',
  // earlier drafts, still applied by ajv
  'definitions', 'dependencies', 'additionalItems', '$recursiveRef', '$recursiveAnchor', 'nullable',
]);

/** Keywords whose value is a schema, a list of schemas, or a map of names to schemas. */
const SCHEMA_VALUED = new Set(['items', 'contains', 'additionalProperties', 'propertyNames', 'if', 'then', 'else', 'not', 'unevaluatedItems', 'unevaluatedProperties', 'contentSchema', 'additionalItems']);
const SCHEMA_LISTS = new Set(['prefixItems', 'allOf', 'anyOf', 'oneOf', 'items']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/** Every key in a schema position that no JSON Schema validator reads, at the key. */
function unknownKeywords(schema: unknown, node: YNode, place: string): Problem[] {
  const problems: Problem[] = [];
  const visit = (s: unknown, path: Path): void => {
    if (!s || typeof s !== 'object' || Array.isArray(s)) return;
    for (const [k, v] of Object.entries(s)) {
      const at = [...path, k];
      if (!KEYWORDS.has(k) && !k.startsWith('x-')) {
        const suggestion = didYouMean(k, KEYWORDS);
        const span = locate(node, at, true);
        problems.push({
          code: 'unknown-schema-keyword',
          message: `${place}: \`${k}\` is not a JSON Schema keyword, so it checks nothing`,
          span,
          hint: suggestion
            ? `did you mean \`${suggestion}\`?`
            : 'see https://json-schema.org/understanding-json-schema for the keywords; an annotation of your own starts with `x-` (`x-note`)',
          ...(suggestion ? { fix: { title: `Change to ${suggestion}`, span, newText: suggestion } } : {}),
        });
        continue;
      }
      if (SCHEMA_LISTS.has(k) && Array.isArray(v)) v.forEach((item, i) => visit(item, [...at, i]));
      else if (SCHEMA_VALUED.has(k)) visit(v, at);
      else if (SCHEMA_MAPS.has(k) && v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [name, sub] of Object.entries(v)) visit(sub, [...at, name]);
      }
    }
  };
  visit(schema, []);
  return problems;
}

/** One problem per place the meta-schema refuses, combinator summaries left out. */
function metaSchemaProblems(errors: readonly ErrorObject[], node: YNode, place: string): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    if (seen.has(e.instancePath)) continue;
    seen.add(e.instancePath);
    const path = pointerToPath(e.instancePath);
    const keyword = path.at(-1);
    const params = e.params as Record<string, unknown>;
    const allowed = Array.isArray(params['allowedValues']) ? (params['allowedValues'] as unknown[]).map(String) : undefined;
    const value = e.data;
    const suggestion = allowed && typeof value === 'string' ? didYouMean(value, allowed) : undefined;
    const span = locate(node, path);
    problems.push({
      code: 'invalid-event-schema',
      message: `${place} is not valid: ${keyword === undefined ? 'the schema' : `\`${keyword}\``} ${allowed ? `must be one of ${allowed.join(', ')}` : (e.message ?? 'is invalid')}`,
      span,
      hint: suggestion ? `did you mean \`${suggestion}\`?` : 'see https://json-schema.org/understanding-json-schema for the keywords and their values',
      ...(suggestion ? { fix: { title: `Change to ${suggestion}`, span, newText: suggestion } } : {}),
    });
  }
  return problems;
}

/** Every `pattern` and `patternProperties` key that is no regular expression in ajv's (unicode) syntax. */
function invalidPatterns(schema: unknown, node: YNode, place: string): Problem[] {
  const problems: Problem[] = [];
  const check = (regex: string, path: Path, key: boolean) => {
    try {
      new RegExp(regex, 'u');
    } catch (err) {
      problems.push({
        code: 'invalid-event-schema',
        message: `${place}: \`${regex}\` is not a valid regular expression (${err instanceof Error ? err.message : String(err)})`,
        span: locate(node, path, key),
        hint: 'JSON Schema patterns are ECMAScript regular expressions, read in unicode mode: escape `\\`, `[`, `(` and `{` that are meant literally',
      });
    }
  };
  const walk = (v: unknown, path: Path): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, i]));
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      if (DATA_KEYWORDS.has(k)) continue;
      if (k === 'pattern' && typeof x === 'string') check(x, [...path, k], false);
      else if (k === 'patternProperties' && x && typeof x === 'object' && !Array.isArray(x)) {
        for (const p of Object.keys(x)) check(p, [...path, k, p], true);
      }
      walk(x, [...path, k]);
    }
  };
  walk(schema, []);
  return problems;
}

/** The path of the first `$ref` whose value is `ref`. */
function findRef(v: unknown, ref: string, path: Path = []): Path | undefined {
  if (!v || typeof v !== 'object') return undefined;
  for (const [k, x] of Object.entries(v)) {
    if (k === '$ref' && x === ref) return [...path, k];
    const found = findRef(x, ref, [...path, Array.isArray(v) ? Number(k) : k]);
    if (found) return found;
  }
  return undefined;
}
