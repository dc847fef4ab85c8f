/**
 * Where control can go from each step: the edges every graph rule (unreachable steps,
 * loops without a wait) and the lowering stage agree on.
 */
import type { JourneyFile, Located, Step } from '../model/ast.js';
import { assertNever } from '../types/type.js';

export interface Edge {
  /** Target step key, or null when the journey ends. */
  readonly to: string | null;
  /** For display; a wait's `event` edge is also the one that binds its `as:` (typecheck/possibly-unset.ts). */
  readonly label: string;
  /** The reference as written, for diagnostics on unknown targets. */
  readonly ref: Located<string> | undefined;
}

export function nextKey(j: JourneyFile, step: Step): string | null {
  return j.steps[j.steps.indexOf(step) + 1]?.key ?? null;
}

export function stepEdges(j: JourneyFile, step: Step): Edge[] {
  const next = nextKey(j, step);
  const ref = (r: Located<string> | undefined, label: string): Edge => ({ to: r ? r.value : next, label, ref: r });
  switch (step.kind) {
    case 'send':
    case 'set':
    case 'fetch':
    case 'batch':
    case 'emit':
      return [{ to: next, label: 'next', ref: undefined }];
    case 'wait':
      if (step.wait.mode === 'event') {
        const edges = [ref(step.onEvent, 'event')];
        if (step.wait.timeout || step.onTimeout) edges.push(ref(step.onTimeout, 'timeout'));
        return edges;
      }
      return [{ to: next, label: 'next', ref: undefined }];
    case 'branch':
      return [
        ...step.arms.map((a, i) => ({ to: a.goto.value, label: `when ${i + 1}`, ref: a.goto })),
        step.otherwise ? { to: step.otherwise.value, label: 'else', ref: step.otherwise } : { to: next, label: 'else', ref: undefined },
      ];
    case 'split':
      return step.arms.map((a, i) => ({ to: a.goto.value, label: `arm ${i + 1} (${a.weight.value})`, ref: a.goto }));
    case 'goto':
      return [{ to: step.target.value, label: 'goto', ref: step.target }];
    case 'exit':
      return [];
    default:
      return assertNever(step);
  }
}

/** Steps that pause an instance (time passes), which makes a cycle through them safe. */
export function isPausing(step: Step): boolean {
  return step.kind === 'wait' || step.kind === 'batch';
}
