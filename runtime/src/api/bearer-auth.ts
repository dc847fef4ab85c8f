/**
 * Bearer-token auth for every route but the public ones (`config: { public: true }`: health
 * and unsubscribe links, which mailbox providers and customers open without a token). Routes
 * with `config: { basicAuth: true }` (provider callbacks) also take the token as the password
 * of HTTP basic auth, the one credential providers can put in a callback URL.
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

/** Whether a request's `Authorization` header is basic auth whose password is the token (any user name). */
export function basicPasswordCheck(token: string): (authorization: string | undefined) => boolean {
  const expected = digest(token);
  return (authorization) => {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
    if (match === null) return false;
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && timingSafeEqual(digest(decoded.slice(colon + 1)), expected);
  };
}

export function installBearerAuth(server: FastifyInstance, token: string): void {
  const valid = bearerTokenCheck(token);
  const validBasic = basicPasswordCheck(token);
  server.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config.public === true) return;
    const header = request.headers.authorization ?? '';
    if (valid(header)) return;
    const basicToo = request.routeOptions.config.basicAuth === true;
    if (basicToo && validBasic(header)) return;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const bearer = match ? 'Bearer error="invalid_token"' : 'Bearer realm="herald"';
    // A provider given credentials in a callback URL (Twilio) sends them only once challenged for basic auth.
    reply.header('WWW-Authenticate', basicToo ? ['Basic realm="herald"', bearer] : bearer);
    return sendError(reply, 401, 'unauthorized', refusal(header, match !== null, basicToo));
  });
}

/** What a refused request is told: which credentials the route takes, and what was wrong with the ones given. */
function refusal(header: string, bearerGiven: boolean, basicToo: boolean): string {
  if (bearerGiven) return 'the bearer token is not valid';
  if (!basicToo) return 'this route needs an Authorization: Bearer <token> header';
  if (/^Basic\s/i.test(header)) return 'the basic-auth password is not the API token';
  return 'this route needs the API token: as Authorization: Bearer <token>, or as the password of basic auth (a callback URL such as https://herald:<token>@herald.example/callbacks/sms)';
}
