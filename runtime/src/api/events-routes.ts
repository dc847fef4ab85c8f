/**
 * POST /events: one event `{type, data, id?}` or a batch `{events: [...]}`.
 *
 * Two checks, two statuses: the envelope (shape of the JSON) is checked by the route's JSON
 * schema → 400; the payload (`data` against the event's declared type in herald.yaml) by the
 * runtime → 422. Both answer `invalid_event` with one `{path, message}` per bad field.
 *
 * A batch is all-or-nothing at validation: every item is checked before any is ingested, and a
 * batch with a bad item ingests nothing (422 listing each bad item's `index` and fields). That
 * lets a sender fix and re-post the whole batch without working out what got in. Ingesting
 * then keeps the batch's order where it matters — per subject and per event id
 * (engine/event-order-keys.ts) — and takes the rest at once, so the store commits them in
 * groups (4–6x the rate of one after another, bench/batch-ingest.mjs). An item that is refused
 * or fails stops what is ordered after it (orchestrator/ordered-runs.ts); should the store fail
 * half-way (a 500), re-posting the batch with event `id`s is safe, as ingest drops ids it has
 * seen (`duplicate: true`), and each subject's events still arrive in order.
 */
import type { FastifyInstance } from 'fastify';
import type { GraphIR } from '@herald/dsl';
import { eventOrderKeys } from '../engine/event-order-keys.js';
import { createOrderedRuns } from '../orchestrator/ordered-runs.js';
import { createEventValidator } from '../orchestrator/validate-event.js';
import type { EventInput, FieldError, HeraldRuntime } from '../runtime-api.js';
import { fieldErrorsFromSchema, sendError, summarise } from './api-error.js';

/** An item the runtime refused; the items ordered after it are not ingested (they settle with this too). */
class Refused extends Error {
  constructor(
    readonly index: number,
    readonly errors: readonly FieldError[],
  ) {
    super(`event ${index} refused`);
  }
}

export const MAX_BATCH = 1000;

const eventSchema = {
  type: 'object',
  properties: {
    type: { type: 'string', minLength: 1, maxLength: 200 },
    data: { type: 'object' },
    id: { type: 'string', minLength: 1, maxLength: 200 },
  },
  required: ['type', 'data'],
  additionalProperties: false,
} as const;

const bodySchema = {
  type: 'object',
  if: { required: ['events'] },
  then: {
    properties: { events: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: eventSchema } },
    additionalProperties: false,
  },
  else: eventSchema,
} as const;

type EventsBody = EventInput | { readonly events: readonly EventInput[] };

/** Checks an event's payload without ingesting it; field paths relative to the event (`/data/amount`). */
export type ValidateEvent = (event: EventInput) => readonly FieldError[];

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The runtime reports the fields of `data` relative to `data` (`/amount`), and a bad `type`
 * or a `data` that is no object at `/type` / `/data`. Clients get every path relative to the
 * event they posted, so `/amount` becomes `/data/amount`.
 */
export function eventRelative(graph: GraphIR, event: EventInput, errors: readonly FieldError[]): FieldError[] {
  const dataChecked = typeof event.type === 'string' && Object.hasOwn(graph.events, event.type) && isObject(event.data);
  return errors.map((e) => (dataChecked ? { path: `/data${e.path}`, message: e.message } : e));
}

/**
 * The same check `ingest` makes (orchestrator/validate-event.ts, on the runtime's graph),
 * without ingesting: what lets the batch route refuse a whole batch before any item gets in.
 */
export function eventValidatorFor(graph: GraphIR): ValidateEvent {
  const check = createEventValidator(graph);
  return (event) => eventRelative(graph, event, check(event.type, event.data));
}

export interface EventsRoutesOptions {
  readonly runtime: HeraldRuntime;
  readonly validateEvent: ValidateEvent;
}

export function registerEventsRoutes(server: FastifyInstance, { runtime, validateEvent }: EventsRoutesOptions): void {
  server.post<{ Body: EventsBody }>('/events', { schema: { body: bodySchema }, attachValidation: true }, async (request, reply) => {
    if (request.validationError) {
      const errors = fieldErrorsFromSchema(request.validationError.validation as Parameters<typeof fieldErrorsFromSchema>[0]);
      return sendError(reply, 400, 'invalid_event', `the request is not an event or a batch of events: ${summarise(errors)}`, errors);
    }
    const body = request.body;
    if (!('events' in body)) {
      const result = await runtime.ingest(body);
      if (!result.ok) {
        const errors = eventRelative(runtime.graph, body, result.errors);
        return sendError(reply, 422, 'invalid_event', `the ${body.type} event is invalid: ${summarise(errors)}`, errors);
      }
      return reply.code(202).send({ eventId: result.eventId, duplicate: result.duplicate });
    }

    const events = body.events;
    const bad: { index: number; path: string; message: string }[] = [];
    for (const [index, event] of events.entries()) {
      for (const e of validateEvent(event)) bad.push({ index, path: `/events/${index}${e.path}`, message: e.message });
    }
    if (bad.length > 0) {
      // The invalid items are the rejected events; the valid ones are neither ingested nor rejected, but expected back.
      const items = new Set(bad.map((b) => b.index));
      runtime.countRejected([...items].map((index) => events[index]!.type));
      return sendError(reply, 422, 'invalid_event', `${items.size} of ${events.length} events are invalid, none was ingested: ${summarise(bad)}`, bad);
    }
    const graph = runtime.graph;
    const runs = createOrderedRuns();
    const settled = await Promise.allSettled(
      events.map((event, index) =>
        runs.run(eventOrderKeys(graph, event), async () => {
          const result = await runtime.ingest(event);
          if (!result.ok) throw new Refused(index, result.errors);
          return { eventId: result.eventId, duplicate: result.duplicate };
        }),
      ),
    );
    const failed = settled.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    const refused = failed.find((e): e is Refused => e instanceof Refused);
    const broken = failed.find((e) => !(e instanceof Refused));
    // A store failure is a 500 (the error handler's); re-posting the batch is safe, ids dedupe.
    if (broken !== undefined) throw broken;
    if (refused !== undefined) {
      // The runtime saw something the same check did not (a graph swapped under us): say what got in.
      const { index } = refused;
      const errors = eventRelative(runtime.graph, events[index]!, refused.errors).map((e) => ({ index, path: `/events/${index}${e.path}`, message: e.message }));
      const ingested = settled.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      return sendError(reply, 422, 'invalid_event', `event ${index} is invalid; ingested were ${ingested.length === 0 ? 'none' : `events ${ingested.join(', ')}`}: ${summarise(errors)}`, errors);
    }
    const results = settled.map((r) => (r as PromiseFulfilledResult<{ eventId: string; duplicate: boolean }>).value);
    return reply.code(202).send({ results });
  });
}
