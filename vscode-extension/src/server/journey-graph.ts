/**
 * The picture of a journey for the graph webview: the compiled graph (the IR's nodes, with
 * gotos folded into edges, as the runtime runs it) when the project compiles, otherwise the
 * steps as written, so the picture keeps following the file while it has errors.
 */
import { graphEdges, nodeLabel, stepEdges, type Diagnostic, type IrSpan, type JourneyFile } from '@herald/dsl';
import type { GraphEdgeView, GraphNodeView, JourneyGraph, WireRange } from '../shared/protocol.js';
import type { DocContext } from './doc-context.js';
import { stepDetail } from './symbols.js';

const START = '@start';
const END = '@end';

function irRange(s: IrSpan): WireRange {
  return { start: { line: s.start[0] - 1, character: s.start[1] - 1 }, end: { line: s.end[0] - 1, character: s.end[1] - 1 } };
}

function inside(r: WireRange, d: Diagnostic): boolean {
  const l = d.range.start.line - 1;
  const c = d.range.start.column - 1;
  const after = l > r.start.line || (l === r.start.line && c >= r.start.character);
  const before = l < r.end.line || (l === r.end.line && c <= r.end.character);
  return after && before;
}

export function journeyGraph(doc: DocContext): JourneyGraph | null {
  const ast = doc.project.ast(doc.rel);
  if (ast?.kind !== 'journey') return null;
  const { ir, diagnostics } = doc.project.compileFocus(doc.rel);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const count = (r: WireRange | null) => (r ? diagnostics.filter((d) => d.severity !== 'info' && inside(r, d)).length : 0);
  const trigger: GraphNodeView = {
    id: START,
    kind: 'trigger',
    label: `on ${ast.trigger.event.value}${ast.trigger.when ? `\nwhen ${ast.trigger.when.text}` : ''}`,
    range: doc.lines.spanRange(ast.trigger.span),
    problems: 0,
  };
  const journeyIr = ir?.journeys.find((j) => j.id === ast.id.value);
  if (journeyIr) {
    const nodes: GraphNodeView[] = [trigger];
    for (const n of journeyIr.nodes) {
      const range = n.span.file === doc.rel ? irRange(n.span) : null;
      nodes.push({ id: n.id, kind: n.kind, label: nodeLabel(n), range, problems: count(range) });
    }
    const edges: GraphEdgeView[] = [{ from: START, to: journeyIr.entry || null, label: '' }];
    for (const e of graphEdges(journeyIr)) edges.push({ from: e.from, to: e.to, label: e.label === 'next' ? '' : e.label });
    return finish({ journey: ast.id.value, from: 'compiled', nodes, edges, errors });
  }
  return finish(sourceGraph(doc, ast, trigger, errors, count));
}

function sourceGraph(doc: DocContext, j: JourneyFile, trigger: GraphNodeView, errors: number, count: (r: WireRange | null) => number): JourneyGraph {
  const nodes: GraphNodeView[] = [trigger];
  const edges: GraphEdgeView[] = [{ from: START, to: j.steps[0]?.key ?? null, label: '' }];
  const known = new Set(j.steps.map((s) => s.key));
  for (const s of j.steps) {
    const range = doc.lines.spanRange(s.span);
    const name = s.id ? `${s.id.value}\n` : '';
    nodes.push({ id: s.key, kind: s.kind, label: `${name}${stepDetail(s)}`, range, problems: count(range) });
    for (const e of stepEdges(j, s)) {
      // A target that names no step is drawn as a dangling edge to a node of its own.
      if (e.to !== null && !known.has(e.to)) {
        nodes.push({ id: `?${e.to}`, kind: 'missing', label: `${e.to}\n(no such step)`, range: null, problems: 1 });
        known.add(e.to);
        edges.push({ from: s.key, to: `?${e.to}`, label: edgeLabel(e.label) });
        continue;
      }
      edges.push({ from: s.key, to: e.to, label: edgeLabel(e.label) });
    }
  }
  return { journey: j.id.value, from: 'source', nodes, edges, errors };
}

function edgeLabel(label: string): string {
  return label === 'next' ? '' : label;
}

/** Edges to `null` (the journey ends) go to one end node. */
function finish(g: JourneyGraph): JourneyGraph {
  if (!g.edges.some((e) => e.to === null)) return g;
  return {
    ...g,
    nodes: [...g.nodes, { id: END, kind: 'end', label: 'end', range: null, problems: 0 }],
    edges: g.edges.map((e) => (e.to === null ? { ...e, to: END } : e)),
  };
}
