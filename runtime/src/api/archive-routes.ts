/** GET /archive (search, paged with an opaque cursor) and GET /archive/:id (one delivery with contents and attempts). */
import type { FastifyInstance } from 'fastify';
import type { HeraldRuntime } from '../runtime-api.js';
import { repeatedQueryParams, sendError, summarise } from './api-error.js';
import { unknownFilterNotes } from './filter-notes.js';
import { INVALID_CURSOR_MESSAGE, isInvalidCursorError, parseArchiveQuery } from './parse-archive-query.js';

export function registerArchiveRoutes(server: FastifyInstance, runtime: HeraldRuntime): void {
  server.get<{ Querystring: Record<string, string | string[]> }>('/archive', async (request, reply) => {
    const repeated = repeatedQueryParams(request.query);
    if (repeated.length > 0) return sendError(reply, 400, 'invalid_request', `bad search parameters: ${summarise(repeated)}`, repeated);
    const parsed = parseArchiveQuery(request.query as Record<string, string>);
    if (!parsed.ok) return sendError(reply, 400, 'invalid_request', `bad search parameters: ${summarise(parsed.errors)}`, parsed.errors);
    try {
      const found = await runtime.searchArchive(parsed.query);
      const notes = found.items.length === 0 ? unknownFilterNotes(runtime.graph, parsed.query) : [];
      return notes.length === 0 ? found : { ...found, notes };
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
