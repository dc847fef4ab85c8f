/**
 * How a worker thread sends a batch's results back: in one message when it can. A result the
 * structured clone refuses (a plugin's value with a function in it, say) must not fail the
 * others that travel with it, nor throw in the thread (an uncaught error there kills it): each
 * then goes alone, and one that cannot is replaced by a failure that says why. The checks on
 * what plugins return (checkSourceResult, checkDeliveryResult, ...) keep such values out; this
 * is the last line should one get through.
 */
import type { PoolResult, PoolTask } from './pool-tasks.js';
import { failureFor } from './task-runner.js';

/** `[task index, result]`, and `[-1, null]` for the batch's end marker. */
export type ResultEntry = [number, PoolResult | null];

export function postResults(port: { postMessage(value: unknown): void }, entries: ResultEntry[], tasks: readonly PoolTask[]): void {
  try {
    port.postMessage(entries);
    return;
  } catch {
    // Below, one by one.
  }
  for (const [index, result] of entries) {
    try {
      port.postMessage([[index, result]]);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      port.postMessage([[index, failureFor(tasks[index]!, `the result could not be passed back from the worker thread: ${why}`, 'UNCLONEABLE')]]);
    }
  }
}
