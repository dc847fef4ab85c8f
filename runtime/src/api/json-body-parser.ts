/**
 * The API's JSON body parser, in place of Fastify's. Fastify's (secure-json-parse) answers
 * every problem with one "not valid JSON": a syntax error without saying where, and a body
 * that is valid JSON but has a `__proto__` key alike. This one says which it was: the parser's
 * own message for bad JSON, and for `__proto__` keys (refused as Fastify refuses them, since code
 * that copies such an object key by key replaces the prototype of the copy) where they are.
 * `constructor` keys are let through, as Fastify's default does: they are ordinary field names.
 */
import type { FastifyInstance } from 'fastify';
import { RequestRefused, type ApiErrorBody } from './api-error.js';
import { escapePointer } from '../plugins-host/json-validator.js';

export type ParsedBody = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly status: number; readonly refusal: ApiErrorBody };

/** Enough to find them; a body made of `__proto__` keys is not answered with all of them. */
const MAX_REPORTED = 10;

const BYTE_ORDER_MARK = 0xfeff;

export function parseJsonBody(text: string): ParsedBody {
  if (text.length === 0) return refuse('invalid_json', 'the body is empty but the content type is application/json');
  // Fastify's parser skips a byte order mark, which some clients write: so does this one.
  const json = text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return refuse('invalid_json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  // The key can only be there if its name is in the text, spelt out or with \u escapes.
  const paths = json.includes('__proto__') || json.includes('\\u') ? protoKeyPaths(value) : [];
  if (paths.length === 0) return { ok: true, value };
  const errors = paths.map((path) => ({ path, message: 'is a "__proto__" key, which Herald refuses anywhere in a body' }));
  const where = `at ${paths.map(shorten).join(', ')}${paths.length === MAX_REPORTED ? ', ...' : ''}`;
  return refuse('invalid_request', `the body has a "__proto__" key ${where}; such keys are refused anywhere in a body, as they can replace the prototype of objects copied from it`, errors);
}

/** A path in the sentence, where one 300,000 levels deep would be 600 KB: its start and its key. */
function shorten(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 100)}...${path.slice(path.lastIndexOf('/'))}`;
}

function refuse(error: ApiErrorBody['error'], message: string, errors?: ApiErrorBody['errors']): ParsedBody {
  return { ok: false, status: 400, refusal: errors === undefined ? { error, message } : { error, message, errors } };
}

interface Visit {
  readonly value: unknown;
  readonly parent: Visit | undefined;
  readonly key: string;
}

/**
 * JSON Pointers of the own `__proto__` keys in `value`, in document order. Iterative: a body
 * may nest 300,000 arrays deep, which would overflow the stack of a recursive walk; and each
 * visit keeps its parent rather than its path, which would take memory quadratic in the depth.
 */
export function protoKeyPaths(value: unknown): string[] {
  const found: string[] = [];
  const stack: Visit[] = [{ value, parent: undefined, key: '' }];
  while (stack.length > 0 && found.length < MAX_REPORTED) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v !== 'object' || v === null) continue;
    const entries: [string, unknown][] = Array.isArray(v) ? v.map((item, i) => [String(i), item]) : Object.entries(v);
    if (!Array.isArray(v) && Object.hasOwn(v, '__proto__')) found.push(pointerOf({ value: undefined, parent: visit, key: '__proto__' }));
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      if (typeof item === 'object' && item !== null) stack.push({ value: item, parent: visit, key });
    }
  }
  return found;
}

function pointerOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at?.parent !== undefined; at = at.parent) keys.push(escapePointer(at.key));
  return keys.reverse().map((k) => `/${k}`).join('');
}

/** Replaces Fastify's `application/json` parser for the whole server, every route and scope. */
export function installJsonBodyParser(server: FastifyInstance): void {
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const parsed = parseJsonBody(body as string);
    if (parsed.ok) done(null, parsed.value);
    else done(new RequestRefused(parsed.status, parsed.refusal), undefined);
  });
}
