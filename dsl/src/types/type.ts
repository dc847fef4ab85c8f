/**
 * Herald's value types: what events, data-source results, the subject profile,
 * journey variables and expressions have. Plain JSON objects, so they go into the IR as they are.
 *
 * One `number` type (IEEE double, like JSON) instead of CEL's int/uint/double split: see docs/expressions.md.
 */
export type Type =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'null' }
  | { readonly kind: 'timestamp' }
  | { readonly kind: 'duration' }
  | { readonly kind: 'list'; readonly element: Type }
  | { readonly kind: 'map'; readonly value: Type }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Field>> }
  /** Shape unknown: every operation is allowed and checked at run time. */
  | { readonly kind: 'dyn' };

export interface Field {
  readonly type: Type;
  readonly optional: boolean;
  readonly doc?: string;
}

export type TypeKind = Type['kind'];

export const T = {
  string: { kind: 'string' } as Type,
  number: { kind: 'number' } as Type,
  bool: { kind: 'bool' } as Type,
  null: { kind: 'null' } as Type,
  timestamp: { kind: 'timestamp' } as Type,
  duration: { kind: 'duration' } as Type,
  dyn: { kind: 'dyn' } as Type,
  list: (element: Type): Type => ({ kind: 'list', element }),
  map: (value: Type): Type => ({ kind: 'map', value }),
  object: (fields: Record<string, Field | Type>): Type => ({
    kind: 'object',
    fields: Object.fromEntries(
      Object.entries(fields).map(([k, f]) => [k, 'kind' in f ? { type: f, optional: false } : f]),
    ),
  }),
  optional: (type: Type, doc?: string): Field => (doc ? { type, optional: true, doc } : { type, optional: true }),
  field: (type: Type, doc?: string): Field => (doc ? { type, optional: false, doc } : { type, optional: false }),
} as const;

/** `list<{id: string}>` style, the same spelling as the compact type syntax. */
export function typeToString(type: Type): string {
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'bool':
    case 'null':
    case 'timestamp':
    case 'duration':
    case 'dyn':
      return type.kind;
    case 'list':
      return `list<${typeToString(type.element)}>`;
    case 'map':
      return `map<${typeToString(type.value)}>`;
    case 'object': {
      const parts = Object.entries(type.fields).map(
        ([k, f]) => `${k}: ${typeToString(f.type)}${f.optional ? '?' : ''}`,
      );
      return `{${parts.join(', ')}}`;
    }
    default:
      return assertNever(type);
  }
}

/**
 * Can a value of type `from` be used where `to` is expected? `dyn` goes both ways;
 * `null` is accepted anywhere (JSON data is nullable, optional fields may be absent).
 */
export function isAssignable(from: Type, to: Type): boolean {
  if (from.kind === 'dyn' || to.kind === 'dyn' || from.kind === 'null') return true;
  switch (to.kind) {
    case 'list':
      return from.kind === 'list' && isAssignable(from.element, to.element);
    case 'map':
      if (from.kind === 'map') return isAssignable(from.value, to.value);
      if (from.kind === 'object') return Object.values(from.fields).every((f) => isAssignable(f.type, to.value));
      return false;
    case 'object':
      if (from.kind === 'map') return Object.values(to.fields).every((f) => isAssignable(from.value, f.type));
      if (from.kind !== 'object') return false;
      return Object.entries(to.fields).every(([k, f]) => {
        const got = from.fields[k];
        return got ? isAssignable(got.type, f.type) : f.optional;
      });
    default:
      return from.kind === to.kind;
  }
}

export function sameType(a: Type, b: Type): boolean {
  return isAssignable(a, b) && isAssignable(b, a);
}

/** The type of `a ?? b`, `c ? a : b`, list literal elements: the common type, or dyn. */
export function unifyTypes(a: Type, b: Type): Type {
  if (a.kind === 'null') return b;
  if (b.kind === 'null') return a;
  if (a.kind === 'dyn' || b.kind === 'dyn') return T.dyn;
  if (isAssignable(a, b)) return b.kind === 'object' && a.kind === 'object' ? a : b;
  if (isAssignable(b, a)) return a;
  return T.dyn;
}

/** Member access on a type: the field's type, `undefined` when the member cannot exist. */
export function memberType(type: Type, name: string): Type | undefined {
  switch (type.kind) {
    case 'dyn':
      return T.dyn;
    case 'map':
      return type.value;
    case 'object':
      return type.fields[name]?.type;
    default:
      return undefined;
  }
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
