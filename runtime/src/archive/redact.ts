/**
 * Field redaction for the archive (`archive.redact` in herald.yaml): `content.<field>` blanks a
 * rendered field before it is archived; `vars.<path>` blanks render data in a delivery once it
 * has reached a final state (until then a retry may need it to render again), and the same
 * variables in an instance once it has ended (until then its steps may read them).
 */
import type { Delivery } from '../delivery/types.js';
import type { Instance } from '../engine/types.js';
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
  const vars = blankVars(delivery.vars, paths);
  return vars === delivery.vars ? delivery : { ...delivery, vars };
}

/** The instance with `vars.*` paths blanked, once it has ended; otherwise as it is. */
export function redactEndedInstance(instance: Instance, paths: readonly string[]): Instance {
  if (instance.status === 'active') return instance;
  const vars = blankVars(instance.vars, paths);
  return vars === instance.vars ? instance : { ...instance, vars };
}

function blankVars<V extends Readonly<Record<string, unknown>>>(vars: V, paths: readonly string[]): V {
  let out: unknown = vars;
  for (const p of paths) if (p.startsWith('vars.')) out = blank(out, p.slice('vars.'.length).split('.'));
  return out as V;
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
