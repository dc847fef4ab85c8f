#!/usr/bin/env node
/** `herald`: the command line. Each command lives in commands/<name>.ts and registers itself here. */
import v8 from 'node:v8';
import { Command } from 'commander';
import { registerArchiveCommand } from './commands/archive.js';
import { registerCompileCommand } from './commands/compile.js';
import { registerDevCommand } from './commands/dev.js';
import { registerSendEventCommand } from './commands/send-event.js';
import { registerStartCommand } from './commands/start.js';
import { registerTestCommand } from './commands/test.js';
import { registerGraphCommand } from './commands/graph.js';
import { registerLspCommand } from './commands/lsp.js';
import { registerSchemaCommand } from './commands/schema.js';
import { registerValidateCommand } from './commands/validate.js';
import { HERALD_VERSION } from './print-diagnostics.js';

// Compiling a large project allocates many short-lived objects; a larger young generation
// halves the time spent in garbage collection (measured in bench/compile).
v8.setFlagsFromString('--max-semi-space-size=32');

export function buildProgram(): Command {
  const program = new Command('herald')
    .description('Herald: customer communications as code')
    .version(HERALD_VERSION)
    .showHelpAfterError('(run with --help for usage)');
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

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`herald: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
