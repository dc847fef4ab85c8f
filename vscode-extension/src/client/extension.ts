/**
 * The VS Code extension: starts the Herald language server over IPC for Herald's files
 * (`herald.yaml`, `*.journey.yaml`, `*.template.yaml`, `*.policy.yaml`, journey tests
 * `*.test.yaml`, and the HTML bodies templates include), and adds the journey graph and template
 * preview commands, and running journey tests from their code lenses.
 *
 * The files keep VS Code's `yaml` language (highlighting, other YAML extensions keep
 * working); the client claims them by file pattern instead of by a language id of its own.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { GraphPanel } from './graph-panel.js';
import { TemplatePreviewPanel } from './preview-template.js';
import { forgetClosedTerminal, runTestsInTerminal } from './run-tests.js';
import { RUN_TEST_COMMAND } from '../shared/protocol.js';

let client: LanguageClient | undefined;

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', pattern: '**/herald.{yaml,yml}' },
  { scheme: 'file', pattern: '**/*.journey.{yaml,yml}' },
  { scheme: 'file', pattern: '**/*.template.{yaml,yml}' },
  { scheme: 'file', pattern: '**/*.policy.{yaml,yml}' },
  { scheme: 'file', pattern: '**/*.test.{yaml,yml}' },
  { scheme: 'file', pattern: '**/*.{html,htm}' },
];

function createClient(context: vscode.ExtensionContext): LanguageClient {
  const config = vscode.workspace.getConfiguration('herald');
  const custom = config.get<string>('server.path', '');
  const serverModule = custom || context.asAbsolutePath('out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: { pluginRoots: config.get<string[]>('pluginRoots', []) },
    outputChannelName: 'Herald',
    traceOutputChannel: vscode.window.createOutputChannel('Herald (trace)'),
  };
  return new LanguageClient('herald', 'Herald', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  client = createClient(context);
  await client.start();
  context.subscriptions.push(
    vscode.commands.registerCommand('herald.showJourneyGraph', (uri?: vscode.Uri) => withDocument(uri, /\.journey\.ya?ml$/, 'a journey', (doc) => GraphPanel.show(client!, doc))),
    vscode.commands.registerCommand('herald.previewTemplate', (uri?: vscode.Uri) =>
      withDocument(uri, /\.(template\.ya?ml|html?)$/, 'a template', (doc) => TemplatePreviewPanel.show(client!, doc)),
    ),
    vscode.commands.registerCommand(RUN_TEST_COMMAND, (uri: string, line?: number) => runTestsInTerminal(uri, line, DOCUMENT_SELECTOR)),
    vscode.commands.registerCommand('herald.runTestsInFile', (uri?: vscode.Uri) =>
      withDocument(uri, /\.test\.ya?ml$/, 'a journey test', (doc) => void runTestsInTerminal(doc.uri.toString(), undefined, DOCUMENT_SELECTOR)),
    ),
    vscode.window.onDidCloseTerminal(forgetClosedTerminal),
    vscode.commands.registerCommand('herald.restartServer', async () => {
      await client?.restart();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('herald.pluginRoots') || e.affectsConfiguration('herald.server.path')) {
        await client?.stop();
        client = createClient(context);
        await client.start();
      }
    }),
  );
}

async function withDocument(uri: vscode.Uri | undefined, pattern: RegExp, what: string, run: (doc: vscode.TextDocument) => void): Promise<void> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!doc || !pattern.test(doc.fileName)) {
    void vscode.window.showInformationMessage(`Open ${what} file first.`);
    return;
  }
  run(doc);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
