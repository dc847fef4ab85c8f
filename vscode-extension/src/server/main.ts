#!/usr/bin/env node
/**
 * The language server's executable: `herald-lsp --stdio` (any LSP client), `--node-ipc`
 * (VS Code starts it this way), or `--socket=<port>`. Imported as a module it starts
 * nothing: `startServer(connection)` is for hosts that make their own connection (the
 * CLI's `herald lsp`).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node.js';
import { startServer as start, type ServerOptions } from './server.js';

export { CHECKED_NOTIFICATION, defaultPluginRoots, SERVER_NAME, SERVER_VERSION, type ServerOptions } from './server.js';

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  start(connection, options);
}

function runAsMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (runAsMain()) {
  const args = process.argv.slice(2);
  if (args.includes('--version')) {
    process.stdout.write('herald-lsp 0.1.0\n');
  } else if (args.includes('--help') || !args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
    process.stdout.write('usage: herald-lsp --stdio | --node-ipc | --socket=<port> | --pipe=<name>\n');
    process.exitCode = args.includes('--help') ? 0 : 2;
  } else {
    // The transport comes from the command line (vscode-languageserver reads --stdio and the others).
    startServer(createConnection(ProposedFeatures.all));
  }
}
