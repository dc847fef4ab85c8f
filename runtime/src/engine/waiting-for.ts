/** Which event type an instance waits for (pure): what routing offers it, and what drivers index it under. */
import { assertNever } from './assert-never.js';
import type { Instance } from './types.js';

/** Set only while the instance is active and waiting for or batching events of the type. */
export function waitingForOf(instance: Instance): string | null {
  if (instance.status !== 'active' || instance.waiting === null) return null;
  switch (instance.waiting.kind) {
    case 'event':
    case 'batch':
      return instance.waiting.event;
    case 'timer':
    case 'fetch':
      return null;
    default:
      return assertNever(instance.waiting);
  }
}
