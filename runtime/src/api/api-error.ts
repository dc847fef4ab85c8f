/**
 * One error body for every route: `{error, message}` (+ `errors` naming fields when the
 * request was invalid). `error` is a stable machine code; `message` is for people. Fastify's
 * own errors (body too large, bad media type, schema validation) are mapped here, and what
 * the JSON body parser refuses (json-body-parser.ts) is sent as it decided, so a client
 * never sees a stack trace or Fastify's `{statusCode, code}` shape.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { FieldError } from '../runtime-api.js';
import { unsupportedMediaTypeMessage } from './media-type-message.js';
import { schemaMessage } from '../plugins-host/json-validator.js';

export type ApiErrorCode =
  | 'invalid_event'
  | 'invalid_request'
  | 'invalid_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'not_active'
  | 'payload_too_large'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'request_timeout'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'internal_error';

export interface ApiErrorBody {
  readonly error: ApiErrorCode;
  readonly message: string;
  readonly errors?: readonly (FieldError & { readonly index?: number })[];
}

export function sendError(
  reply: FastifyReply,
  status: number,
  error: ApiErrorCode,
  message: string,
  errors?: ApiErrorBody['errors'],
): FastifyReply {
  const body: ApiErrorBody = errors === undefined ? { error, message } : { error, message, errors };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * A request refused before its route runs, by code of ours that Fastify calls back with an
 * error (the JSON body parser): the answer is already decided, the error handler sends it.
 */
export class RequestRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/** An ajv error as Fastify attaches it to a validation failure. */
interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
  /** The value the error is about (the server's ajv runs with `verbose`). */
  readonly data?: unknown;
}

/**
 * Ajv errors as `{path, message}` with the path of the offending field: a missing property is
 * reported at its own path (`/data/amount is required`), not at its parent's. `prefix` roots
 * the paths (`/subject` for a route whose body is the subject). The whole body is `""`, its
 * JSON Pointer (RFC 6901); `"/"` would point at a key named "" in it.
 */
export function fieldErrorsFromSchema(errors: readonly SchemaError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    switch (e.keyword) {
      case 'if': // always accompanied by the failing `then`/`else` error itself
        continue;
      case 'required':
        path = `${path}/${String(e.params['missingProperty'])}`;
        message = 'is required';
        break;
      case 'additionalProperties':
        path = `${path}/${String(e.params['additionalProperty'])}`;
        message = 'is not a known field';
        break;
      case 'false schema':
        message = 'is not allowed here';
        break;
      case 'enum':
        message = `must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      default:
        message = schemaMessage(e.keyword, e.params, 'data' in e ? { value: e.data } : undefined) ?? message;
    }
    const full = prefix + path;
    const key = `${full}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: full, message });
  }
  return out;
}

/**
 * A query parameter given more than once (`?subject=a&subject=b`), which the routes take one
 * of each: `{ path: '/subject', message: 'is given twice; give it once' }` for each.
 */
export function repeatedQueryParams(query: unknown): FieldError[] {
  if (typeof query !== 'object' || query === null) return [];
  return Object.entries(query)
    .filter((e): e is [string, unknown[]] => Array.isArray(e[1]))
    .map(([name, values]) => ({ path: `/${name}`, message: `is given ${values.length === 2 ? 'twice' : `${values.length} times`}; give it once` }));
}

/** Fastify's error handler: known client errors keep their status; anything else is a 500 without details. */
export function handleApiError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RequestRefused) return sendError(reply, error.status, error.body.error, error.body.message, error.body.errors);
  if (error.validation) {
    const where = error.validationContext ?? 'body';
    const errors = fieldErrorsFromSchema(error.validation as readonly SchemaError[]);
    return sendError(reply, 400, 'invalid_request', `the request ${where} is invalid: ${summarise(errors)}`, errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 413, 'payload_too_large', tooLargeMessage(request));
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 415, 'unsupported_media_type', unsupportedMediaTypeMessage(request));
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return sendError(reply, 400, 'invalid_request', 'the body size does not match Content-Length');
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendError(reply, status, 'invalid_request', error.message);
  // The route's pattern (`GET /instances/:id`), not its URL: what failed, without ids or tokens.
  request.log.error({ err: error, route: `${request.method} ${request.routeOptions.url ?? '(no route)'}` }, 'request failed');
  return sendError(reply, 500, 'internal_error', 'Herald could not handle this request; the server log has the details');
}

/** A 413 says what to do on the route it refused: a batch of events can be split, other bodies only the limit can fit. */
function tooLargeMessage(request: FastifyRequest): string {
  const limit = `the request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes`;
  return request.routeOptions.url === '/events' ? `${limit}; send fewer events per batch` : `${limit} (herald start --body-limit)`;
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route runs (a path parameter
 * over `maxParamLength`, a malformed %-escape), in the same shape as every other error. The
 * path is not repeated back: it may be thousands of characters of someone else's making.
 */
export function frameworkErrorHandler(maxParamLength: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    switch (error.code) {
      case 'FST_ERR_BAD_URL':
        void sendError(reply, 400, 'invalid_request', 'the URL path is not valid: a %-escape in it is malformed or not UTF-8');
        return;
      case 'FST_ERR_MAX_PARAM_LENGTH':
        void sendError(reply, 414, 'uri_too_long', `a segment of the URL path is longer than ${maxParamLength} characters, longer than any id Herald makes`);
        return;
    }
    request.log.error({ err: error }, 'request failed');
    void sendError(reply, 500, 'internal_error', 'Herald could not handle this request; the server log has the details');
  };
}

/** The first few field errors in a sentence; the whole body (path `""`) is named in words. */
export function summarise(errors: readonly FieldError[]): string {
  const first = errors.slice(0, 3).map((e) => `${e.path === '' ? 'the body' : e.path} ${e.message}`);
  return first.join('; ') + (errors.length > 3 ? `; and ${errors.length - 3} more` : '');
}
