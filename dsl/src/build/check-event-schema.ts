/**
 * `invalid-event-schema`: an event declared with `schema:` keeps its JSON Schema in the IR,
 * and the runtime validates every posted and emitted event of the type against it. So the
 * schema must be one the runtime can compile (ajv, draft 2020-12, unknown keywords allowed,
 * as runtime/src/plugins-host/json-validator.ts runs it): a schema the JSON Schema
 * meta-schema refuses (`type: strnig`), a `pattern` that is no regular expression (ajv
 * compiles them with the `u` flag), or a `$ref` that resolves nowhere would otherwise
 * surface only when the first such event arrives. Each problem points at the keyword at fault.
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
  if (!ajv.validateSchema(schema)) return metaSchemaProblems(ajv.errors ?? [], node, place);
  const regexProblems = invalidPatterns(schema, node, place);
  if (regexProblems.length > 0) return regexProblems;
  try {
    ajv.compile(schema);
    return [];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const ref = /can't resolve reference (\S+)/.exec(message)?.[1];
    const at = ref === undefined ? undefined : findRef(schema, ref);
    return [
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
