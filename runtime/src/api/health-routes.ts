/**
 * GET /healthz (public: load balancers ask without a token; 503 when the runtime says it is not
 * ok) and GET /metrics (Prometheus text format, behind the token when one is set).
 *
 * When the API has a token, /healthz answers only `{ ok }` (and its status code) to a request
 * without it: the details — graph version, queue depths, the worker pool — describe the
 * deployment and its load, which is not for whoever can reach the port. With the token the
 * details are there, as they are for everyone on an API without a token.
 */
import type { FastifyInstance } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';
import { bearerTokenCheck } from './bearer-auth.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function registerHealthRoutes(server: FastifyInstance, runtime: HeraldRuntime, token?: string): void {
  const mayReadDetails = token ? bearerTokenCheck(token) : () => true;
  server.get('/healthz', { config: { public: true } }, async (request, reply) => {
    const health = await runtime.health();
    return reply.code(health.ok ? 200 : 503).send(mayReadDetails(request.headers.authorization) ? health : { ok: health.ok });
  });

  server.get('/metrics', async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await runtime.metrics()));
}
