/**
 * PUT /subjects/:id (upsert: given fields replace stored ones, `contacts` merges per channel)
 * and GET /subjects/:id.
 *
 * Two checks, two statuses, as for events: the profile's built-in fields and what any stored
 * value must be (the request's shape, subjects/check-subject-profile.ts) → 400; then the profile
 * against what the project declares (subjects/validate-subject-patch.ts: its own fields and
 * their types, its channels) → 422. Before either, the id in the URL: `PUT /subjects/` and
 * `/subjects/%20` would otherwise store a subject no event can name (POST /events refuses an
 * empty subject id), so an empty or blank id is a 400 on both routes.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SubjectPatch } from '../engine/types.js';
import type { FieldError, HeraldRuntime } from '../runtime-api.js';
import { subjectProfileProblems } from '../subjects/check-subject-profile.js';
import { subjectPatchProblems } from '../subjects/validate-subject-patch.js';
import { fieldErrorsFromSchema, sendError, summarise } from './api-error.js';

const subjectSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    // Each address: checked in checkSubject (null removes one, which a schema would word badly).
    contacts: { type: 'object' },
    channels: { type: 'array', items: { type: 'string', minLength: 1 } },
    optOuts: { type: 'array', items: { type: 'string', minLength: 1 } },
    locale: { type: 'string', minLength: 1 },
    timezone: { type: 'string', minLength: 1 },
  },
} as const;

type SubjectBody = Omit<SubjectPatch, 'id'> & { readonly id?: string; readonly locale?: string; readonly timezone?: string };

function checkSubject(id: string, body: SubjectBody): FieldError[] {
  const errors = subjectProfileProblems(body);
  if (body.id !== undefined && body.id !== id) errors.push({ path: '/id', message: `must match the id in the URL (${JSON.stringify(id)}) or be left out` });
  return errors;
}

/** Answers 400 when the id in the URL is empty or only blanks; undefined when it is an id. */
function refuseBlankId(id: string, reply: FastifyReply): FastifyReply | undefined {
  if (id.trim() !== '') return undefined;
  const message = id === '' ? 'must not be empty' : `must not be blank, got ${JSON.stringify(id)}`;
  return sendError(reply, 400, 'invalid_request', `the subject id in the URL ${message}: no subject has an empty id; give it %-encoded, as in /subjects/c-100`, [
    { path: '/id', message },
  ]);
}

export function registerSubjectsRoutes(server: FastifyInstance, runtime: HeraldRuntime): void {
  server.put<{ Params: { id: string }; Body: SubjectBody }>(
    '/subjects/:id',
    { schema: { body: subjectSchema }, attachValidation: true },
    async (request, reply) => {
      const { id } = request.params;
      const blank = refuseBlankId(id, reply);
      if (blank) return blank;
      const errors = request.validationError
        ? fieldErrorsFromSchema(request.validationError.validation as Parameters<typeof fieldErrorsFromSchema>[0])
        : checkSubject(id, request.body);
      if (errors.length > 0) return sendError(reply, 400, 'invalid_request', `the subject profile is invalid: ${summarise(errors)}`, errors);
      const undeclared = subjectPatchProblems(runtime.graph, request.body);
      if (undeclared.length > 0) {
        return sendError(reply, 422, 'invalid_request', `the subject profile does not match what the project declares: ${summarise(undeclared)}`, undeclared);
      }
      return runtime.putSubject({ ...request.body, id });
    },
  );

  server.get<{ Params: { id: string } }>('/subjects/:id', async (request, reply) => {
    const blank = refuseBlankId(request.params.id, reply);
    if (blank) return blank;
    const subject = await runtime.getSubject(request.params.id);
    if (!subject) return sendError(reply, 404, 'not_found', `no subject with id ${JSON.stringify(request.params.id)}`);
    return subject;
  });
}
