/**
 * Bearer-token auth for every route but the public ones (`config: { public: true }`: health
 * and unsubscribe links, which mailbox providers and customers open without a token).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sendError } from './api-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without the API token. */
    public?: boolean;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Whether a request's `Authorization` header carries the token: `(header) => boolean`. */
export function bearerTokenCheck(token: string): (authorization: string | undefined) => boolean {
  // Compare digests: equal length, so timingSafeEqual never throws and the token's length does not leak.
  const expected = digest(token);
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1]!), expected);
  };
}

export function installBearerAuth(server: FastifyInstance, token: string): void {
  const valid = bearerTokenCheck(token);
  server.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public === true) return;
    const header = request.headers.authorization ?? '';
    if (valid(header)) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    reply.header('WWW-Authenticate', match ? 'Bearer error="invalid_token"' : 'Bearer realm="herald"');
    return sendError(reply, 401, 'unauthorized', match ? 'the bearer token is not valid' : 'this route needs an Authorization: Bearer <token> header');
  });
}
