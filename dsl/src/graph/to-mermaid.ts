/** A journey of the IR as a Mermaid flowchart (renders on GitHub, in docs and in the editor). */
import type { JourneyIR, NodeIR } from '../lower/ir.js';
import { graphEdges, nodeLabel } from './graph-model.js';

const id = (s: string) => 'n_' + s.replace(/[^A-Za-z0-9_]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
const esc = (s: string) => s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');

function shape(n: NodeIR, label: string): string {
  switch (n.kind) {
    case 'branch':
    case 'split':
      return `{"${esc(label)}"}`;
    case 'wait':
    case 'batch':
      return `(["${esc(label)}"])`;
    case 'exit':
      return `(("${esc(label)}"))`;
    default:
      return `["${esc(label)}"]`;
  }
}

export function toMermaid(j: JourneyIR): string {
  const lines = ['flowchart TD', `  start(("${esc(j.trigger.event)}")) --> ${j.entry ? id(j.entry) : 'done'}`];
  for (const n of j.nodes) lines.push(`  ${id(n.id)}${shape(n, nodeLabel(n))}`);
  let needsDone = !j.entry;
  for (const e of graphEdges(j)) {
    const to = e.to === null ? 'done' : id(e.to);
    if (e.to === null) needsDone = true;
    lines.push(`  ${id(e.from)} -->${e.label && e.label !== 'next' ? `|${esc(e.label)}|` : ''} ${to}`);
  }
  if (needsDone) lines.push('  done(((end)))');
  return lines.join('\n') + '\n';
}
