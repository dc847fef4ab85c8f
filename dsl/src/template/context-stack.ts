/**
 * Mustache's context stack, at the type level. mustache.js 4.2.0 (`Context.lookup`) looks a
 * name up in the innermost pushed value first, then outward:
 *
 * - `.` is the innermost value itself;
 * - `a` (no dot) is found in a value only if that value is an object (arrays count), so a
 *   string pushed by `{{#name}}` hides nothing;
 * - `a.b.c` is walked from each value in turn and counts as found there only if the walk
 *   reaches the last name; otherwise the lookup goes on outward (so an inner `a` without a
 *   `b` does not hide an outer `a.b`);
 * - a section over a list pushes each element, over an object or map the value, over a
 *   string or number the value (visible only as `.`); over a boolean nothing.
 *
 * The checker and completion both reason with these rules; render.ts renders with
 * Mustache itself, so they hold at run time.
 */
import { T, assertNever, type Type } from '../types/type.js';

/** The types names are looked up in, outermost first; the first is the template's scope. */
export type ContextStack = readonly Type[];

export function rootContext(scope: Readonly<Record<string, Type>>): ContextStack {
  const fields = Object.fromEntries(Object.entries(scope).map(([name, type]) => [name, { type, optional: false }]));
  return [{ kind: 'object', fields }];
}

/**
 * The type of `value.name` as Mustache sees it. Besides object fields and map entries,
 * JavaScript gives lists `length` and numeric indexes (`{{items.length}}`, `{{items.0.sku}}`)
 * and strings `length`. Own fields only: `toString` is not a field of a customer.
 */
export function memberOf(type: Type, name: string): Type | undefined {
  switch (type.kind) {
    case 'dyn':
      return T.dyn;
    case 'map':
      return type.value;
    case 'object':
      return Object.hasOwn(type.fields, name) ? type.fields[name]!.type : undefined;
    case 'list':
      if (name === 'length') return T.number;
      return /^\d+$/.test(name) ? type.element : undefined;
    case 'string':
      return name === 'length' ? T.number : undefined;
    default:
      return undefined;
  }
}

/** Field names worth suggesting for a type (what did-you-mean and completion offer). */
export function memberNames(type: Type): string[] {
  switch (type.kind) {
    case 'object':
      return Object.keys(type.fields);
    case 'list':
    case 'string':
      return ['length'];
    default:
      return [];
  }
}

/** Mustache splits on `.` only when the name has a dot after its first character. */
export function splitPath(path: string): string[] {
  return path.indexOf('.') > 0 ? path.split('.') : [path];
}

/** Values Mustache looks a plain name up in (`hasProperty` wants an object). */
export function isObjectLike(type: Type): boolean {
  return type.kind === 'object' || type.kind === 'map' || type.kind === 'list' || type.kind === 'dyn';
}

export type PathResolution =
  | { readonly ok: true; readonly type: Type }
  /** No value on the stack has the first name. */
  | { readonly ok: false; readonly kind: 'unknown-variable'; readonly name: string }
  /** `segments[segment]` is missing from `owner` (the path before it), of type `ownerType`. */
  | {
      readonly ok: false;
      readonly kind: 'unknown-field';
      readonly segments: readonly string[];
      readonly segment: number;
      readonly ownerType: Type;
    };

export function resolvePath(stack: ContextStack, path: string): PathResolution {
  if (path === '.') return { ok: true, type: stack[stack.length - 1] ?? T.dyn };
  const segments = splitPath(path);
  // The frame whose walk got furthest explains a miss best; ties go to the innermost.
  let best: { resolved: number; ownerType: Type } | undefined;
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i]!;
    if (segments.length === 1 && !isObjectLike(frame)) continue;
    let type: Type = frame;
    let resolved = 0;
    for (const name of segments) {
      const next = memberOf(type, name);
      if (!next) break;
      type = next;
      resolved++;
    }
    if (resolved === segments.length) return { ok: true, type };
    if (resolved > 0 && (!best || resolved > best.resolved)) best = { resolved, ownerType: type };
  }
  if (!best) return { ok: false, kind: 'unknown-variable', name: segments[0]! };
  return { ok: false, kind: 'unknown-field', segments, segment: best.resolved, ownerType: best.ownerType };
}

/** Plain names visible on the stack with their types, innermost first; an inner name hides an outer one. */
export function visibleNames(stack: ContextStack): Map<string, Type> {
  const names = new Map<string, Type>();
  for (let i = stack.length - 1; i >= 0; i--) {
    const frame = stack[i]!;
    if (frame.kind !== 'object') continue;
    for (const [name, field] of Object.entries(frame.fields)) {
      if (!names.has(name)) names.set(name, field.type);
    }
  }
  return names;
}

/** The stack inside `{{#path}}` when `path` has type `type` (inverted sections push nothing). */
export function enterSection(stack: ContextStack, type: Type): ContextStack {
  switch (type.kind) {
    case 'list':
      return [...stack, type.element];
    case 'object':
    case 'map':
    case 'dyn':
    case 'string':
    case 'number':
    case 'timestamp':
    case 'duration':
      return [...stack, type];
    case 'bool':
    case 'null':
      return stack;
    default:
      return assertNever(type);
  }
}
