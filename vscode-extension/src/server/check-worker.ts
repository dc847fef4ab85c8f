/**
 * The whole-project check, off the server's main thread: a 1,000-journey project takes a few
 * hundred milliseconds to check, and completion or hover must not wait behind it. The main
 * thread mirrors every file change here and asks for a check when typing pauses.
 */
import { parentPort } from 'node:worker_threads';
import { FullCheckState, type FullCheckRequest } from './full-check.js';

const state = new FullCheckState();

parentPort?.on('message', (msg: FullCheckRequest) => {
  const reply = state.handle(msg);
  if (reply) parentPort?.postMessage(reply);
});
