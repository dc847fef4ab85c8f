/** GET /archive (search, paged with an opaque cursor) and GET /archive/:id (one delivery with contents and attempts). */
import type { FastifyInstance } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';
import { sendError, summarise } from './api-error.js';
import { INVALID_CURSOR_MESSAGE, isInvalidCursorError, parseArchiveQuery } from './parse-archive-query.js';

export function registerArchiveRoutes(server: FastifyInstance, runtime: HeraldRuntime): void {
  server.get<{ Querystring: Record<string, string | string[]> }>('/archive', async (request, reply) => {
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.query)) {
      if (Array.isArray(value)) return sendError(reply, 400, 'invalid_request', `give ${name} once`, [{ path: `/${name}`, message: 'is given more than once' }]);
      params[name] = value;
    }
    const parsed = parseArchiveQuery(params);
    if (!parsed.ok) return sendError(reply, 400, 'invalid_request', `bad search parameters: ${summarise(parsed.errors)}`, parsed.errors);
    try {
      return await runtime.searchArchive(parsed.query);
    } catch (error) {
      if (!isInvalidCursorError(error)) throw error;
      const errors = [{ path: '/cursor', message: INVALID_CURSOR_MESSAGE }];
      return sendError(reply, 400, 'invalid_request', `bad search parameters: ${summarise(errors)}`, errors);
    }
  });

  server.get<{ Params: { id: string } }>('/archive/:id', async (request, reply) => {
    const message = await runtime.getArchived(request.params.id);
    if (!message) return sendError(reply, 404, 'not_found', `no archived message with id ${JSON.stringify(request.params.id)}`);
    return message;
  });
}
