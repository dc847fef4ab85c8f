#!/usr/bin/env node
/** `herald`: the command line (program.ts). */
import v8 from 'node:v8';
import { runHerald } from './program.js';

// Compiling a large project allocates many short-lived objects; a larger young generation
// halves the time spent in garbage collection (measured in bench/compile).
v8.setFlagsFromString('--max-semi-space-size=32');

void runHerald(process.argv);
