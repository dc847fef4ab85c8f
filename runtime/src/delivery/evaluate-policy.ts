/**
 * The policy's expressions for one delivery — `order`, `quietHours.timezone`, `dedupe.key` —
 * evaluated with the send's vars and the subject, as DeliveryFacts wants them. The caller
 * (the orchestrator) uses `capSince` / `dedupeSince` to ask the store for the counts, then
 * builds the facts with `deliveryFacts`.
 *
 * An expression that fails at run time does not stop the message: the default channel order,
 * the subject's (or project's) time zone, or no dedupe is used, and `problems` says so for
 * the log. The dedupe key is scoped to the subject and the template (`<subject>:<template>:<key>`),
 * so one policy's key (an invoice id) dedupes repeats of the same message, not a different
 * message about the same invoice (the reminder and the thank-you share a policy).
 */
import { ExprRuntimeError, type CompiledExpr, type EvalEnv } from '@herald/dsl';
import type { CompiledGraph, CompiledPolicy } from '../engine/compile-graph.js';
import type { SubjectProfile } from '../engine/types.js';
import { isValidTimeZone } from './quiet-hours.js';
import type { Delivery, DeliveryFacts } from './types.js';

export interface PolicyValues {
  readonly order: readonly string[] | null;
  readonly dedupeKey: string | null;
  readonly timezone: string;
  /** Count messages of the delivery's category sent to the subject since then (null: no cap). */
  readonly capSince: number | null;
  /** Look the dedupe key up among keys sent since then (null: no dedupe). */
  readonly dedupeSince: number | null;
  /** Expressions that failed, and what was used instead. */
  readonly problems: readonly string[];
}

export function evaluatePolicyValues(graph: CompiledGraph, delivery: Delivery, subject: SubjectProfile, now: number): PolicyValues {
  const policy = policyFor(graph, delivery);
  const problems: string[] = [];
  const vars = delivery.vars;
  const journey = vars['journey'] ?? { id: delivery.journey, instanceId: delivery.instanceId, version: delivery.version };
  const env: EvalEnv = { vars: { ...vars, journey, subject }, now: () => now };

  const fallbackZone = subject.timezone !== undefined && isValidTimeZone(subject.timezone) ? subject.timezone : graph.ir.project.defaults.timezone;
  let timezone = fallbackZone;
  const zone = evaluate(policy.timezone, env, 'quietHours.timezone', problems);
  if (typeof zone === 'string' && isValidTimeZone(zone)) timezone = zone;
  else if (zone !== undefined) problems.push(`quietHours.timezone gave ${JSON.stringify(zone)}, not a time zone: using ${fallbackZone}`);

  let order: string[] | null = null;
  const listed = evaluate(policy.order, env, 'order', problems);
  if (Array.isArray(listed)) order = listed.filter((c): c is string => typeof c === 'string');
  else if (listed !== undefined && listed !== null) problems.push(`order gave ${JSON.stringify(listed)}, not a list: using the policy's order`);

  let dedupeKey: string | null = null;
  const key = evaluate(policy.dedupeKey, env, 'dedupe.key', problems);
  if (key !== undefined && key !== null) dedupeKey = `${delivery.subjectId}:${delivery.template}:${typeof key === 'string' ? key : JSON.stringify(key)}`;
  else if (key === null) problems.push('dedupe.key gave null: not deduplicated');

  const ir = policy.ir;
  return {
    order,
    dedupeKey,
    timezone,
    capSince: ir.frequencyCap ? now - ir.frequencyCap.perMs : null,
    dedupeSince: ir.dedupe && dedupeKey !== null ? now - ir.dedupe.windowMs : null,
    problems,
  };
}

/** DeliveryFacts from the evaluated values and the store's answers. */
export function deliveryFacts(values: PolicyValues, store: { readonly sentInCapWindow: number; readonly duplicate: boolean }): DeliveryFacts {
  return {
    sentInCapWindow: store.sentInCapWindow,
    duplicate: store.duplicate,
    order: values.order,
    dedupeKey: values.dedupeKey,
    timezone: values.timezone,
    capSince: values.capSince,
    dedupeSince: values.dedupeSince,
  };
}

/** The policy compiled in the delivery's journey scope (or with `dyn` names when the journey does not use it). */
function policyFor(graph: CompiledGraph, delivery: Delivery): CompiledPolicy {
  const p = graph.journeys.get(delivery.journey)?.policies.get(delivery.policy) ?? graph.policies.get(delivery.policy);
  if (!p) throw new Error(`graph ${graph.version} has no policy ${delivery.policy} (delivery ${delivery.id})`);
  return p;
}

/** undefined: no expression, or it failed (recorded in `problems`). */
function evaluate(expr: CompiledExpr | null, env: EvalEnv, what: string, problems: string[]): unknown {
  if (!expr) return undefined;
  try {
    return expr(env);
  } catch (e) {
    if (e instanceof ExprRuntimeError) {
      problems.push(`${what} failed: ${e.message}`);
      return undefined;
    }
    throw e;
  }
}
