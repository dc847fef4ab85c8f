/** GET /instances/:id and GET /instances?journey=&subject=: journey instances as the engine keeps them. */
import type { FastifyInstance } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';
import { sendError } from './api-error.js';

const listQuery = {
  type: 'object',
  properties: { journey: { type: 'string', minLength: 1 }, subject: { type: 'string', minLength: 1 } },
  additionalProperties: false,
} as const;

export function registerInstancesRoutes(server: FastifyInstance, runtime: HeraldRuntime): void {
  server.get<{ Params: { id: string } }>('/instances/:id', async (request, reply) => {
    const instance = await runtime.getInstance(request.params.id);
    if (!instance) return sendError(reply, 404, 'not_found', `no instance with id ${JSON.stringify(request.params.id)}`);
    return instance;
  });

  server.get<{ Querystring: { journey?: string; subject?: string } }>('/instances', { schema: { querystring: listQuery } }, async (request, reply) => {
    const { journey, subject } = request.query;
    // Listing every instance of every journey is not an API call anyone should make by accident.
    if (journey === undefined && subject === undefined) {
      return sendError(reply, 400, 'invalid_request', 'name a journey (?journey=) or a subject (?subject=), or both', [
        { path: '/journey', message: 'journey or subject is required' },
      ]);
    }
    const items = await runtime.findInstances({
      ...(journey === undefined ? {} : { journey }),
      ...(subject === undefined ? {} : { subjectId: subject }),
    });
    return { items };
  });
}
