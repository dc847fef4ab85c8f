/**
 * The HTTP API in front of a `HeraldRuntime`: events in; instances, archive and subjects out;
 * unsubscribe links; provider receipts and callbacks; health and metrics. Routes are one file per group;
 * this file sets what they share: JSON only, a body limit, bearer auth, one error shape.
 * Every route and its answers are documented in docs/api.md.
 *
 * The server does no work of its own beyond checking requests: it never touches the driver,
 * only the runtime's interface, so it runs the same over the embedded and the Redis driver.
 */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH } from '../subjects/unsubscribe-token.js';
import { frameworkErrorHandler, handleApiError, sendError } from './api-error.js';
import { registerArchiveRoutes } from './archive-routes.js';
import { registerCallbacksRoutes } from './callbacks-routes.js';
import { installBearerAuth } from './bearer-auth.js';
import { handleClientError } from './client-error.js';
import { eventValidatorFor, registerEventsRoutes, type ValidateEvent } from './events-routes.js';
import { registerHealthRoutes } from './health-routes.js';
import { registerInstancesRoutes } from './instances-routes.js';
import { installJsonBodyParser } from './json-body-parser.js';
import { installContentTypeCheck } from './require-content-type.js';
import { registerReceiptsRoutes } from './receipts-routes.js';
import { registerSubjectsRoutes } from './subjects-routes.js';
import { registerUnsubscribeRoutes } from './unsubscribe-routes.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * The longest path parameter (`/archive/:id`), in characters after %-decoding. Fastify's
 * default, 100, is shorter than ids Herald makes: an event id may have 200 characters, an
 * instance id is `journey:eventId` and a delivery id `instanceId:step:seq`, a subject id is
 * the customer's own, and an unsubscribe token is the subject id and category in base64url
 * plus a signature. The longest token `verifyUnsubscribeToken` accepts is the bound: a subject
 * with a longer id could not be unsubscribed anyway. Node's 16 KiB header limit, which the
 * URL is part of, still caps the request; longer parameters are answered 414.
 */
export const MAX_PARAM_LENGTH = MAX_UNSUBSCRIBE_TOKEN_LENGTH;

export interface ApiServerOptions {
  /**
   * When set, every route but /healthz and /unsubscribe needs `Authorization: Bearer <token>`,
   * and /healthz shows its details only with it.
   */
  readonly token?: string | undefined;
  /** Largest request body in bytes; a larger one is answered 413. Default 1 MiB. */
  readonly bodyLimit?: number | undefined;
  /** A pino logger (or any Fastify-compatible one), `true` for Fastify's own, `false`/absent for none. */
  readonly logger?: FastifyBaseLogger | boolean | undefined;
  /**
   * The secret unsubscribe links are signed with (the runtime's `unsubscribeSecret`).
   * Absent: no link can be valid, and /unsubscribe/:token answers 404 (without the API token too).
   */
  readonly unsubscribeSecret?: string | undefined;
  /**
   * Validates an event without ingesting it, so a batch is refused whole. Default: the check
   * `ingest` makes, on the runtime's graph (`eventValidatorFor(runtime.graph)`).
   */
  readonly validateEvent?: ValidateEvent | undefined;
  /**
   * The URL the API is reached at from outside (`--public-url`): provider callbacks are signed
   * over the URL the provider called, which behind a proxy is not the request's own.
   */
  readonly publicUrl?: string | undefined;
}

/**
 * A URL as the request log shows it: the token of an unsubscribe link replaced by `[token]`.
 * A token never expires and opts its subject out, so it must not sit in log files in full.
 */
export function loggedUrl(url: string): string {
  return url.replace(/(\/unsubscribe\/)[^/?#]+/gi, '$1[token]');
}

/** Probes: load balancers and scrapers ask every few seconds, so a line each only at debug. */
const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/metrics']);

/**
 * One line per request, when it is answered: `POST /events 202 3.1 ms`, with `method`, `url`,
 * `statusCode` and `ms` as fields — at info, and at debug for /healthz and /metrics. Fastify's
 * own is two lines at info (incoming, completed) for every request, probes included. Errors
 * are logged where they are answered (api-error.ts), with the stack of a 500. Unsubscribe
 * tokens are left out of the URL (`loggedUrl`).
 */
class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    const url = loggedUrl(request.url);
    const fields = { method: request.method, url, statusCode: reply.statusCode, ms };
    const line = `${request.method} ${url} ${reply.statusCode} ${ms} ms`;
    if (error) reply.log.error({ ...fields, err: error }, `${line}: ${error.message}`);
    else if (PROBE_PATHS.has(request.url.split('?')[0]!)) reply.log.debug(fields, line);
    else reply.log.info(fields, line);
  }
}

export function createApiServer(runtime: HeraldRuntime, options: ApiServerOptions = {}): FastifyInstance {
  const logger = options.logger ?? false;
  const server = Fastify({
    ...(typeof logger === 'boolean' ? { logger } : { loggerInstance: logger }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    // Report every problem at once, and never rewrite a client's body behind its back
    // (Fastify's default strips unknown properties and coerces types).
    // verbose: errors carry the value, so a wrong type says what came (api-error.ts).
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false, verbose: true } },
    return503OnClosing: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // What the router and Node's HTTP parser refuse before a route runs: in the one error shape too.
    frameworkErrors: frameworkErrorHandler(MAX_PARAM_LENGTH),
    clientErrorHandler: handleClientError,
    logController: new RequestLog(),
  }) as unknown as FastifyInstance;

  // JSON only: Fastify also parses text/plain by default, which would turn a wrong content type into a confusing 400.
  server.removeContentTypeParser('text/plain');
  installJsonBodyParser(server);
  installContentTypeCheck(server);
  server.setErrorHandler(handleApiError);
  server.setNotFoundHandler((request, reply) => sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  if (options.token) installBearerAuth(server, options.token);

  registerEventsRoutes(server, { runtime, validateEvent: options.validateEvent ?? eventValidatorFor(runtime.graph) });
  registerInstancesRoutes(server, runtime);
  registerArchiveRoutes(server, runtime);
  registerSubjectsRoutes(server, runtime);
  registerUnsubscribeRoutes(server, runtime, options.unsubscribeSecret || undefined);
  registerReceiptsRoutes(server, runtime);
  registerCallbacksRoutes(server, runtime, options.publicUrl);
  registerHealthRoutes(server, runtime, options.token);
  return server;
}
