import type { JourneyIR, Next, NodeIR } from '../lower/ir.js';
import { formatDuration } from '../types/parse-duration.js';
import { assertNever } from '../types/type.js';

export interface GraphEdge {
  readonly from: string;
  readonly to: Next;
  readonly label: string;
}

/** Every edge of a lowered journey, in node order: what the renderers and the editor's picture draw. */
export function graphEdges(j: JourneyIR): GraphEdge[] {
  const out: GraphEdge[] = [];
  for (const n of j.nodes) {
    switch (n.kind) {
      case 'send':
      case 'set':
      case 'fetch':
      case 'batch':
      case 'emit':
        out.push({ from: n.id, to: n.next, label: 'next' });
        break;
      case 'wait':
        if (n.mode === 'event') {
          out.push({ from: n.id, to: n.onEvent, label: n.event });
          if (n.timeoutMs !== null) out.push({ from: n.id, to: n.onTimeout, label: `timeout ${formatDuration(n.timeoutMs)}` });
        } else out.push({ from: n.id, to: n.next, label: 'next' });
        break;
      case 'branch':
        n.arms.forEach((a) => out.push({ from: n.id, to: a.next, label: a.when }));
        out.push({ from: n.id, to: n.otherwise, label: 'else' });
        break;
      case 'split': {
        const total = n.arms.reduce((s, a) => s + a.weight, 0);
        n.arms.forEach((a) => out.push({ from: n.id, to: a.next, label: `${Math.round((a.weight / total) * 100)}%` }));
        break;
      }
      case 'exit':
        break;
      default:
        assertNever(n);
    }
  }
  return out;
}

export function nodeLabel(n: NodeIR): string {
  const name = n.id.startsWith('#') ? '' : `${n.id}\n`;
  switch (n.kind) {
    case 'send':
      return `${name}send ${n.template}\nvia ${n.policy}`;
    case 'wait':
      return n.mode === 'duration' ? `${name}wait ${formatDuration(n.ms)}` : n.mode === 'until' ? `${name}wait until ${n.until}` : `${name}wait for ${n.event}`;
    case 'branch':
      return `${name}branch`;
    case 'split':
      return `${name}split`;
    case 'set':
      return `${name}set ${n.vars.map((v) => v.name).join(', ')}`;
    case 'fetch':
      return `${name}fetch ${n.data.map((d) => d.name).join(', ')}`;
    case 'batch':
      return `${name}batch ${n.event}\nfor ${formatDuration(n.windowMs)}`;
    case 'emit':
      return `${name}emit ${n.event}`;
    case 'exit':
      return `${name}exit: ${n.reason}`;
    default:
      return assertNever(n);
  }
}
