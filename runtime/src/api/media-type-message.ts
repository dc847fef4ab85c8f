/**
 * What a 415 says: the content type that came (or that none did) and the one to send. Routes
 * that read a body other than JSON name theirs in `config.accepts` (the unsubscribe routes take
 * the form mailbox providers post), so the answer never tells a form poster to send JSON.
 */
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The media type a route's body is to be sent as, named in its 415; default application/json. */
    accepts?: string;
  }
}

export function unsupportedMediaTypeMessage(request: FastifyRequest): string {
  const accepts = request.routeOptions.config.accepts ?? 'application/json';
  const given = request.headers['content-type'];
  if (given === undefined || given.trim() === '') return `the request has no Content-Type header; send the body as ${accepts} (Content-Type: ${accepts})`;
  return `content type ${JSON.stringify(given)} is not accepted here; send ${accepts}`;
}
