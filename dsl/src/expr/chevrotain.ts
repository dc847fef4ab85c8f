/**
 * chevrotain, loaded from the one-file build its package ships (`lib/chevrotain.mjs`).
 *
 * The package's entry is its ES module sources, which import lodash-es a function per file:
 * some 700 modules (694 counted by a loader hook), ~350 ms to load — a third of every `herald` command's start-up. The
 * one-file build is the same code and loads in ~30 ms. The package's `exports` do not list it,
 * so it is found beside the entry and loaded with `require` (an ES module required
 * synchronously: Node >= 20.19), which keeps this module free of a top-level await.
 *
 * The editor extension's bundle (vscode-extension/scripts/bundle.mjs) replaces this module
 * with a plain re-export, so esbuild inlines chevrotain there.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Chevrotain from 'chevrotain';

const require = createRequire(import.meta.url);
const chevrotain = require(join(dirname(require.resolve('chevrotain')), '..', 'chevrotain.mjs')) as typeof Chevrotain;

export const { createToken, CstParser, EOF, Lexer } = chevrotain;
