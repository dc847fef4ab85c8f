/**
 * Plugin config values that name files of the project, as the manifest marks them:
 *
 * - `"x-herald-file": true`: the value must name a file (`missing-plugin-file`), or the plugin
 *   fails at start (`herald dev` stops with ENOENT) long after `herald validate` passed.
 * - `"x-herald-file": "json"`: the same, and the file must parse as JSON
 *   (`invalid-plugin-file`). Such a value is a data file, so `-` (stdout), a URL or an empty
 *   string is no such file either (`missing-plugin-file`). With `"x-herald-file-schema"` beside
 *   it, the parsed file must also fit that JSON Schema (`invalid-plugin-file`, with the place in
 *   the file): the shape the plugin refuses at start (`[1, 2]` where it reads collections).
 * - `"x-herald-json-key-of": "<pointer>"` on a property of the query schema: a query's value
 *   there must be a top-level key of the JSON file that the config value at that JSON pointer
 *   names (a value marked `"json"`), reported as `invalid-plugin-config` at the query's
 *   `with:` (`collection: usrs` where the file has `users`). Nothing is said unless that file
 *   was read, parsed, and holds an object.
 *
 * Paths are looked up as the runtime's plugin host resolves them
 * (runtime/src/plugins-host/resolve-config-paths.ts): relative to the project root, or as
 * written when absolute.
 *
 * Not judged: `${VAR}` values (known only at run time), and for `true` marks what the host
 * leaves to the plugin (`-`, URLs, an empty string). Only `properties` are followed, from the
 * root down through nested objects; a mark under `$ref`, a combinator, `items` or
 * `additionalProperties` is not seen. Plugins mark plain keys, and a walker that follows all
 * of JSON Schema would cost more than it finds.
 */
import { isAbsolute, posix } from 'node:path';
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import { parseYamlFile } from '../../parse/parse-yaml-file.js';
import { tryValidatorFor } from '../../schema/ajv-instance.js';
import { mapSchemaErrors } from '../../schema/map-schema-errors.js';
import type { JsonWithSource, PluginUse, SourceDecl } from '../../model/ast.js';
import type { LinkContext } from '../link-context.js';

export const FILE_ANNOTATION = 'x-herald-file';
export const JSON_KEY_ANNOTATION = 'x-herald-json-key-of';
export const FILE_SCHEMA_ANNOTATION = 'x-herald-file-schema';

/**
 * A data file that does not fit its schema is placed by line and column only up to this size
 * (its text is parsed again, with positions, to find the place); a larger one is named by the
 * JSON pointer of the place alone.
 */
const MAX_PLACED_CHARS = 512 * 1024;

/**
 * JSON files longer than this (5 MiB of text) are not parsed: the compiler runs at every edit in
 * the editor, and a data file that big is no fixture. Such a file is only checked to exist; a
 * syntax error in it is left to the plugin at start.
 */
const MAX_JSON_CHARS = 5 * 1024 * 1024;

export const ENV_REF = /\$\{[A-Za-z_][A-Za-z0-9_]*\}/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

type Json = Record<string, unknown>;
type FileMark = true | 'json';

interface Marked<T> {
  readonly path: readonly string[];
  readonly value: string;
  readonly mark: T;
  /** The property's own schema, which carries the mark. */
  readonly schema: Json;
}

/** What `checkFile` returns when it has no parsed JSON to give. */
const NOT_READ: unique symbol = Symbol('not read');

/** A marked config value whose JSON file was read and parsed: its name as written, and the parsed root. */
interface ParsedFile {
  readonly value: string;
  readonly json: unknown;
}

/**
 * Checks the files `decl`'s config names, and for a source the query values that must be keys of them.
 * @param who the declaration, for messages: "source `crm`"
 */
export function reportMissingPluginFiles(ctx: LinkContext, decl: PluginUse, who: string, schema: Json): void {
  if (!ctx.model.pathKind || !decl.config) return;
  const parsed = new Map<string, ParsedFile>();
  for (const marked of annotated(schema, decl.config.value, fileMark)) {
    const json = checkFile(ctx, decl.config, who, marked);
    if (json !== NOT_READ) parsed.set(toPointer(marked.path), { value: marked.value, json });
  }
  if (parsed.size > 0 && 'queries' in decl) reportUnknownJsonKeys(ctx, decl as SourceDecl, parsed);
}

/** Reports what is wrong with the file a marked value names; returns its parsed JSON when it is a `"json"` file that parsed. */
function checkFile(ctx: LinkContext, config: JsonWithSource, who: string, { path, value, mark, schema }: Marked<FileMark>): unknown {
  const { pathKind, readFile, root } = ctx.model;
  const span = config.locate(path);
  const name = `the \`${path.join('.')}\` of ${who}`;
  if (ENV_REF.test(value)) return NOT_READ;
  const isUrl = URL_LIKE.test(value);
  const notAFile = value === '' ? 'is empty' : value === '-' ? 'is `-` (standard input or output)' : isUrl ? `names \`${value}\`, a URL` : undefined;
  if (notAFile !== undefined) {
    // A plain mark leaves these to the plugin (stdout, a URL it fetches), as the runtime does; a JSON data file must be a file.
    if (mark === 'json') {
      ctx.report({
        code: 'missing-plugin-file',
        message: `${name} ${notAFile}; it must name a JSON file of the project`,
        span,
        hint: isUrl ? 'save the file in the project and name that copy, relative to the project root' : 'name a JSON file, relative to the project root (e.g. `data/crm.json`)',
      });
    }
    return NOT_READ;
  }
  // The platform's isAbsolute, as the host's: what counts as absolute is what the plugin will open.
  const absolute = isAbsolute(value);
  const file = absolute ? value : posix.join(root, value);
  const kind = pathKind!(file);
  if (kind !== 'file') {
    ctx.report({
      code: 'missing-plugin-file',
      message: `${name} names \`${value}\`, which ${kind === 'folder' ? 'is a folder, not a file' : 'does not exist'}`,
      span,
      hint: absolute ? 'the path is absolute, so it is looked up as written' : `the path is relative to the project root (${root})`,
    });
    return NOT_READ;
  }
  if (mark !== 'json' || !readFile) return NOT_READ;
  const text = readFile(file, MAX_JSON_CHARS);
  if (text === undefined || text.length > MAX_JSON_CHARS) return NOT_READ;
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (error) {
    ctx.report({
      code: 'invalid-plugin-file',
      message: `${name} names \`${value}\`, which is not valid JSON: ${describeJsonError(text, error)}`,
      span,
      hint: 'fix the file: the plugin reads it when it starts, so `herald dev` would stop there (JSON allows no comments, trailing commas or single quotes)',
    });
    return NOT_READ;
  }
  const misfit = shapeProblem(schema[FILE_SCHEMA_ANNOTATION], json, text);
  if (misfit !== undefined) {
    ctx.report({
      code: 'invalid-plugin-file',
      message: `${name} names \`${value}\`, whose content is not what the plugin reads: ${misfit}`,
      span,
      hint: typeof schema['description'] === 'string' ? `the plugin reads: ${schema['description']}` : 'fix the file: the plugin checks it when it starts, so `herald dev` would stop there',
    });
    return NOT_READ;
  }
  return json;
}

/**
 * The first place where `json` does not fit the file schema a plugin gives (`x-herald-file-schema`),
 * said as the compiler says it of Herald's own files, with the line and column in the data file;
 * undefined when it fits, or when there is no usable schema (`checkManifest` refuses a broken one).
 */
function shapeProblem(fileSchema: unknown, json: unknown, text: string): string | undefined {
  if (!isObject(fileSchema)) return undefined;
  const compiled = tryValidatorFor(fileSchema);
  if (!compiled.ok || compiled.validate(json)) return undefined;
  const errors = compiled.validate.errors ?? [];
  const first = errors[0];
  if (first === undefined) return 'it does not fit the schema';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  if (text.length <= MAX_PLACED_CHARS) {
    const { root } = parseYamlFile('data.json', text);
    const placed = root === undefined ? undefined : mapSchemaErrors(errors, root)[0];
    if (placed !== undefined) return `${placed.message} (${placeOf(text, placed.span.start)} of that file)${more}`;
  }
  return `${first.instancePath === '' ? 'the file' : `\`${first.instancePath}\``} ${first.message ?? 'does not fit the schema'}${more}`;
}

function placeOf(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${offset - (before.lastIndexOf('\n') + 1) + 1}`;
}

/** `invalid-plugin-config` for a query value the manifest says must be a top-level key of a JSON file of the config, and is not. */
function reportUnknownJsonKeys(ctx: LinkContext, source: SourceDecl, files: ReadonlyMap<string, ParsedFile>): void {
  const found = ctx.model.manifests.get(source.use.value);
  const querySchema = found?.ok ? found.manifest.querySchema : undefined;
  if (!querySchema) return;
  for (const q of source.queries) {
    if (!q.with) continue;
    for (const { path, value, mark: pointer } of annotated(querySchema, q.with.value, keyOfMark)) {
      const file = files.get(pointer);
      if (!file || !isObject(file.json) || ENV_REF.test(value) || Object.prototype.hasOwnProperty.call(file.json, value)) continue;
      const keys = Object.keys(file.json);
      const close = didYouMean(value, keys);
      const span = q.with.locate(path);
      const listed = keys.length === 0 ? 'it has none' : `it has ${keys.slice(0, 10).map((k) => `\`${k}\``).join(', ')}${keys.length > 10 ? ', …' : ''}`;
      ctx.report({
        code: 'invalid-plugin-config',
        message: `the \`${path.join('.')}\` of query \`${source.name.value}.${q.name.value}\` is \`${value}\`, which is not a top-level key of \`${file.value}\``,
        span,
        hint: close !== undefined ? `did you mean \`${close}\`?` : listed,
        ...(close !== undefined ? { fix: { title: `Change to \`${close}\``, span, newText: close } } : {}),
      });
    }
  }
}

function fileMark(schema: Json): FileMark | undefined {
  const m = schema[FILE_ANNOTATION];
  return m === true || m === 'json' ? m : undefined;
}

function keyOfMark(schema: Json): string | undefined {
  const m = schema[JSON_KEY_ANNOTATION];
  return typeof m === 'string' ? m : undefined;
}

/** String values of `value` whose property schema carries a mark, found through `properties` from the root down. */
export function annotated<T>(schema: unknown, value: unknown, markOf: (schema: Json) => T | undefined, path: readonly string[] = []): Marked<T>[] {
  const props = isObject(schema) ? schema['properties'] : undefined;
  if (!isObject(props) || !isObject(value)) return [];
  const out: Marked<T>[] = [];
  for (const [key, sub] of Object.entries(props)) {
    if (!isObject(sub) || !Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = value[key];
    const mark = markOf(sub);
    if (mark !== undefined) {
      if (typeof v === 'string') out.push({ path: [...path, key], value: v, mark, schema: sub });
    } else out.push(...annotated(sub, v, markOf, [...path, key]));
  }
  return out;
}

/** The JSON pointer of a path of keys (RFC 6901): what `x-herald-json-key-of` names. */
function toPointer(path: readonly string[]): string {
  return path.map((k) => `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// V8's JSON.parse messages: "<what> in JSON at position N" (Node 22 adds " (line L column C)"),
// or, for an unexpected token, "Unexpected token 'x', "<some of the text>" is not valid JSON" with no position.
const AT_POSITION = / in JSON at position (\d+)(?: \(line \d+ column \d+\))?$/;
const WITH_EXCERPT = /^(.*?), (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s;

/** The parser's message without its position or excerpt of the text, and where in the file it stopped. */
export function describeJsonError(text: string, error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  let offset: number | undefined;
  const at = AT_POSITION.exec(message);
  if (at) {
    offset = Number(at[1]);
    message = message.slice(0, at.index);
  } else {
    const excerpt = WITH_EXCERPT.exec(message);
    if (excerpt) message = excerpt[1]!;
    // Node gives no position here: find where the text stops being JSON ourselves.
    offset = syntaxErrorOffset(text);
  }
  message = message.replace("'\uFEFF'", 'U+FEFF (a byte order mark)');
  if (offset === undefined || offset > text.length) return message;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${message} (line ${line}, column ${column} of that file)`;
}

/**
 * The offset at which `text` stops being JSON (RFC 8259), or undefined when it is JSON. Asked
 * only after JSON.parse failed without saying where; it stops where V8 does, at the first
 * character that cannot continue the text.
 */
export function syntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const digits = () => {
    const start = i;
    while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
    return i > start;
  };
  const string = (): boolean => {
    i++; // the opening quote
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return (i++, true);
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[++i]; // a bad escape is reported at the character after the backslash
        if (e === undefined || !'"\\/bfnrtu'.includes(e)) return false;
        i++;
        if (e === 'u') {
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text[i] ?? '')) return false;
        }
      } else i++;
    }
    return false;
  };
  const value = (): boolean => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return (i++, true);
      for (;;) {
        if (c === '{') {
          space();
          if (text[i] !== '"' || !string()) return false;
          space();
          if (text[i] !== ':') return false;
          i++;
        }
        if (!value()) return false;
        space();
        if (text[i] === close) return (i++, true);
        if (text[i] !== ',') return false;
        i++;
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (text[i] === '-') i++;
      if (text[i] === '0') i++;
      else if (!digits()) return false;
      if (text[i] === '.' && (i++, !digits())) return false;
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (!digits()) return false;
      }
      return true;
    }
    for (const word of ['true', 'false', 'null']) {
      if (c !== word[0]) continue;
      for (const w of word) {
        if (text[i] !== w) return false;
        i++;
      }
      return true;
    }
    return false;
  };
  try {
    if (!value()) return i;
  } catch {
    return undefined; // nested too deep for this scanner: no position
  }
  space();
  return i < text.length ? i : undefined;
}
