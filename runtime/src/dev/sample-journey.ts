/**
 * The journey whose trigger `herald dev`'s sample curl posts: the first, in the graph's order,
 * that sends as soon as it starts, so the first try shows a mail at once. The graph orders
 * journeys by id, and the first may well begin by waiting (a digest that batches for an hour):
 * a first try that shows nothing for an hour looks broken. Without such a journey, the first.
 */
import { graphEdges, type GraphIR, type JourneyIR } from '@herald/dsl';

export function sampleJourney(ir: GraphIR): JourneyIR | undefined {
  return ir.journeys.find(sendsAtOnce) ?? ir.journeys[0];
}

/**
 * Whether a send is reached from the entry before any step that waits (`wait`, `batch`) or
 * ends the journey. Every arm of a branch or split counts: the sample cannot tell which
 * one its event takes, and one that sends may be it.
 */
export function sendsAtOnce(journey: JourneyIR): boolean {
  const nodes = new Map(journey.nodes.map((n) => [n.id, n]));
  const edges = graphEdges(journey);
  const seen = new Set<string>();
  const queue = [journey.entry];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = nodes.get(id);
    if (node === undefined) continue;
    if (node.kind === 'send') return true;
    if (node.kind === 'wait' || node.kind === 'batch' || node.kind === 'exit') continue;
    for (const e of edges) if (e.from === id && e.to !== null) queue.push(e.to);
  }
  return false;
}
