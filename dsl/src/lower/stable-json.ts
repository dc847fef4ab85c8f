import { createHash } from 'node:crypto';

/** JSON with object keys in sorted order at every level, so equal values give equal bytes. */
export function stableStringify(value: unknown, indent = 0): string {
  return JSON.stringify(sortKeys(value), null, indent || undefined);
}

/**
 * A copy with object keys sorted and undefined values left out. Objects are made with
 * `Object.fromEntries`, so a key `__proto__` (which a user's JSON Schema or plugin config may
 * have) stays an own key instead of setting the copy's prototype and vanishing from the JSON.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return value;
}

/**
 * The graph's version: a hash of what runs, not of where it was written. Spans are left
 * out, so moving a comment or re-indenting a file does not start a new version.
 *
 * Every key named `span` or `version` is left out, wherever it is (so a field of that name in
 * an event or query type does not count; kept so, as changing it would give every existing
 * project a new version). An event's own JSON Schema (`events.*.schema`) is hashed whole: a
 * property `version` in it is part of what runs.
 */
export function contentHash(ir: object): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (k === 'span' || k === 'version' ? [] : [[k, strip(x)]])));
    }
    return v;
  };
  const { events, ...rest } = ir as { events?: unknown };
  const stripped = strip(rest) as Record<string, unknown>;
  if (events && typeof events === 'object' && !Array.isArray(events)) {
    stripped['events'] = Object.fromEntries(
      Object.entries(events).map(([name, e]) => {
        if (!e || typeof e !== 'object' || !('schema' in e)) return [name, strip(e)];
        const { schema, ...decl } = e as { schema: unknown };
        return [name, { ...(strip(decl) as object), schema }];
      }),
    );
  }
  return 'sha256:' + createHash('sha256').update(stableStringify(stripped)).digest('hex');
}
