/**
 * What a list of counts says about a frequency cap and a dedupe key (pure). The orchestrator
 * asks it of the counts a unit takes before the store has them (start-delivery.ts); a driver
 * asks it of a unit's earlier counts when it checks a guard (driver.ts, UnitOfWork `sent`).
 */
import type { SentCount } from './driver.js';

/** Counts of the subject's messages of the category since `since` (inclusive). */
export function countInWindow(counts: readonly SentCount[], subjectId: string, category: string, since: number): number {
  let n = 0;
  for (const c of counts) if (c.subjectId === subjectId && c.category === category && c.at >= since) n++;
  return n;
}

/** Whether a count holds the dedupe key since `since` (inclusive). */
export function holdsDedupeKey(counts: readonly SentCount[], key: string, since: number): boolean {
  return counts.some((c) => c.dedupeKey === key && c.at >= since);
}
