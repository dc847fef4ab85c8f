/**
 * The client's half of a test file's code lenses (server/test-lenses.ts): runs `herald test
 * <file>[:line]` in a terminal, one per folder, so `npx` finds the project's own Herald. The
 * CLI reads the files from disk, so open Herald files with unsaved changes are saved first.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';

const terminals = new Map<string, vscode.Terminal>();

export function forgetClosedTerminal(closed: vscode.Terminal): void {
  for (const [folder, terminal] of terminals) if (terminal === closed) terminals.delete(folder);
}

export async function runTestsInTerminal(uri: string, line: number | undefined, selector: vscode.DocumentSelector): Promise<void> {
  const file = vscode.Uri.parse(uri).fsPath;
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && vscode.languages.match(selector, d) > 0);
  await Promise.all(dirty.map((d) => d.save()));
  const command = vscode.workspace.getConfiguration('herald').get<string>('test.command', 'npx herald test');
  const folder = dirname(file);
  let terminal = terminals.get(folder);
  if (!terminal || terminal.exitStatus !== undefined) {
    terminal = vscode.window.createTerminal({ name: `Herald tests: ${basename(folder)}`, cwd: folder });
    terminals.set(folder, terminal);
  }
  terminal.show(true);
  terminal.sendText(`${command} ${shellWord(`${basename(file)}${line === undefined ? '' : `:${line}`}`)}`);
}

/** The word bare when it is plain, else in double quotes, which sh, PowerShell and cmd all read (a file name with `"` or `$` in it is on its own). */
function shellWord(word: string): string {
  return /^[\w./:@+-]+$/.test(word) ? word : `"${word}"`;
}
