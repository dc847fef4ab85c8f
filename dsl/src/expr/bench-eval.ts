/**
 * Throughput of a compiled condition against the same condition written by hand in JS.
 * `bench/` wires this into the benchmark script; the target is >= 10 million evaluations/s.
 */
import { T } from '../types/type.js';
import { checkExpression } from './check-expression.js';
import { compileExpression } from './compile-expression.js';
import { parseExpression } from './parse-expression.js';
import type { EvalEnv } from './values.js';

export const BENCH_EXPRESSION = 'trigger.amount > 1000 && customer.segment == "business"';

export interface ExpressionBenchResult {
  /** Evaluations per second of the compiled closure. */
  readonly perSecond: number;
  /** Evaluations per second of a hand-written closure doing the same reads and comparisons. */
  readonly baselinePerSecond: number;
}

type Evaluate = (env: EvalEnv) => unknown;

function measure(fn: Evaluate, envs: readonly EvalEnv[], ms: number): number {
  // Warm up so the JIT has optimized the closures before timing.
  let sink = 0;
  for (let i = 0; i < 200_000; i++) if (fn(envs[i & 3]!) === true) sink++;
  let count = 0;
  const batch = 100_000;
  const start = process.hrtime.bigint();
  const limit = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  do {
    for (let i = 0; i < batch; i++) if (fn(envs[i & 3]!) === true) sink++;
    count += batch;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < limit);
  if (sink < 0) throw new Error('unreachable'); // keeps `sink` alive
  return (count * 1e9) / Number(elapsed);
}

/** Times about `durationMs` in total (default 2 s), half for each closure. */
export function benchExpressionEval(durationMs = 2000): ExpressionBenchResult {
  const scope = {
    trigger: T.object({ amount: T.number, invoiceId: T.string }),
    customer: T.object({ segment: T.string, name: T.string }),
  };
  const parsed = parseExpression(BENCH_EXPRESSION);
  if (!parsed.ast) throw new Error('bench expression does not parse');
  const compiled = compileExpression(checkExpression(parsed.ast, scope, T.bool).checked);
  const now = () => 0;
  const envs: EvalEnv[] = [
    { vars: { trigger: { amount: 1500, invoiceId: 'a' }, customer: { segment: 'business', name: 'A' } }, now },
    { vars: { trigger: { amount: 500, invoiceId: 'b' }, customer: { segment: 'business', name: 'B' } }, now },
    { vars: { trigger: { amount: 2500, invoiceId: 'c' }, customer: { segment: 'consumer', name: 'C' } }, now },
    { vars: { trigger: { amount: 1001, invoiceId: 'd' }, customer: { segment: 'business', name: 'D' } }, now },
  ];
  const baseline: Evaluate = (env) => {
    const t = env.vars['trigger'] as { amount: number };
    const c = env.vars['customer'] as { segment: string };
    return t.amount > 1000 && c.segment === 'business';
  };
  const perSecond = measure(compiled, envs, durationMs / 2);
  const baselinePerSecond = measure(baseline, envs, durationMs / 2);
  return { perSecond, baselinePerSecond };
}
