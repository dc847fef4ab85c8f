import type { Step } from '../../model/ast.js';

/** How messages name a step: by its id when it has one, else by its position (`#3`). */
export function stepLabel(step: Step): string {
  return step.id ? `step \`${step.id.value}\`` : `step #${step.index + 1}`;
}

/** A list of names for a message: "`a`, `b` and `c`" (or "... or `c`"). */
export function listNames(names: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  const q = names.map((n) => `\`${n}\``);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} ${conjunction} ${q[q.length - 1]}`;
}
