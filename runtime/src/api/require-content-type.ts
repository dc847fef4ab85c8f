/**
 * A request with no Content-Type and no body is one Fastify lets through to the route, where
 * the body schema's "the body must be object" would hide that the header is what is missing;
 * with a body, Fastify refuses it (415) itself. Both get the same 415.
 */
import type { FastifyInstance } from 'fastify';
import { RequestRefused } from './api-error.js';
import { unsupportedMediaTypeMessage } from './media-type-message.js';

/** On every route with a body schema: the routes that read a JSON body. */
export function installContentTypeCheck(server: FastifyInstance): void {
  server.addHook('preParsing', async (request, _reply, payload) => {
    if (request.headers['content-type'] === undefined && request.routeOptions.schema?.body !== undefined) {
      throw new RequestRefused(415, { error: 'unsupported_media_type', message: unsupportedMediaTypeMessage(request) });
    }
    return payload;
  });
}
