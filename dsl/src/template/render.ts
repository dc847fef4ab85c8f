/**
 * Renders a checked template: the one place the runtime calls Mustache, so rendering keeps
 * the semantics check-template.ts assumes (context-stack.ts describes them).
 */
import Mustache from 'mustache';
import { DEFAULT_DELIMITERS } from './scan-tags.js';

export interface TemplateRenderOptions {
  /**
   * HTML variants (email bodies) escape `{{x}}` for HTML; text variants (SMS, push, subject
   * lines, plain text) output values as they are, so `&` stays `&` and not `&amp;`.
   */
  readonly html: boolean;
  /**
   * JSON text (a webhook body): `{{x}}` is escaped for a JSON string, so a quote or a line
   * break in a customer's name cannot break the document the template writes.
   */
  readonly json?: boolean;
}

// Our own Writer: Mustache's default one is shared with anyone who changes `Mustache.tags` or `Mustache.escape`.
const writer = new Mustache.Writer();
const asHtml = Mustache.escape;
const asText = (value: unknown): string => String(value);
const asJsonString = (value: unknown): string => JSON.stringify(String(value)).slice(1, -1);

/**
 * Throws only on a template that does not parse, which the compile-time check reports as
 * `template-syntax`; rendering an unchecked template is a bug.
 */
export function renderTemplate(
  text: string,
  view: unknown,
  partials: Readonly<Record<string, string>>,
  options: TemplateRenderOptions,
): string {
  // A lookup function, not the record: `{{> constructor}}` must not find Object.prototype.constructor.
  const partial = (name: string): string | undefined => (Object.hasOwn(partials, name) ? partials[name] : undefined);
  return writer.render(text, toView(view, new WeakMap()), partial, {
    tags: [...DEFAULT_DELIMITERS],
    escape: options.json ? asJsonString : options.html ? asHtml : asText,
  });
}

/**
 * The view as the checker types it: timestamps (`Date`) become ISO strings, and functions
 * are dropped (Mustache would call them as lambdas; Herald's types have none, and data from
 * a plugin should not run code while rendering).
 */
function toView(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(toView(item, seen));
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[k] = toView(v, seen);
  return out;
}
