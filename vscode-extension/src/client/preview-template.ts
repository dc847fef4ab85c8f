/**
 * "Herald: Preview Template": every channel and locale variant of the template in the active
 * editor, rendered with sample data made from the types it is checked against (see the
 * server's template-preview.ts), refreshed as the template changes.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { TEMPLATE_PREVIEW_REQUEST, type TemplatePreview, type TemplatePreviewParams } from '../shared/protocol.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export class TemplatePreviewPanel {
  private static current: TemplatePreviewPanel | undefined;
  private readonly panel: vscode.WebviewPanel;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  static show(client: LanguageClient, document: vscode.TextDocument): void {
    if (TemplatePreviewPanel.current) {
      TemplatePreviewPanel.current.document = document;
      TemplatePreviewPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
      void TemplatePreviewPanel.current.refresh();
      return;
    }
    TemplatePreviewPanel.current = new TemplatePreviewPanel(client, document);
  }

  private constructor(
    private readonly client: LanguageClient,
    private document: vscode.TextDocument,
  ) {
    this.panel = vscode.window.createWebviewPanel('herald.templatePreview', 'Template preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: false,
      localResourceRoots: [],
    });
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== this.document.uri.toString()) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), 300);
      }),
    );
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const params: TemplatePreviewParams = { uri: this.document.uri.toString() };
    let preview: TemplatePreview | null;
    try {
      preview = await this.client.sendRequest<TemplatePreview | null>(TEMPLATE_PREVIEW_REQUEST, params);
    } catch (e) {
      this.panel.webview.html = this.page(`<p class="error">${esc(String(e))}</p>`);
      return;
    }
    if (!preview) {
      this.panel.webview.html = this.page('<p class="error">This file is not a template the compiler could read.</p>');
      return;
    }
    this.panel.title = `Preview: ${preview.template}`;
    const sections = preview.fields.map((f) => {
      const head = `<h3>${esc(f.channel)} · ${esc(f.locale)} · ${esc(f.field)}</h3>`;
      if (f.error) return `${head}<p class="error">${esc(f.error)}</p>`;
      if (f.html) return `${head}<iframe sandbox="" srcdoc="${esc(f.output)}"></iframe>`;
      return `${head}<pre>${esc(f.output)}</pre>`;
    });
    const from = preview.journey ? `Sample data typed by journey <code>${esc(preview.journey)}</code>` : 'No journey sends this template yet: names are untyped';
    const body = `<p class="note">${from}. Override it with <code>${esc(preview.template)}.sample.json</code> beside the template.</p>${sections.join('')}
<details><summary>Sample data</summary><pre>${esc(JSON.stringify(preview.sample, null, 2))}</pre></details>`;
    this.panel.webview.html = this.page(body);
  }

  private page(body: string): string {
    const nonce = randomBytes(8).toString('hex');
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; frame-src 'self' about: data:; script-src 'nonce-${nonce}';">
<style>
  body { color: var(--vscode-foreground); background: var(--vscode-editor-background); font-family: var(--vscode-font-family); padding: 0 16px; }
  h3 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--vscode-descriptionForeground); margin: 18px 0 6px; }
  pre { white-space: pre-wrap; background: var(--vscode-textCodeBlock-background); padding: 8px; border-radius: 4px; }
  iframe { width: 100%; min-height: 220px; border: 1px solid var(--vscode-editorWidget-border); background: #fff; }
  .note { color: var(--vscode-descriptionForeground); }
  .error { color: var(--vscode-errorForeground); }
</style></head><body>${body}</body></html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    TemplatePreviewPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
  }
}
