import { createHash } from 'node:crypto';

/** JSON with object keys in sorted order at every level, so equal values give equal bytes. */
export function stableStringify(value: unknown, indent = 0): string {
  return JSON.stringify(sortKeys(value), null, indent || undefined);
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * The graph's version: a hash of what runs, not of where it was written. Spans are left
 * out, so moving a comment or re-indenting a file does not start a new version.
 */
export function contentHash(ir: object): string {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== 'span' && k !== 'version') out[k] = strip(x);
      return out;
    }
    return v;
  };
  return 'sha256:' + createHash('sha256').update(stableStringify(strip(ir))).digest('hex');
}
