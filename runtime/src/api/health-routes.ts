/** GET /healthz (public; 503 when the runtime says it is not ok) and GET /metrics (Prometheus text format). */
import type { FastifyInstance } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function registerHealthRoutes(server: FastifyInstance, runtime: HeraldRuntime): void {
  server.get('/healthz', { config: { public: true } }, async (_request, reply) => {
    const health = await runtime.health();
    return reply.code(health.ok ? 200 : 503).send(health);
  });

  server.get('/metrics', async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await runtime.metrics()));
}
