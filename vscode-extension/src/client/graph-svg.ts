/**
 * A journey graph as SVG: dagre lays it out top to bottom, and the nodes and edges are drawn
 * by hand (no browser-side library in the webview). Pure: no `vscode` import, so it is
 * tested in Node and could render the same picture for `herald graph --format svg`.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { GraphEdgeView, JourneyGraph } from '../shared/protocol.js';

const CHAR_W = 7.2;
const LINE_H = 16;
const PAD_X = 12;
const PAD_Y = 8;

export interface LaidOutNode {
  readonly id: string;
  readonly kind: string;
  readonly lines: readonly string[];
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly problems: number;
}

export interface LaidOutEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  readonly labelAt: { readonly x: number; readonly y: number } | undefined;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LaidOutNode[];
  readonly edges: readonly LaidOutEdge[];
}

function clip(s: string, max = 48): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

export function layoutGraph(graph: JourneyGraph): GraphLayout {
  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const lines = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const ls = n.label.split('\n').map((l) => clip(l));
    lines.set(n.id, ls);
    const width = Math.max(...ls.map((l) => l.length)) * CHAR_W + 2 * PAD_X;
    const height = ls.length * LINE_H + 2 * PAD_Y;
    g.setNode(n.id, { width: Math.max(width, n.kind === 'end' ? 60 : 90), height });
  }
  graph.edges.forEach((e: GraphEdgeView, i) => {
    if (e.to === null || !g.hasNode(e.from) || !g.hasNode(e.to)) return;
    const label = clip(e.label, 36);
    g.setEdge(e.from, e.to, { label, width: label.length * CHAR_W * 0.9, height: label ? LINE_H : 0, labelpos: 'c' }, `e${i}`);
  });
  layout(g);
  const nodes: LaidOutNode[] = graph.nodes.map((n) => {
    const p = g.node(n.id) as { x: number; y: number; width: number; height: number };
    return { id: n.id, kind: n.kind, lines: lines.get(n.id)!, x: p.x, y: p.y, width: p.width, height: p.height, problems: n.problems };
  });
  const edges: LaidOutEdge[] = [];
  graph.edges.forEach((e, i) => {
    if (e.to === null || !g.hasNode(e.from) || !g.hasNode(e.to)) return;
    const l = g.edge({ v: e.from, w: e.to, name: `e${i}` }) as { points: { x: number; y: number }[]; x?: number; y?: number; label: string };
    edges.push({ from: e.from, to: e.to, label: l.label, points: l.points, labelAt: l.label && l.x !== undefined && l.y !== undefined ? { x: l.x, y: l.y } : undefined });
  });
  const size = g.graph() as { width?: number; height?: number };
  return { width: size.width ?? 0, height: size.height ?? 0, nodes, edges };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function path(points: readonly { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (rest.length === 1) return `M${first!.x},${first!.y} L${rest[0]!.x},${rest[0]!.y}`;
  // A smooth curve through dagre's control points (quadratic segments between midpoints).
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i]!;
    const q = rest[i + 1]!;
    const mid = i === rest.length - 2 ? q : { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
    d += ` Q${p.x},${p.y} ${mid.x},${mid.y}`;
  }
  return d;
}

/** The SVG of a laid-out graph; nodes carry `data-id` for highlighting and clicks. */
export function renderSvg(l: GraphLayout): string {
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="journey" width="${Math.ceil(l.width)}" height="${Math.ceil(l.height)}" viewBox="0 0 ${Math.ceil(l.width)} ${Math.ceil(l.height)}">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>');
  for (const e of l.edges) {
    out.push(`<g class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}"><path d="${path(e.points)}" marker-end="url(#arrow)"/>`);
    if (e.labelAt && e.label) out.push(`<text x="${e.labelAt.x.toFixed(1)}" y="${(e.labelAt.y + 4).toFixed(1)}" text-anchor="middle">${esc(e.label)}</text>`);
    out.push('</g>');
  }
  for (const n of l.nodes) {
    const x = n.x - n.width / 2;
    const y = n.y - n.height / 2;
    const cls = `node kind-${n.kind}${n.problems ? ' has-problems' : ''}`;
    out.push(`<g class="${cls}" data-id="${esc(n.id)}" tabindex="0">`);
    if (n.kind === 'branch' || n.kind === 'split') {
      out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height.toFixed(1)}" rx="${(n.height / 2).toFixed(1)}"/>`);
    } else if (n.kind === 'end' || n.kind === 'trigger') {
      out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height.toFixed(1)}" rx="14"/>`);
    } else {
      out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${n.width.toFixed(1)}" height="${n.height.toFixed(1)}" rx="4"/>`);
    }
    n.lines.forEach((line, i) => {
      const ty = y + PAD_Y + LINE_H * (i + 1) - 4;
      out.push(`<text x="${n.x.toFixed(1)}" y="${ty.toFixed(1)}" text-anchor="middle"${i === 0 && n.lines.length > 1 ? ' class="title"' : ''}>${esc(line)}</text>`);
    });
    if (n.problems) out.push(`<circle cx="${(x + n.width).toFixed(1)}" cy="${y.toFixed(1)}" r="7" class="badge"/><text x="${(x + n.width).toFixed(1)}" y="${(y + 4).toFixed(1)}" text-anchor="middle" class="badge-text">${n.problems}</text>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('');
}

export function graphToSvg(graph: JourneyGraph): string {
  return renderSvg(layoutGraph(graph));
}

/** The node whose source range holds a position (the innermost), for follow-the-cursor. */
export function nodeAtPosition(graph: JourneyGraph, line: number, character: number): string | undefined {
  let best: { id: string; size: number } | undefined;
  for (const n of graph.nodes) {
    const r = n.range;
    if (!r) continue;
    const after = line > r.start.line || (line === r.start.line && character >= r.start.character);
    const before = line < r.end.line || (line === r.end.line && character <= r.end.character);
    if (!after || !before) continue;
    const size = (r.end.line - r.start.line) * 1000 + (r.end.character - r.start.character);
    if (!best || size < best.size) best = { id: n.id, size };
  }
  return best?.id;
}
