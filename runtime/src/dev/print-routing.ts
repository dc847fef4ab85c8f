/**
 * `herald dev` prints what routing decided about each event it received — "invoice-overdue
 * not started by invoice.overdue: reentry after-exit: instance … (key INV-1) is still active" — beside the
 * delivery decisions (print-decisions.ts): an event the API accepted (202) may start nothing,
 * and without this line the terminal would stay silent about why.
 */
import { showKey } from '../engine/start-instance.js';
import type { RoutingDecision } from '../orchestrator/route-event.js';

/** One line per decision, shaped like the delivery lines: `  <subject> <journey>: …`. */
export function routingLine(decision: RoutingDecision): string {
  const by = decision.event.type;
  switch (decision.kind) {
    case 'started':
      return `  ${decision.subjectId} ${decision.journey}: started by ${by}${decision.key === undefined ? '' : ` (key ${showKey(decision.key)})`}`;
    case 'not-started':
      return `  ${decision.subjectId === null ? '' : `${decision.subjectId} `}${decision.journey}: not started by ${by}: ${decision.reason}`;
    case 'no-subject-id':
      return `  ${by}: no subject id at \`${decision.path}\`, so it reaches no waiting instance`;
    case 'reached': {
      const who = `  ${decision.subjectId} ${decision.journey}`;
      if (decision.outcome === 'taken') return `${who}: took ${by}${decision.at === null ? '' : ` at ${decision.at}`}`;
      if (decision.outcome === 'kept') return `${who}: kept ${by} for a later wait`;
      return decision.waiting
        ? `${who}: waiting${decision.at === null ? '' : ` at ${decision.at}`}, did not take ${by}: its match is false for it`
        : `${who}: did not take ${by}: it does not wait for it now`;
    }
    case 'unheard':
      return decision.awaited
        ? `  ${decision.subjectId === null ? '' : `${decision.subjectId} `}${by}: no instance was waiting for it`
        : `  ${by}: no journey starts on it or waits for it`;
  }
}

/** `(decision) => void` for RuntimeOptions.onRouted. */
export function routingPrinter(say: (line: string) => void): (decision: RoutingDecision) => void {
  return (decision) => say(routingLine(decision));
}
