// `node --import ./test/conformance/support/register-ts.mjs some-script.ts`: run a TypeScript
// file of this repository in a plain Node 20 process (child processes of tests, measuring
// scripts), by transpiling on load. Type-checking stays with tsc.
import { register } from 'node:module';

register('./ts-loader-hooks.mjs', import.meta.url);
