/**
 * Ingest's first check: an event's data against its declared type (herald.yaml `events:`),
 * as JSON Schema (`typeToJsonSchema`) with ajv, every error reported with a JSON Pointer to
 * the field (`/amount`: `must be a number, got a string ("120")`; the whole of `data` is `""`, its pointer per RFC 6901,
 * not `"/"`, which names a key ""). An event declared with `schema:` is also checked against
 * that JSON Schema as written (the IR's `events[type].schema`): `additionalProperties`,
 * `pattern`, `enum`, `minLength`, formats, ... which the Herald type derived from it cannot
 * say. Its problems come first; the derived type's add only fields the schema did not already
 * fault (a `null` the schema allows but the type, which expressions are checked against, does
 * not). A graph compiled before the IR kept schemas has no `schema` and is checked by type only.
 * An unknown type is an error at `/type` with a did-you-mean. Validators are compiled once per
 * event type and graph. Before the schema, what any stored payload must be
 * (`storableProblems`): finite numbers, bounded nesting. After it, the fields that name the
 * event's subject must not be `""` (`emptySubjectIds`).
 */
import { didYouMean, typeToJsonSchema, type GraphIR } from '@herald/dsl';
import { escapePointer, schemaCheck, type FieldProblem, type SchemaCheck } from '../plugins-host/json-validator.js';
import type { FieldError } from '../runtime-api.js';

export type EventValidator = (type: unknown, data: unknown) => readonly FieldError[];

/**
 * The deepest nesting of objects and arrays a payload may have, the payload itself counted as
 * one: far beyond any real event, and far short of what code that recurses through a value
 * (JSON.stringify storing it, ajv's deep equality) survives before the stack runs out.
 */
export const MAX_NESTING = 64;

/** Enough to show what is wrong; a megabyte of bad numbers is not answered with a hundred thousand lines. */
const MAX_PROBLEMS = 100;

export interface StorableCheck {
  readonly problems: readonly FieldProblem[];
  /** Some value is nested past MAX_NESTING: nothing that recurses through the payload may see it. */
  readonly tooDeep: boolean;
}

/**
 * What JSON Schema does not say but the store needs of a JSON payload: every number finite
 * (JSON has no Infinity, but `1e400` parses to it, and JSON.stringify would store it as null)
 * and no nesting past MAX_NESTING (300,000 nested arrays parse, then overflow the stack of the
 * code storing them). Paths are JSON Pointers relative to `value`, as ajv gives them.
 */
export function storableProblems(value: unknown): StorableCheck {
  const problems: FieldProblem[] = [];
  let tooDeep = false;
  // Recursion is safe: it stops at MAX_NESTING levels.
  const walk = (v: unknown, path: string, depth: number): void => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) problems.push({ path, message: 'must be a finite number (JSON has no Infinity)' });
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (depth > MAX_NESTING) {
      tooDeep = true;
      problems.push({ path, message: `is nested deeper than ${MAX_NESTING} levels` });
      return;
    }
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, `${path}/${i}`, depth + 1));
    else for (const [key, item] of Object.entries(v)) walk(item, `${path}/${escapePointer(key)}`, depth + 1);
  };
  walk(value, '', 1);
  return { problems, tooDeep };
}

/** Who reads a subject id from a payload path: the event's `subject:` and the `trigger.subject` of journeys it starts. */
export interface SubjectIdReaders {
  readonly path: readonly string[];
  readonly readers: readonly string[];
}

/** `event.customer.id` → `['customer', 'id']`; an expression that is more than a path is left to the engine. */
function eventPath(expr: string): string[] | undefined {
  return /^event(\.[A-Za-z_$][\w$]*)+$/.test(expr.trim()) ? expr.trim().split('.').slice(1) : undefined;
}

export function subjectIdReaders(graph: GraphIR, type: string): SubjectIdReaders[] {
  const byPath = new Map<string, { path: string[]; readers: string[] }>();
  const add = (path: string[], reader: string) => {
    const key = path.join('.');
    const entry = byPath.get(key) ?? { path, readers: [] };
    entry.readers.push(reader);
    byPath.set(key, entry);
  };
  const declared = graph.events[type]?.subject;
  // Graphs compiled before `subject:` existed take `subjectId` (engine/event-audience.ts).
  if (declared !== null) add((declared ?? 'subjectId').split('.'), `events.${type}.subject`);
  for (const j of graph.journeys) {
    if (j.trigger.event !== type) continue;
    const path = eventPath(j.trigger.subject);
    if (path) add(path, `trigger.subject of journey ${j.id}`);
  }
  return [...byPath.values()];
}

const pointer = (path: readonly string[]) => path.map((k) => `/${escapePointer(k)}`).join('');

/**
 * `""` where the payload names its subject: a string, so the declared type lets it through,
 * but no subject has an empty id, and the event would be accepted and start or reach nothing.
 * A missing or null id is the declaration's business (an optional subject field is an event
 * about no one); an empty one is a sender's mistake, refused so the sender hears of it.
 */
export function emptySubjectIds(readersOfType: readonly SubjectIdReaders[], data: Readonly<Record<string, unknown>>): FieldError[] {
  const problems: FieldError[] = [];
  for (const { path, readers } of readersOfType) {
    let value: unknown = data;
    for (const key of path) value = typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
    if (value === '') problems.push({ path: pointer(path), message: `must not be empty: it is the subject id (${readers.join('; ')}), and no subject has an empty id` });
  }
  return problems;
}

export function createEventValidator(graph: GraphIR): EventValidator {
  const checks = new Map<string, SchemaCheck>();
  const readers = new Map<string, readonly SubjectIdReaders[]>();
  const types = Object.keys(graph.events);
  const readersOf = (type: string) => {
    let found = readers.get(type);
    if (!found) readers.set(type, (found = subjectIdReaders(graph, type)));
    return found;
  };
  const checkFor = (type: string): SchemaCheck => {
    let check = checks.get(type);
    if (!check) {
      const event = graph.events[type]!;
      const byType = schemaCheck(typeToJsonSchema(event.type));
      // The compiler checked that the schema compiles (`invalid-event-schema`).
      const bySchema = event.schema ? schemaCheck(event.schema) : undefined;
      check = bySchema
        ? (data) => {
            const declared = bySchema(data);
            return [...declared, ...byType(data).filter((p) => !declared.some((d) => d.path === p.path))];
          }
        : byType;
      checks.set(type, check);
    }
    return check;
  };
  return (type, data) => {
    if (typeof type !== 'string' || type === '') return [{ path: '/type', message: 'must be a non-empty string naming an event type' }];
    if (!Object.hasOwn(graph.events, type)) {
      const suggestion = didYouMean(type, types);
      const known = types.length === 0 ? 'the project declares no events' : `declared: ${types.join(', ')}`;
      return [{ path: '/type', message: `is not a declared event type: ${JSON.stringify(type)}${suggestion ? `; did you mean "${suggestion}"?` : ''} (${known})` }];
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) return [{ path: '/data', message: 'must be an object' }];
    const storable = storableProblems(data);
    // Data nested too deep goes no further: ajv's deep equality (enum, const) recurses too.
    // Otherwise every problem at once, one per field: an Infinity that passes `type: number`
    // (ajv runs with strict off, which lets non-finite numbers through) is reported once.
    const schema = storable.tooDeep ? [] : checkFor(type)(data).filter((p) => !storable.problems.some((s) => s.path === p.path));
    const problems = [...storable.problems, ...schema];
    return [...problems, ...emptySubjectIds(readersOf(type), data as Record<string, unknown>).filter((e) => !problems.some((p) => p.path === e.path))];
  };
}
