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

/** A source range as lowering writes it (`{ file, start: [line, col], end: [line, col] }`). */
function isSpan(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o['file'] === 'string' && Array.isArray(o['start']) && Array.isArray(o['end']) && Object.keys(o).length === 3;
}

/**
 * The graph's version: a hash of what runs, not of where it was written. Spans are left
 * out, so moving a comment or re-indenting a file does not start a new version.
 *
 * What is left out is recognised by place and shape, not by name alone: the IR's own top-level
 * `version`, and a `span` key whose value is a source range. So a field named `version` or
 * `span` in an event or query type, or a plugin config's `version: 2`, is part of what runs and
 * changes the version when it changes (earlier Herald versions dropped any key of those names;
 * a project with such a key gets a new version once, and its running instances stay on theirs).
 * An event's own JSON Schema (`events.*.schema`) is hashed whole.
 */
export function contentHash(ir: object): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (k === 'span' && isSpan(x) ? [] : [[k, strip(x)]])));
    }
    return v;
  };
  const { events, version: _version, ...rest } = ir as { events?: unknown; version?: unknown };
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
