/**
 * In a journey test file, the keys whose names come from the project's types rather than the
 * file format: an event's `data:` fields (by the event `type:` written beside it), a fixture's
 * `args:` and `returns:` (by its `source.query`), and a subject profile's fields with the
 * project's own `subject: fields:` — at any depth of a nested object.
 */
import { nodeAt, subjectType, typeToString, type Type } from '@herald/dsl';
import type { DocContext } from './doc-context.js';
import type { PathSegment } from './yaml-context.js';

export interface TypedKey {
  readonly name: string;
  readonly type: Type;
  readonly optional: boolean;
  readonly doc: string | undefined;
}

/** The fields a key at `path` (the path of the map being written) may name, or undefined where the project's types say nothing. */
export function testFileFieldsAt(doc: DocContext, path: readonly PathSegment[]): readonly TypedKey[] | undefined {
  const place = typedPlace(doc, path);
  if (!place) return undefined;
  let type: Type | undefined = place.type;
  for (const segment of place.rest) type = type && inside(type, segment);
  if (type?.kind !== 'object') return undefined;
  return Object.entries(type.fields).map(([name, f]) => ({ name, type: f.type, optional: f.optional === true, doc: f.doc }));
}

/** A detail line for a field: its type, and whether it may be left out. */
export function fieldDetail(key: TypedKey): string {
  return `${typeToString(key.type)}${key.optional ? ' (optional)' : ''}`;
}

/** The type the map at `path` starts from, and the keys below it still to walk. */
function typedPlace(doc: DocContext, path: readonly PathSegment[]): { type: Type; rest: readonly PathSegment[] } | undefined {
  const symbols = doc.project.symbols();
  // A test's own `subjects:` and `fixtures:` are as the file's.
  const local = path[0] === 'tests' && typeof path[1] === 'number' && (path[2] === 'subjects' || path[2] === 'fixtures') ? path.slice(2) : path;
  if (local[0] === 'subjects' && local.length >= 2) return { type: profileType(doc), rest: local.slice(2) };
  if (local[0] === 'fixtures' && typeof local[1] === 'string' && local.length >= 3) {
    const [source, query] = splitQuery(local[1]);
    const q = symbols.sources.get(source)?.queries.find((x) => x.name.value === query);
    if (!q) return undefined;
    // One answer (`returns:` right under the query) or a list of them.
    const answer = typeof local[2] === 'number' ? local.slice(3) : local.slice(2);
    if (answer[0] === 'args') return { type: q.args.type, rest: answer.slice(1) };
    if (answer[0] === 'returns') return { type: q.returns.type, rest: answer.slice(1) };
    return undefined;
  }
  if (path[0] !== 'tests' || typeof path[1] !== 'number' || path[2] !== 'steps' || typeof path[3] !== 'number') return undefined;
  const step = path.slice(4);
  if (step[0] === 'subject') return { type: profileType(doc), rest: step.slice(1) };
  // `event: { type, data }` or `events: [{ type, data }, ...]`.
  const eventAt = step[0] === 'event' ? 1 : step[0] === 'events' && typeof step[1] === 'number' ? 2 : undefined;
  if (eventAt === undefined || step[eventAt] !== 'data') return undefined;
  const tree = doc.tree();
  const typeNode = tree && nodeAt(tree, [...path.slice(0, 4), ...step.slice(0, eventAt), 'type']);
  const typeName = typeNode?.kind === 'scalar' && typeof typeNode.value === 'string' ? typeNode.value : undefined;
  const event = typeName === undefined ? undefined : symbols.events.get(typeName);
  return event ? { type: event.type.type, rest: step.slice(eventAt + 1) } : undefined;
}

/** The profile a test subject is written as: the built-in fields and the project's `subject: fields:`. */
function profileType(doc: DocContext): Type {
  return subjectType(doc.project.config()?.subjectFields?.type);
}

function splitQuery(name: string): [string, string] {
  const dot = name.indexOf('.');
  return dot < 0 ? [name, ''] : [name.slice(0, dot), name.slice(dot + 1)];
}

function inside(type: Type, segment: PathSegment): Type | undefined {
  switch (type.kind) {
    case 'object':
      return typeof segment === 'string' ? type.fields[segment]?.type : undefined;
    case 'list':
      return typeof segment === 'number' ? type.element : undefined;
    case 'map':
      return type.value;
    default:
      return undefined;
  }
}
