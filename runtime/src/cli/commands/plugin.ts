/**
 * `herald plugin new <channel|source> <name> [--dir <folder>] [--message <kind>]`: writes a new
 * plugin's folder (plugin-scaffold.ts) — a working HTTP channel or source with its manifest and a
 * contract test — and says what to do next. It depends on the SDK of this Herald install by a
 * `file:` path (the SDK is not on the npm registry), so `npm install` in it works offline.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { Argument, Option } from 'commander';
import { MESSAGE_KINDS } from '@herald/dsl';
import { packageNameProblem, scaffoldFiles, shortName, type ScaffoldKind } from '../plugin-scaffold.js';
import { shownPath } from '../shown-path.js';

interface NewOptions {
  readonly dir?: string;
  readonly message: string;
}

export function registerPluginCommand(program: Command): void {
  const plugin = program.command('plugin').description('work on plugins: `herald plugin new channel @acme/channel-fax` starts one');
  plugin
    .command('new')
    .description('write a new channel or source plugin (an HTTP one, with its manifest and a contract test) to start from')
    .addArgument(new Argument('<kind>', 'channel or source').choices(['channel', 'source']))
    .argument('<name>', 'its npm package name, e.g. @acme/channel-fax')
    .option('-d, --dir <folder>', 'where to write it (default: plugins/<short name>)')
    .addOption(new Option('--message <kind>', 'channels: the template variant kind it sends').default('any'))
    .action((kind: ScaffoldKind, name: string, opts: NewOptions) => {
      const problem = packageNameProblem(name);
      if (problem) throw new Error(`${JSON.stringify(name)} cannot be the plugin's name: ${problem}`);
      if (kind === 'source' && opts.message !== 'any') throw new Error('--message is for channels: a source answers queries, it sends no messages');
      if (opts.message !== 'any' && !/^[a-z][a-z0-9-]*$/.test(opts.message)) throw new Error(`--message ${opts.message}: a message kind is a lower-case word (${Object.keys(MESSAGE_KINDS).join(', ')}, or a plugin's own)`);
      const dir = resolve(opts.dir ?? join('plugins', shortName(name)));
      if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${shownPath(dir)} is not empty; give another --dir`);
      const files = scaffoldFiles({ kind, name, message: opts.message, sdk: sdkDependency(dir) });
      for (const [path, text] of files) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const shown = shownPath(dir);
      process.stdout.write(
        `herald plugin: wrote ${kind} ${name} to ${shown} (${[...files.keys()].join(', ')})\n\n` +
          `  cd ${shown} && npm install && npm test     # builds dist/ and runs the contract test\n\n` +
          `Then in a project's herald.yaml: use: ${relativeUse(dir)}  (see ${shown}/README.md)\n`,
      );
    });
}

/** `file:<path>` of this install's SDK, relative to the plugin: npm links it, no registry needed. */
function sdkDependency(dir: string): string {
  const sdk = dirname(realpathSync(createRequire(import.meta.url).resolve('@herald/plugin-sdk/package.json')));
  return `file:${relative(dir, sdk).split(sep).join('/')}`;
}

/** How a project in the current folder names the plugin folder in `use:`. */
function relativeUse(dir: string): string {
  const rel = relative(process.cwd(), dir).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}
