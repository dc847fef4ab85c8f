/**
 * Where control can go from each step: the edges every graph rule (unreachable steps,
 * loops without a wait) and the lowering stage agree on.
 */
import type { JourneyFile, Located, Step, UnbuiltStep } from '../model/ast.js';
import { assertNever } from '../types/type.js';

export interface Edge {
  /** Target step key, or null when the journey ends. */
  readonly to: string | null;
  /** For display; a wait's `event` edge is also the one that binds its `as:` (typecheck/possibly-unset.ts). */
  readonly label: string;
  /** The reference as written, for diagnostics on unknown targets. */
  readonly ref: Located<string> | undefined;
}

/** A step as the link stage sees it: built, or written but not built (`JourneyFile.unbuiltSteps`). */
export type LinkStep = Step | UnbuiltStep;

const linkOrder = new WeakMap<JourneyFile, readonly LinkStep[]>();

/**
 * Every step written, built or not, in file order: what the link rules walk, so that a step
 * whose value has a problem still has its id and its place (the step before falls through to
 * it, a goto may name it) and only its own problem is reported.
 */
export function linkSteps(j: JourneyFile): readonly LinkStep[] {
  if (j.unbuiltSteps.length === 0) return j.steps;
  let all = linkOrder.get(j);
  if (!all) {
    all = [...j.steps, ...j.unbuiltSteps].sort((a, b) => a.index - b.index);
    linkOrder.set(j, all);
  }
  return all;
}

/** The key of the built step after `step` (the type stage and editors see built steps only). */
export function nextKey(j: JourneyFile, step: Step): string | null {
  return j.steps[j.steps.indexOf(step) + 1]?.key ?? null;
}

/** The key of the step written after `step`, built or not (the link stage). */
export function linkNextKey(j: JourneyFile, step: LinkStep): string | null {
  const all = linkSteps(j);
  return all[all.indexOf(step) + 1]?.key ?? null;
}

/** Where control can go from a built step, among the built steps. */
export function stepEdges(j: JourneyFile, step: Step): Edge[] {
  return edgesOf(step, nextKey(j, step));
}

/**
 * Where control may go from a step, among all steps written (the link stage). A step that was
 * not built may go on to the next step or to any step it names: what it does is not known, so
 * every way it may take counts (no step after it is called unreachable on its account).
 */
export function linkEdges(j: JourneyFile, step: LinkStep): Edge[] {
  const next = linkNextKey(j, step);
  if (step.kind === 'unbuilt') return [{ to: next, label: 'next', ref: undefined }, ...step.targets.map((t) => ({ to: t.value, label: 'target', ref: t }))];
  return edgesOf(step, next);
}

function edgesOf(step: Step, next: string | null): Edge[] {
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
        // A timeout written but not readable (`7dd`, reported where it is) still means one: else
        // the steps after the wait would be called unreachable on top of the real mistake.
        if (step.wait.timeout || step.wait.timeoutWritten || step.onTimeout) edges.push(ref(step.onTimeout, 'timeout'));
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

/** Whether a step may pause: one that was not built may be a wait (so no loop through it is reported). */
export function mayPause(step: LinkStep): boolean {
  return step.kind === 'unbuilt' || isPausing(step);
}
