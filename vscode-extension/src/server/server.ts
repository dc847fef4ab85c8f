/**
 * The language server: LSP requests and notifications wired to the project host and the
 * feature modules. Transport-agnostic: main.ts (stdio or IPC) and the CLI's `herald lsp`
 * create the connection and call `startServer`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic as DslDiagnostic } from '@herald/dsl';
import {
  CodeActionKind,
  CompletionTriggerKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type TextDocumentPositionParams,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  JOURNEY_GRAPH_REQUEST,
  TEMPLATE_PREVIEW_REQUEST,
  type JourneyGraph,
  type JourneyGraphParams,
  type TemplatePreview,
  type TemplatePreviewParams,
} from '../shared/protocol.js';
import { codeActions } from './code-actions.js';
import { complete } from './completion.js';
import { definition } from './definition.js';
import { toLspDiagnostic } from './diagnostics.js';
import { docContext, forgetDoc, rememberUri, uriOf, type DocContext } from './doc-context.js';
import { formattingEdits } from './formatting.js';
import { hover } from './hover.js';
import { journeyGraph } from './journey-graph.js';
import { ProjectHost, toPosix, type CheckedInfo, type HeraldProject } from './project-host.js';
import { references } from './references.js';
import { prepareRename, rename } from './rename.js';
import { documentSymbols } from './symbols.js';
import { testCodeLenses } from './test-lenses.js';
import { documentHighlights, workspaceSymbols } from './workspace-symbols.js';
import { signatureHelp } from './signature-help.js';
import { templatePreview } from './template-preview.js';

export const SERVER_NAME = 'herald-language-server';
export const SERVER_VERSION = '0.1.0';

/** Sent after every check, for status bars and benchmarks. */
export const CHECKED_NOTIFICATION = 'herald/checked';

const SLOW_FOCUS_MS = 40;
const SLOW_FOCUS_MIN_DELAY_MS = 200;
const SLOW_FOCUS_MAX_DELAY_MS = 2000;

export interface ServerOptions {
  /** Extra folders searched for plugin manifests (after the project's node_modules and the bundled ones). */
  readonly pluginRoots?: readonly string[];
  /** Quiet time after the last edit before the whole project is checked again (default 250 ms). */
  readonly fullCheckDelayMs?: number;
  /** Run the whole-project check in a worker thread (default true). */
  readonly worker?: boolean;
}

/**
 * Where the first-party plugins' manifests are: shipped beside the bundled server
 * (`plugins/node_modules/@herald/*`), and every folder above this file, where a monorepo or
 * an npm install keeps them (the CLI searches the same way).
 */
export function defaultPluginRoots(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const roots: string[] = [];
  const bundled = join(here, 'plugins');
  if (existsSync(bundled)) roots.push(toPosix(bundled));
  let dir = here;
  for (;;) {
    roots.push(toPosix(dir));
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return roots;
}

function workerUrl(): URL | undefined {
  const url = new URL('./check-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return toPosix(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let host: ProjectHost | undefined;
  const published = new Map<string, { json: string; diagnostics: Diagnostic[]; version: number | undefined }>();
  const publishedByProject = new Map<string, Set<string>>();
  const pendingFocus = new Map<HeraldProject, Set<string>>();

  const publish = (project: HeraldProject, file: string, list: readonly DslDiagnostic[], force: boolean) => {
    const uri = uriOf(project.root, file);
    const diagnostics = list.map((d) => toLspDiagnostic(d, (f) => uriOf(project.root, f)));
    const json = JSON.stringify(diagnostics);
    const before = published.get(uri);
    const doc = documents.get(uri);
    // An open document hears about every version once, even when nothing changed.
    if (!force && before?.json === json && before.version === doc?.version) return;
    published.set(uri, { json, diagnostics, version: doc?.version });
    let set = publishedByProject.get(project.root);
    if (!set) publishedByProject.set(project.root, (set = new Set()));
    set.add(file);
    void connection.sendDiagnostics({ uri, diagnostics, version: doc?.version });
  };

  let focusScheduled = false;

  const flushFocus = () => {
    focusScheduled = false;
    const batch = [...pendingFocus];
    pendingFocus.clear();
    for (const [project, files] of batch) {
      for (const file of files) {
        try {
          const diagnostics = project.focusCheck(file);
          if (diagnostics) publish(project, file, diagnostics, true);
        } catch (e) {
          connection.console.error(`herald: checking ${file} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
      }
      project.scheduleFullCheck();
    }
  };

  const slowTimers = new Map<string, NodeJS.Timeout>();

  const changed = (project: HeraldProject, file: string) => {
    const queue = () => {
      let set = pendingFocus.get(project);
      if (!set) pendingFocus.set(project, (set = new Set()));
      set.add(file);
    };
    // A file that checks in a few milliseconds is checked at once. A slow one (thousands of
    // lines) is checked once typing has paused for a few times its check time, so completion
    // requests sent while typing are not queued behind it (completion reads the current text
    // meanwhile). A file not yet measured warm counts as fast.
    const typical = project.focusTimings.typical(file) ?? 0;
    if (typical > SLOW_FOCUS_MS) {
      const key = `${project.root}\0${file}`;
      const before = slowTimers.get(key);
      if (before) clearTimeout(before);
      const delay = Math.min(SLOW_FOCUS_MAX_DELAY_MS, Math.max(SLOW_FOCUS_MIN_DELAY_MS, 4 * typical));
      slowTimers.set(
        key,
        setTimeout(() => {
          slowTimers.delete(key);
          queue();
          flushFocus();
        }, delay),
      );
      return;
    }
    queue();
    if (focusScheduled) return;
    focusScheduled = true;
    setImmediate(flushFocus);
  };

  const locate = (uri: string): { project: HeraldProject; rel: string } | undefined => {
    const path = uriToPath(uri);
    if (!path || !host) return undefined;
    const project = host.knownProjectFor(path) ?? host.projectFor(path);
    return project ? { project, rel: project.relative(path) } : undefined;
  };

  const contextFor = (uri: string): DocContext | undefined => {
    const where = locate(uri);
    if (!where) return undefined;
    const doc = documents.get(uri);
    const text = doc?.getText() ?? where.project.texts.get(where.rel);
    if (text === undefined) return undefined;
    // Requests may arrive before the change that produced them was checked: use the editor's text.
    if (doc && where.project.texts.get(where.rel) !== text) where.project.openOrChange(where.rel, text);
    return docContext(uri, where.project, where.rel, text);
  };

  const guard = <T>(what: string, f: () => T, fallback: T): T => {
    try {
      return f();
    } catch (e) {
      // An answer for the user (a rename to a taken id): vscode-jsonrpc's ResponseError keeps the name `Error`, so by class.
      if (e instanceof ResponseError) throw e;
      connection.console.error(`herald: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };

  let watchFiles = false;
  /** The client applies file renames in a workspace edit. */
  let renameFiles = false;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as ServerOptions;
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const edits = params.capabilities.workspace?.workspaceEdit;
    renameFiles = edits?.documentChanges === true && (edits.resourceOperations ?? []).includes('rename');
    const useWorker = (init.worker ?? options.worker ?? true) && !process.env['HERALD_LSP_NO_WORKER'];
    host = new ProjectHost(
      {
        pluginRoots: [...(init.pluginRoots ?? []), ...(options.pluginRoots ?? []), ...defaultPluginRoots()],
        workerUrl: useWorker ? workerUrl() : undefined,
        cacheReads: watchFiles,
        fullCheckDelayMs: init.fullCheckDelayMs ?? options.fullCheckDelayMs ?? 250,
      },
      {
        focusDiagnostics: (project, file, list) => publish(project, file, list, true),
        fullDiagnostics: (project, list) => {
          const byFile = new Map<string, DslDiagnostic[]>();
          for (const d of list) {
            let l = byFile.get(d.file);
            if (!l) byFile.set(d.file, (l = []));
            l.push(d);
          }
          const before = publishedByProject.get(project.root) ?? new Set<string>();
          const open = documents.keys().map((u) => uriToPath(u)).filter((p): p is string => !!p && project.contains(p)).map((p) => project.relative(p));
          for (const file of new Set([...before, ...byFile.keys(), ...open])) publish(project, file, byFile.get(file) ?? [], false);
        },
        checked: (info: CheckedInfo) => void connection.sendNotification(CHECKED_NOTIFICATION, info),
        log: (m) => connection.console.log(m),
      },
    );
    const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p) ?? [];
    const rootPath = params.rootUri ? uriToPath(params.rootUri) : (params.rootPath ?? undefined);
    if (!folders.length && rootPath) folders.push(rootPath);
    host.setWorkspaceFolders(folders);
    return {
      capabilities: {
        positionEncoding: 'utf-16',
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: ['.', ':', '{', '>', ' '], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        workspaceSymbolProvider: true,
        signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [' '] },
        documentHighlightProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentFormattingProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SERVER_NAME, version: SERVER_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (watchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,html,htm,txt,md,mustache,json}' }],
      });
    }
    connection.workspace.onDidChangeWorkspaceFolders?.((e) => {
      const added = e.added.map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
      host?.setWorkspaceFolders(added);
    });
  });

  documents.onDidOpen(({ document }) => {
    const path = uriToPath(document.uri);
    if (path) rememberUri(path, document.uri);
    const where = locate(document.uri);
    if (!where) return;
    where.project.openOrChange(where.rel, document.getText());
    changed(where.project, where.rel);
  });

  documents.onDidChangeContent(({ document }) => {
    const where = locate(document.uri);
    if (!where) return;
    where.project.openOrChange(where.rel, document.getText());
    changed(where.project, where.rel);
  });

  documents.onDidClose(({ document }) => {
    forgetDoc(document.uri);
    const where = locate(document.uri);
    if (!where) return;
    where.project.close(where.rel);
    if (where.project.loose) {
      // No later check will speak for a loose file once it is closed: clear what it showed.
      publish(where.project, where.rel, [], true);
      host?.dropIfEmpty(where.project);
      return;
    }
    where.project.scheduleFullCheck();
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (!host) return;
    const touched = new Set<HeraldProject>();
    for (const c of changes) {
      const path = uriToPath(c.uri);
      if (!path) continue;
      host.invalidateRead(path);
      const name = path.split('/').pop() ?? '';
      if ((name === 'herald.yaml' || name === 'herald.yml') && c.type === FileChangeType.Created) host.rediscover();
      const project = host.knownProjectFor(path);
      if (!project) continue;
      const rel = project.relative(path);
      touched.add(project);
      if (project.overlays.has(rel)) continue; // the editor's text wins while the file is open
      if (c.type === FileChangeType.Deleted) project.removeText(rel);
      else if (project.isProjectYaml(rel)) {
        const text = host.readDisk(path);
        if (text !== undefined) project.setText(rel, text);
      }
    }
    for (const p of touched) p.scheduleFullCheck();
  });

  connection.onCompletion((p) =>
    guard('completion', () => {
      const doc = contextFor(p.textDocument.uri);
      if (!doc) return null;
      const offset = doc.lines.offsetAt(p.position);
      // A typed space asks for completion only where a value or a list item starts (`send: `, `- `),
      // not while indenting a new line, where Enter would then accept a suggestion.
      if (p.context?.triggerKind === CompletionTriggerKind.TriggerCharacter && p.context.triggerCharacter === ' ') {
        const lineStart = doc.text.lastIndexOf('\n', offset - 1) + 1;
        if (!/(:|^\s*-|[(,=<>!&|?+*/%]) $/.test(doc.text.slice(lineStart, offset))) return null;
      }
      const list = complete(doc, offset);
      // Right after `key:` a value needs a space before it.
      if (doc.text[offset - 1] === ':') for (const item of list.items) if (item.textEdit && 'range' in item.textEdit) item.textEdit.newText = ` ${item.textEdit.newText}`;
      return list;
    }, null),
  );

  /** A request about a place in a document: `fallback` when the document is none of a project's. */
  const atPlace = <T>(name: string, p: TextDocumentPositionParams, fallback: T, answer: (doc: DocContext, offset: number) => T) =>
    guard(name, () => {
      const doc = contextFor(p.textDocument.uri);
      return doc ? answer(doc, doc.lines.offsetAt(p.position)) : fallback;
    }, fallback);
  const ofDocument = <T>(name: string, uri: string, fallback: T, answer: (doc: DocContext) => T) =>
    guard(name, () => {
      const doc = contextFor(uri);
      return doc ? answer(doc) : fallback;
    }, fallback);

  connection.onHover((p) => atPlace('hover', p, null, hover));
  connection.onDefinition((p) => atPlace('definition', p, [], definition));
  connection.onReferences((p) => atPlace('references', p, [], (doc, offset) => references(doc, offset, p.context.includeDeclaration)));
  connection.onPrepareRename((p) => atPlace('prepareRename', p, null, prepareRename));
  connection.onRenameRequest((p) => atPlace('rename', p, null, (doc, offset) => rename(doc, offset, p.newName, renameFiles)));
  connection.onSignatureHelp((p) => atPlace('signatureHelp', p, null, signatureHelp));
  connection.onDocumentHighlight((p) => atPlace('documentHighlight', p, [], documentHighlights));
  connection.onDocumentSymbol((p) => ofDocument('documentSymbol', p.textDocument.uri, [], documentSymbols));
  connection.onCodeLens((p) => ofDocument('codeLens', p.textDocument.uri, [], testCodeLenses));
  connection.onWorkspaceSymbol((p) => guard('workspaceSymbol', () => (host ? workspaceSymbols(host.projects.values(), p.query) : []), []));

  connection.onCodeAction((p) =>
    guard('codeAction', () => codeActions(p, published.get(p.textDocument.uri)?.diagnostics ?? []), []),
  );

  connection.onDocumentFormatting((p) =>
    guard('formatting', () => {
      const doc = contextFor(p.textDocument.uri);
      if (!doc || (doc.kind === undefined && !/\.ya?ml$/.test(doc.rel))) return [];
      return formattingEdits(doc.text, doc.lines, p.options);
    }, []),
  );

  connection.onRequest(JOURNEY_GRAPH_REQUEST, (p: JourneyGraphParams): JourneyGraph | null => ofDocument('journeyGraph', p.uri, null, journeyGraph));
  connection.onRequest(TEMPLATE_PREVIEW_REQUEST, (p: TemplatePreviewParams): TemplatePreview | null => ofDocument('templatePreview', p.uri, null, (doc) => templatePreview(doc, p.data)));

  connection.onShutdown(() => host?.dispose());

  documents.listen(connection);
  connection.listen();
}
