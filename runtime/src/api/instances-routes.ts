/**
 * GET /instances/:id and GET /instances?journey=&subject=&status=&limit=: journey instances as the
 * engine keeps them; POST /instances/:id/stop { reason }: an operator stops one
 * (orchestrator/stop-instance.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { InstanceStatus } from '../engine/types.js';
import type { HeraldRuntime } from '../runtime-api.js';
import { fieldErrorsFromSchema, repeatedQueryParams, sendError, summarise } from './api-error.js';
import { unknownFilterNotes } from './filter-notes.js';

const STATUSES: readonly InstanceStatus[] = ['active', 'completed', 'exited', 'failed'];
/** A journey may have 100,000 instances waiting: a list is bounded, oldest first; `more` says there are others. */
export const DEFAULT_INSTANCE_LIMIT = 100;
export const MAX_INSTANCE_LIMIT = 1000;

const listQuery = {
  type: 'object',
  properties: {
    journey: { type: 'string', minLength: 1 },
    subject: { type: 'string', minLength: 1 },
    status: { type: 'string', enum: STATUSES },
    limit: { type: 'string' },
  },
  additionalProperties: false,
} as const;

type ListQuery = { journey?: string; subject?: string; status?: InstanceStatus; limit?: string };

/** Why it was stopped: in its history and exit reason, for whoever reads them later. */
export const MAX_STOP_REASON = 500;

const stopBody = {
  type: 'object',
  properties: { reason: { type: 'string', minLength: 1, maxLength: MAX_STOP_REASON, pattern: '\\S' } },
  required: ['reason'],
  additionalProperties: false,
} as const;

export function registerInstancesRoutes(server: FastifyInstance, runtime: HeraldRuntime): void {
  server.get<{ Params: { id: string } }>('/instances/:id', async (request, reply) => {
    const instance = await runtime.getInstance(request.params.id);
    if (!instance) return sendError(reply, 404, 'not_found', `no instance with id ${JSON.stringify(request.params.id)}`);
    return instance;
  });

  server.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/instances/:id/stop',
    { schema: { body: stopBody }, attachValidation: true },
    async (request, reply) => {
      if (request.validationError) {
        const errors = fieldErrorsFromSchema(request.validationError.validation as Parameters<typeof fieldErrorsFromSchema>[0]);
        return sendError(reply, 400, 'invalid_request', `the stop request is invalid: ${summarise(errors)}`, errors);
      }
      const result = await runtime.stopInstance(request.params.id, request.body.reason.trim());
      switch (result.kind) {
        case 'not-found':
          return sendError(reply, 404, 'not_found', `no instance with id ${JSON.stringify(request.params.id)}`);
        case 'ended':
          return sendError(reply, 409, 'not_active', `instance ${request.params.id} has ended already (${result.instance.status}${result.instance.exitReason ? `: ${result.instance.exitReason}` : ''}); there is nothing to stop`);
        case 'stopped':
          return { instance: result.instance, cancelled: result.cancelled };
      }
    },
  );

  server.get<{ Querystring: ListQuery }>(
    '/instances',
    {
      schema: { querystring: listQuery },
      // Before the schema, whose words for a repeated parameter would be `/subject must be string`.
      preValidation: async (request, reply) => {
        const repeated = repeatedQueryParams(request.query);
        if (repeated.length > 0) return sendError(reply, 400, 'invalid_request', `the request querystring is invalid: ${summarise(repeated)}`, repeated);
      },
    },
    async (request, reply) => {
      const { journey, subject, status } = request.query;
      // Listing every instance of every journey is not an API call anyone should make by accident.
      if (journey === undefined && subject === undefined) {
        return sendError(reply, 400, 'invalid_request', 'name a journey (?journey=) or a subject (?subject=), or both', [
          { path: '/journey', message: 'journey or subject is required' },
        ]);
      }
      const limit = request.query.limit === undefined ? DEFAULT_INSTANCE_LIMIT : Number(request.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_INSTANCE_LIMIT || !/^\d+$/.test(request.query.limit ?? '1')) {
        return sendError(reply, 400, 'invalid_request', `limit must be a whole number from 1 to ${MAX_INSTANCE_LIMIT}`, [
          { path: '/limit', message: `must be a whole number from 1 to ${MAX_INSTANCE_LIMIT}` },
        ]);
      }
      // One more than asked tells whether there are others.
      const found = await runtime.findInstances({
        ...(journey === undefined ? {} : { journey }),
        ...(subject === undefined ? {} : { subjectId: subject }),
        ...(status === undefined ? {} : { status }),
        limit: limit + 1,
      });
      const notes = found.length === 0 ? unknownFilterNotes(runtime.graph, { journey }) : [];
      return { items: found.slice(0, limit), more: found.length > limit, ...(notes.length > 0 ? { notes } : {}) };
    },
  );
}
