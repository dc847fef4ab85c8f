/** A value that survives JSON.stringify/JSON.parse unchanged: what receipts and archives may hold. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export type JsonObject = { readonly [key: string]: JsonValue };

/** True for `{...}` objects (not arrays, not null, not class instances such as Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Freezes a value and everything reachable from it; returns the same value. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Deeper than this is taken for a value that refers to itself (JSON from a provider is never this deep). */
const MAX_JSON_DEPTH = 200;

/**
 * Where `value` stops being JSON — what the runtime can pass between threads, store and show —
 * as `<pointer> is <what>` (`/customer/since is a Date`), or undefined when all of it is JSON.
 * An `undefined` object field counts as absent (JSON.stringify drops it: an optional field).
 */
export function nonJsonPlace(value: unknown, at = '', depth = 0): string | undefined {
  const here = at === '' ? 'the value' : `\`${at}\``;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${here} is ${String(value)}, which JSON cannot hold`;
    case 'undefined':
      return `${here} is undefined (use null for "nothing")`;
    case 'object': {
      if (value === null) return undefined;
      if (depth > MAX_JSON_DEPTH) return `${here} is nested more than ${MAX_JSON_DEPTH} deep (does it refer to itself?)`;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const inner = nonJsonPlace(value[i], `${at}/${i}`, depth + 1);
          if (inner !== undefined) return inner;
        }
        return undefined;
      }
      if (!isPlainObject(value)) {
        const kind = (value as object).constructor?.name ?? 'object';
        return kind === 'Date' ? `${here} is a Date (give it as an ISO-8601 string: date.toISOString())` : `${here} is a ${kind}, not a plain object`;
      }
      for (const [key, field] of Object.entries(value)) {
        if (field === undefined) continue;
        const inner = nonJsonPlace(field, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, depth + 1);
        if (inner !== undefined) return inner;
      }
      return undefined;
    }
    default:
      return `${here} is a ${typeof value}, which JSON cannot hold`;
  }
}
