/**
 * A data load's answer cut to what its query's `returns:` type declares, before it is stored with
 * the instance (and shown by `GET /instances`). A journey can only read declared fields (the type
 * checker refuses others, in expressions and templates alike), so an API that answers a whole
 * customer record — internal notes, other personal data — keeps only what the journey uses.
 * Pure; `value` already fits the type (check-query-result.ts).
 */
import type { Type } from '@herald/dsl';

export function declaredPart(value: unknown, type: Type): unknown {
  if (value === null || typeof value !== 'object') return value;
  switch (type.kind) {
    case 'object': {
      if (Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(type.fields)) {
        if (Object.prototype.hasOwnProperty.call(value, name)) out[name] = declaredPart((value as Record<string, unknown>)[name], field.type);
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((item) => declaredPart(item, type.element)) : value;
    case 'map':
      return Array.isArray(value) ? value : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, declaredPart(v, type.value)]));
    default:
      return value;
  }
}
