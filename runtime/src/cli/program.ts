/**
 * The `herald` program: each command lives in commands/<name>.ts and registers itself here;
 * `runHerald` parses a command line and sets the exit code the documentation promises
 * (docs/cli.md): 0 success, 1 problems found (the commands set it), 2 a usage error.
 */
import { Command, CommanderError } from 'commander';
import { registerArchiveCommand } from './commands/archive.js';
import { registerCompileCommand } from './commands/compile.js';
import { registerDevCommand } from './commands/dev.js';
import { registerGraphCommand } from './commands/graph.js';
import { registerLspCommand } from './commands/lsp.js';
import { registerSchemaCommand } from './commands/schema.js';
import { registerSendEventCommand } from './commands/send-event.js';
import { registerStartCommand } from './commands/start.js';
import { registerTestCommand } from './commands/test.js';
import { registerValidateCommand } from './commands/validate.js';
import { HERALD_VERSION } from './print-diagnostics.js';

export const USAGE_ERROR = 2;

export function buildProgram(): Command {
  const program = new Command('herald')
    .description('Herald: customer communications as code')
    .version(HERALD_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // Commander exits 1 on a usage error, the code of "problems found": throw instead, so
    // runHerald can exit 2. Before the commands are added: they copy the setting when created.
    .exitOverride();
  registerValidateCommand(program);
  registerCompileCommand(program);
  registerGraphCommand(program);
  registerSchemaCommand(program);
  registerTestCommand(program);
  registerDevCommand(program);
  registerStartCommand(program);
  registerSendEventCommand(program);
  registerArchiveCommand(program);
  registerLspCommand(program);
  return program;
}

/** `argv` as process.argv has it (node, script, args...), or only the args with `from: 'user'`. */
export async function runHerald(argv: readonly string[], from: 'node' | 'user' = 'node'): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv], { from });
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed the message (and help) already. Its exit code 0 is --help or
      // --version; anything else is a command line it could not take: unknown command or
      // option, missing argument, a value not among the choices, no command at all.
      process.exitCode = err.exitCode === 0 ? 0 : USAGE_ERROR;
      return;
    }
    process.stderr.write(`herald: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = USAGE_ERROR;
  }
}
