import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { Command } from 'commander';

/**
 * `herald lsp --stdio`: the language server lives in the editor package (it may import only
 * the compiler), so the CLI finds it at run time instead of depending on it.
 */
export function registerLspCommand(program: Command): void {
  program
    .command('lsp')
    .description('run the Herald language server (for Neovim, Helix and other LSP clients)')
    .option('--stdio', 'talk over stdin/stdout (the default)')
    .action(() => {
      let entry: string;
      try {
        entry = createRequire(import.meta.url).resolve('herald-vscode/server');
      } catch {
        process.stderr.write('herald: the language server is not installed; install `herald-vscode` next to @herald/runtime\n');
        process.exitCode = 1;
        return;
      }
      const child = spawn(process.execPath, [entry, '--stdio'], { stdio: 'inherit' });
      child.on('exit', (code) => (process.exitCode = code ?? 1));
    });
}
