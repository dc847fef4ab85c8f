/**
 * "Herald: Show Journey Graph": a webview beside the journey that draws its graph, redraws
 * it as the file changes, highlights the step under the cursor, and moves the cursor to a
 * step when its node is clicked. The server computes the graph (the compiled IR when the
 * project compiles); layout and SVG are made here (graph-svg.ts) and sent to the webview.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { JOURNEY_GRAPH_REQUEST, type JourneyGraph, type JourneyGraphParams } from '../shared/protocol.js';
import { graphToSvg, nodeAtPosition } from './graph-svg.js';

function isJourney(doc: vscode.TextDocument): boolean {
  return /\.journey\.ya?ml$/.test(doc.fileName);
}

export class GraphPanel implements vscode.Disposable {
  private static current: GraphPanel | undefined;
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private graph: JourneyGraph | null = null;
  private refreshTimer: NodeJS.Timeout | undefined;

  static show(client: LanguageClient, document: vscode.TextDocument): void {
    if (GraphPanel.current) {
      GraphPanel.current.retarget(document);
      GraphPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    GraphPanel.current = new GraphPanel(client, document);
  }

  private constructor(
    private readonly client: LanguageClient,
    private document: vscode.TextDocument,
  ) {
    this.panel = vscode.window.createWebviewPanel('herald.journeyGraph', this.title(), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [],
    });
    this.panel.webview.html = this.html();
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.webview.onDidReceiveMessage((m: { type: string; id?: string }) => {
        if (m.type === 'reveal' && m.id) void this.reveal(m.id);
        if (m.type === 'ready') void this.refresh();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.document.uri.toString()) this.scheduleRefresh();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.uri.toString() === this.document.uri.toString()) this.highlight(e.selections[0]?.active);
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && isJourney(e.document) && e.document.uri.toString() !== this.document.uri.toString()) this.retarget(e.document);
      }),
    );
  }

  private title(): string {
    return `Graph: ${this.document.fileName.split(/[\\/]/).pop() ?? ''}`;
  }

  private retarget(document: vscode.TextDocument): void {
    this.document = document;
    this.panel.title = this.title();
    void this.refresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.refresh(), 300);
  }

  private async refresh(): Promise<void> {
    const params: JourneyGraphParams = { uri: this.document.uri.toString() };
    let graph: JourneyGraph | null;
    try {
      graph = await this.client.sendRequest<JourneyGraph | null>(JOURNEY_GRAPH_REQUEST, params);
    } catch (e) {
      void this.panel.webview.postMessage({ type: 'error', message: String(e) });
      return;
    }
    this.graph = graph;
    if (!graph) {
      void this.panel.webview.postMessage({ type: 'error', message: 'This file has no journey the compiler could read yet.' });
      return;
    }
    const status =
      graph.from === 'compiled'
        ? `journey ${graph.journey} — compiled graph`
        : `journey ${graph.journey} — steps as written (${graph.errors} error${graph.errors === 1 ? '' : 's'}: the project does not compile)`;
    void this.panel.webview.postMessage({ type: 'render', svg: graphToSvg(graph), status });
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.document.uri.toString());
    this.highlight(editor?.selection.active);
  }

  private highlight(pos: vscode.Position | undefined): void {
    if (!this.graph || !pos) return;
    const id = nodeAtPosition(this.graph, pos.line, pos.character);
    void this.panel.webview.postMessage({ type: 'highlight', id: id ?? null });
  }

  private async reveal(id: string): Promise<void> {
    const node = this.graph?.nodes.find((n) => n.id === id);
    if (!node?.range) return;
    const range = new vscode.Range(node.range.start.line, node.range.start.character, node.range.start.line, node.range.start.character);
    const editor = await vscode.window.showTextDocument(this.document, { viewColumn: vscode.ViewColumn.One, selection: range, preserveFocus: false });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private html(): string {
    const nonce = randomBytes(16).toString('base64');
    const csp = `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';`;
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { margin: 0; padding: 8px 12px; color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; }
  #status { color: var(--vscode-descriptionForeground); margin-bottom: 8px; }
  #status.error { color: var(--vscode-errorForeground); }
  svg.journey text { fill: var(--vscode-foreground); font-family: var(--vscode-editor-font-family, monospace); font-size: 12px; }
  svg.journey text.title { font-weight: bold; }
  .node rect { fill: var(--vscode-editorWidget-background, #252526); stroke: var(--vscode-editorWidget-border, #555); stroke-width: 1.2; }
  .node { cursor: pointer; }
  .node.kind-trigger rect, .node.kind-end rect { fill: var(--vscode-badge-background); }
  .node.kind-trigger text, .node.kind-end text { fill: var(--vscode-badge-foreground); }
  .node.kind-branch rect, .node.kind-split rect { stroke-dasharray: 4 2; }
  .node.kind-missing rect { stroke: var(--vscode-errorForeground); stroke-dasharray: 2 2; }
  .node.has-problems rect { stroke: var(--vscode-editorWarning-foreground, #cca700); }
  .node.current rect { stroke: var(--vscode-focusBorder, #007fd4); stroke-width: 3; }
  .edge path { fill: none; stroke: var(--vscode-editorLineNumber-foreground, #888); stroke-width: 1.3; }
  .edge text { fill: var(--vscode-descriptionForeground); font-size: 11px; }
  .arrowhead { fill: var(--vscode-editorLineNumber-foreground, #888); }
  .badge { fill: var(--vscode-editorError-foreground, #f14c4c); }
  svg.journey text.badge-text { fill: #fff; font-size: 10px; }
</style></head>
<body><div id="status">Loading…</div><div id="graph"></div>
<script nonce="${nonce}">
  const vscode = acquireVsCodeApi();
  const graph = document.getElementById('graph');
  const status = document.getElementById('status');
  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'render') {
      graph.innerHTML = m.svg;
      status.textContent = m.status;
      status.className = '';
      for (const node of graph.querySelectorAll('.node')) {
        node.addEventListener('click', () => vscode.postMessage({ type: 'reveal', id: node.dataset.id }));
        node.addEventListener('keydown', (e) => { if (e.key === 'Enter') vscode.postMessage({ type: 'reveal', id: node.dataset.id }); });
      }
    } else if (m.type === 'highlight') {
      for (const node of graph.querySelectorAll('.node.current')) node.classList.remove('current');
      if (m.id) {
        const node = [...graph.querySelectorAll('.node')].find((n) => n.dataset.id === m.id);
        if (node) { node.classList.add('current'); node.scrollIntoView({ block: 'nearest', inline: 'nearest' }); }
      }
    } else if (m.type === 'error') {
      status.textContent = m.message;
      status.className = 'error';
    }
  });
  vscode.postMessage({ type: 'ready' });
</script></body></html>`;
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    GraphPanel.current = undefined;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
