/**
 * A real LSP client for the tests: spawns `node vscode-extension/dist/server/main.js --stdio`
 * and talks JSON-RPC to it with vscode-languageserver-protocol, as an editor would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The server under test: the tsc build, or another (the bundled `out/server.js`) via HERALD_LSP_SERVER. */
export const SERVER = process.env['HERALD_LSP_SERVER'] ?? join(REPO, 'vscode-extension/dist/server/main.js');
export const EXAMPLE = join(REPO, 'examples/invoice-dunning');

/** A temp copy of a project folder (default: examples/invoice-dunning). */
export function copyProject(from = EXAMPLE): string {
  const dir = mkdtempSync(join(tmpdir(), 'herald-lsp-'));
  cpSync(from, dir, { recursive: true });
  return dir;
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function uri(path: string): string {
  return pathToFileURL(path).href;
}

type Waiter = { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void };

export class LspClient {
  readonly connection: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private stderr = '';
  initializeResult: InitializeResult | undefined;

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    readonly root: string,
  ) {
    proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.predicate(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/configuration', () => []);
    this.connection.listen();
  }

  /** `workspace`: more of the client's workspace capabilities (`workspaceEdit`, say). */
  static async start(root: string, initializationOptions: Record<string, unknown> = {}, server = SERVER, workspace: Record<string, unknown> = {}): Promise<LspClient> {
    const proc = spawn(process.execPath, [server, '--stdio'], { stdio: 'pipe' });
    const client = new LspClient(proc, root);
    client.initializeResult = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri(root),
      workspaceFolders: [{ uri: uri(root), name: 'test' }],
      capabilities: {
        textDocument: {
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          rename: { prepareSupport: true },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
        workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, ...workspace },
        general: { positionEncodings: ['utf-16'] },
      },
      initializationOptions: { pluginRoots: [REPO], ...initializationOptions },
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  uri(rel: string): string {
    return uri(this.path(rel));
  }

  text(rel: string): string {
    return this.texts.get(rel) ?? readFileSync(this.path(rel), 'utf8');
  }

  /** Open a file with the given text (default: its text on disk); resolves with the diagnostics published for that version. */
  async open(rel: string, text = readFileSync(this.path(rel), 'utf8')): Promise<PublishDiagnosticsParams> {
    const u = this.uri(rel);
    this.versions.set(u, 1);
    this.texts.set(rel, text);
    const published = this.waitForDiagnostics(rel, (p) => p.version === 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: u, languageId: 'yaml', version: 1, text } });
    return published;
  }

  /** Replace the whole text; resolves with the diagnostics published for the new version. */
  async change(rel: string, text: string): Promise<PublishDiagnosticsParams> {
    const u = this.uri(rel);
    const version = (this.versions.get(u) ?? 1) + 1;
    this.versions.set(u, version);
    this.texts.set(rel, text);
    const published = this.waitForDiagnostics(rel, (p) => p.version === version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: u, version }, contentChanges: [{ text }] });
    return published;
  }

  async close(rel: string): Promise<void> {
    this.texts.delete(rel);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri(rel) } });
  }

  waitForDiagnostics(rel: string, predicate: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    const u = this.uri(rel);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no matching diagnostics for ${rel} within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        uri: u,
        predicate,
        resolve: (p) => {
          clearTimeout(timer);
          res(p);
        },
      });
    });
  }

  /** Resolves after the next whole-project check has published its diagnostics. */
  waitForFullCheck(timeoutMs = 20_000): Promise<{ ms: number; diagnostics: number }> {
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no full check within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      const d = this.connection.onNotification('herald/checked', (info: { kind: string; ms: number; diagnostics: number }) => {
        if (info.kind !== 'full') return;
        clearTimeout(timer);
        d.dispose();
        res(info);
      });
    });
  }

  /** The 0-based position of the `nth` occurrence of `needle` in a file's text, plus `delta` characters. */
  position(rel: string, needle: string, delta = 0, nth = 0): { line: number; character: number } {
    const text = this.text(rel);
    let at = -1;
    for (let i = 0; i <= nth; i++) {
      at = text.indexOf(needle, at + 1);
      if (at < 0) throw new Error(`\`${needle}\` not found in ${rel}`);
    }
    const offset = at + delta;
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line, character: offset - (before.lastIndexOf('\n') + 1) };
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // the server may already be gone
    }
    this.connection.dispose();
    this.proc.kill();
  }
}

/** Apply LSP edits to a text (edits do not overlap). */
export function applyEdits(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
