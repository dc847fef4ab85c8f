/** A journey of the IR in Graphviz DOT. */
import type { JourneyIR } from '../lower/ir.js';
import { graphEdges, nodeLabel } from './graph-model.js';

const q = (s: string) => JSON.stringify(s);

export function toDot(j: JourneyIR): string {
  const lines = [`digraph ${q(j.id)} {`, '  rankdir=TB;', '  node [fontname="Helvetica", shape=box, style=rounded];', `  "__start" [label=${q(j.trigger.event)}, shape=circle];`];
  for (const n of j.nodes) {
    const shape = n.kind === 'branch' || n.kind === 'split' ? 'diamond' : n.kind === 'exit' ? 'doublecircle' : n.kind === 'wait' || n.kind === 'batch' ? 'ellipse' : 'box';
    lines.push(`  ${q(n.id)} [label=${q(nodeLabel(n))}, shape=${shape}];`);
  }
  lines.push(`  "__start" -> ${q(j.entry || '__end')};`);
  let needsEnd = !j.entry;
  for (const e of graphEdges(j)) {
    if (e.to === null) needsEnd = true;
    lines.push(`  ${q(e.from)} -> ${q(e.to ?? '__end')}${e.label && e.label !== 'next' ? ` [label=${q(e.label)}]` : ''};`);
  }
  if (needsEnd) lines.push('  "__end" [label="end", shape=point];');
  lines.push('}');
  return lines.join('\n') + '\n';
}
