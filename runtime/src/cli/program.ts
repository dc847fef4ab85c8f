/**
 * The `herald` program: each command lives in commands/<name>.ts and registers itself here;
 * `runHerald` parses a command line and sets the exit code the documentation promises
 * (docs/cli.md): 0 success, 1 problems found (the commands set it), 2 a usage error.
 *
 * A command line names one command, so only that command's module is loaded: the others'
 * (the runtime, the HTTP server, the mail transport) would take most of the start-up —
 * `herald validate` loaded in ~0.8 s with every command and ~0.5 s alone, which is mostly the
 * compiler. Help, an unknown command and no command at all load them all.
 */
import { Command, CommanderError } from 'commander';
import { HERALD_VERSION } from './herald-version.js';

export const USAGE_ERROR = 2;

type Register = (program: Command) => void;

/** Every command, in the order help lists them. */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  validate: async () => (await import('./commands/validate.js')).registerValidateCommand,
  compile: async () => (await import('./commands/compile.js')).registerCompileCommand,
  fmt: async () => (await import('./commands/fmt.js')).registerFmtCommand,
  diff: async () => (await import('./commands/diff.js')).registerDiffCommand,
  graph: async () => (await import('./commands/graph.js')).registerGraphCommand,
  schema: async () => (await import('./commands/schema.js')).registerSchemaCommand,
  test: async () => (await import('./commands/test.js')).registerTestCommand,
  dev: async () => (await import('./commands/dev.js')).registerDevCommand,
  start: async () => (await import('./commands/start.js')).registerStartCommand,
  'send-event': async () => (await import('./commands/send-event.js')).registerSendEventCommand,
  archive: async () => (await import('./commands/archive.js')).registerArchiveCommand,
  instances: async () => (await import('./commands/instances.js')).registerInstancesCommand,
  plugin: async () => (await import('./commands/plugin.js')).registerPluginCommand,
  lsp: async () => (await import('./commands/lsp.js')).registerLspCommand,
};

/**
 * The commands a command line (`args`, without node and script) needs: the one it names (the
 * first argument that is no option), none for `--version` alone, else all of them (help, an
 * unknown command, none).
 */
export function commandsNeeded(args: readonly string[]): readonly string[] {
  const first = args.find((a) => !a.startsWith('-'));
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) return [];
  return Object.keys(COMMANDS);
}

/** The program with the commands named (in help's order whatever the order given), by default all. */
export async function buildProgram(names: readonly string[] = Object.keys(COMMANDS)): Promise<Command> {
  const program = new Command('herald')
    .description('Herald: customer communications as code')
    .version(HERALD_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // Commander exits 1 on a usage error, the code of "problems found": throw instead, so
    // runHerald can exit 2. Before the commands are added: they copy the setting when created.
    .exitOverride();
  const wanted = Object.keys(COMMANDS).filter((name) => names.includes(name));
  const registers = await Promise.all(wanted.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program);
  return program;
}

/** `argv` as process.argv has it (node, script, args...), or only the args with `from: 'user'`. */
export async function runHerald(argv: readonly string[], from: 'node' | 'user' = 'node'): Promise<void> {
  try {
    const args = from === 'node' ? argv.slice(2) : argv;
    await (await buildProgram(commandsNeeded(args))).parseAsync([...argv], { from });
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
