/**
 * Field redaction for the archive (`archive.redact` in herald.yaml): `content.<field>` blanks a
 * rendered field before it is archived; `vars.<path>` blanks render data in a delivery once it
 * has reached a final state (until then a retry may need it to render again).
 */
import type { Delivery } from '../delivery/types.js';
import type { ArchivedContent } from '../driver/driver.js';

export const REDACTED = '[redacted]';

const FINAL: ReadonlySet<Delivery['status']> = new Set(['delivered', 'failed', 'skipped']);

export function redactContent(content: ArchivedContent, paths: readonly string[]): ArchivedContent {
  const fields = paths.filter((p) => p.startsWith('content.')).map((p) => p.slice('content.'.length));
  if (!fields.some((f) => f in content.fields)) return content;
  const out: Record<string, string> = { ...content.fields };
  for (const f of fields) if (f in out) out[f] = REDACTED;
  return { ...content, fields: out };
}

/** The delivery with `vars.*` paths blanked, when it is final; otherwise as it is. */
export function redactFinalDelivery(delivery: Delivery, paths: readonly string[]): Delivery {
  if (!FINAL.has(delivery.status)) return delivery;
  const varPaths = paths.filter((p) => p.startsWith('vars.')).map((p) => p.slice('vars.'.length).split('.'));
  if (varPaths.length === 0) return delivery;
  let vars: unknown = delivery.vars;
  for (const path of varPaths) vars = blank(vars, path);
  return vars === delivery.vars ? delivery : { ...delivery, vars: vars as Delivery['vars'] };
}

/** A copy of `value` with the value at `path` replaced, sharing what is not on the path; unchanged when the path is absent. */
function blank(value: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return value === undefined ? value : REDACTED;
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  const [head, ...rest] = path as [string, ...string[]];
  if (!(head in obj)) return value;
  const inner = blank(obj[head], rest);
  return inner === obj[head] ? value : { ...obj, [head]: inner };
}
